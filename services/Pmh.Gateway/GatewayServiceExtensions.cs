using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Threading.RateLimiting;
using MassTransit;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Pmh.Gateway.Apis;
using Pmh.Gateway.Audit;
using Pmh.Gateway.OpenApi;
using Pmh.Gateway.Participants;
using Pmh.Gateway.Publishing;
using Pmh.Gateway.Reception;
using Pmh.Gateway.Storage;
using Pmh.Hosting;
using Pmh.Hosting.Storage;
using Pmh.Hosting.Telemetry;
using Pmh.Modules;
using Pmh.Modules.Audit;
using Pmh.Modules.Batches;
using Pmh.Modules.Http;
using Pmh.Modules.Participants;
using Pmh.Modules.Reception;
using Scalar.AspNetCore;

namespace Pmh.Gateway;

public static class GatewayServiceExtensions
{
    public const string ServiceName = HubModuleExtensions.GatewayService;
    public const string DatabaseName = "Gateway";
    public const string CitizenRateLimit = GatewayPolicies.CitizenRateLimit;
    /// <summary>The default authentication scheme: forwards to the API key or the client certificate (the pages add their session cookie).</summary>
    public const string CredentialsScheme = "PmhCredentials";

    /// <summary>
    /// The gateway: the HTTP API under <c>/api/v1</c>, participants and their credentials (API keys, client
    /// certificates), per-participant rate limits, the audit of every disclosure and refusal, and the turning of
    /// My Numbers into person keys before anything reaches the bus.
    /// </summary>
    public static PmhHubBuilder AddGatewayService(this PmhHubBuilder hub)
    {
        if (!hub.Selection.Contains(ServiceName))
        {
            return hub;
        }

        var services = hub.Services;
        var options = hub.Configuration.GetSection("Pmh:Gateway").Get<GatewayOptions>() ?? new GatewayOptions();
        hub.AddServiceDatabase(DatabaseName, typeof(GatewayServiceExtensions).Assembly);
        services.AddSingleton(options);
        services.AddSingleton(ParticipantDirectory.FromConfiguration(hub.Configuration, hub.Environment));
        services.AddSingleton<ParticipantStore>();
        services.AddHostedService<ParticipantSeeder>(); // after the migrator: the tables exist
        services.AddSingleton<BatchStore>();
        services.AddScoped<BatchPublisher>();
        services.AddSingleton<IBatchLedger>(sp => sp.GetRequiredService<BatchStore>());
        services.AddScoped<IBatchUploads, BatchUploads>();
        // Audit events go out through the gateway database's outbox.
        services.AddSingleton<AnonymousRefusals>();
        services.AddScoped(sp => new AccessAudit(sp.GetRequiredKeyedService<ServiceDatabase>(DatabaseName), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(hub.Configuration.GetSection("Pmh:Reception").Get<ReceptionOptions>() ?? new ReceptionOptions());
        services.AddSingleton<ReceptionCheckStore>();
        services.AddSingleton<IReceptionChecks>(sp => sp.GetRequiredService<ReceptionCheckStore>());
        services.AddSingleton<CurrentChecks>();
        services.AddScoped<ReceptionCheckService>();

        AddCredentials(hub, options);
        services.AddAuthorizationBuilder()
            // Anything not declared otherwise needs an authenticated participant; each API names its roles.
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build())
            .AddPolicy(GatewayPolicies.Municipality, p => p.RequireRole(nameof(ParticipantRole.Municipality)))
            .AddPolicy(GatewayPolicies.Reception, p => p.RequireRole(nameof(ParticipantRole.MedicalInstitution), nameof(ParticipantRole.Pharmacy)))
            .AddPolicy(GatewayPolicies.CardIssuer, p => p.RequireRole(nameof(ParticipantRole.CardIssuer)))
            .AddPolicy(GatewayPolicies.Operator, p => p.RequireRole(nameof(ParticipantRole.Operator)));
        AddRateLimits(services, options.RateLimit);
        AddDeadlines(services, options);
        services.AddHostedService<BatchDeadlineWatch>();
        // The bus's queue depths and dead letters as gauges, read by the gateway's processes only.
        hub.AddPmhQueueMetrics();

        services.AddOpenApi("v1", GatewayOpenApi.Configure);
        services.Configure<JsonOptions>(o =>
        {
            o.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
            o.SerializerOptions.DefaultIgnoreCondition = JsonIgnoreCondition.Never;
        });

        // Each kind's batch-part faults are handled by the consumer its AddBatchKind registers.
        return hub.AddConsumers(bus => bus.AddConsumer<MunicipalBatchAppliedConsumer>());
    }

    /// <summary>API keys always; client certificates (mutual TLS) when trusted client CAs are configured.</summary>
    private static void AddCredentials(PmhHubBuilder hub, GatewayOptions options)
    {
        var authentication = hub.Services.AddAuthentication(CredentialsScheme)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null)
            .AddPolicyScheme(CredentialsScheme, "API key or client certificate", o =>
                o.ForwardDefaultSelector = context => context.Connection.ClientCertificate is not null && options.ClientCertificates.TrustedCas.Count > 0
                    ? ClientCertificates.SchemeName
                    : ApiKeyAuthenticationHandler.SchemeName);
        if (options.ClientCertificates.TrustedCas.Count > 0)
        {
            var cas = ClientCertificates.LoadTrustedCas(options.ClientCertificates.TrustedCas);
            authentication.AddCertificate(o => ClientCertificates.Configure(o, cas));
        }
    }

    /// <summary>
    /// Every API call has <see cref="GatewayOptions.RequestTimeout"/>: the request is cancelled and, if nothing was
    /// answered yet, the caller gets 503 with Retry-After (uploads, which stream a whole file, opt out).
    /// </summary>
    private static void AddDeadlines(IServiceCollection services, GatewayOptions options) =>
        services.AddRequestTimeouts(o => o.DefaultPolicy = new Microsoft.AspNetCore.Http.Timeouts.RequestTimeoutPolicy
        {
            Timeout = options.RequestTimeout,
            TimeoutStatusCode = StatusCodes.Status503ServiceUnavailable,
            WriteTimeoutResponse = context =>
            {
                context.Response.Headers.RetryAfter = "2";
                return ApiProblems.Status(
                        StatusCodes.Status503ServiceUnavailable,
                        "Request timed out",
                        string.Create(CultureInfo.InvariantCulture, $"The hub could not answer within {options.RequestTimeout.TotalSeconds:0.#} s (a service or the message broker is not answering); nothing was recorded. Try again shortly."))
                    .ExecuteAsync(context);
            },
        });

    /// <summary>
    /// Per participant (or, before authentication, per address): a token bucket; over it, 429 with Retry-After.
    /// <c>/health/*</c> is outside every bucket: a load balancer or orchestrator probing it often (and many callers
    /// behind one address) must never see 429 instead of the hub's health, nor use up the address's API budget.
    /// </summary>
    private static void AddRateLimits(IServiceCollection services, RateLimitOptions limits) =>
        services.AddRateLimiter(o =>
        {
            o.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
                context.Request.Path.StartsWithSegments("/health", StringComparison.OrdinalIgnoreCase)
                ? RateLimitPartition.GetNoLimiter("health")
                : RateLimitPartition.GetTokenBucketLimiter(
                    Participant.From(context.User)?.Id ?? "address:" + context.Connection.RemoteIpAddress,
                    _ => new TokenBucketRateLimiterOptions
                    {
                        TokenLimit = Math.Max(1, limits.Burst),
                        TokensPerPeriod = Math.Max(1, limits.PermitsPerSecond),
                        ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                        QueueLimit = 0,
                        AutoReplenishment = true,
                    }));
            o.AddPolicy(CitizenRateLimit, context => RateLimitPartition.GetFixedWindowLimiter(
                "citizen:" + context.Connection.RemoteIpAddress,
                _ => new FixedWindowRateLimiterOptions { PermitLimit = Math.Max(1, limits.CitizenPerMinute), Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));
            o.OnRejected = async (context, cancellationToken) =>
            {
                var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? (int)Math.Ceiling(wait.TotalSeconds) : 1;
                context.HttpContext.Response.StatusCode = StatusCodes.Status429TooManyRequests;
                context.HttpContext.Response.Headers.RetryAfter = Math.Max(1, retryAfter).ToString(CultureInfo.InvariantCulture);
                await ApiProblems.Status(StatusCodes.Status429TooManyRequests, "Too many requests", $"Slow down; retry after {Math.Max(1, retryAfter)} s.")
                    .ExecuteAsync(context.HttpContext).ConfigureAwait(false);
            };
        });

    /// <summary>The gateway's request pipeline: credentials, rate limits, the audit of refusals, then authorisation.</summary>
    public static IApplicationBuilder UseGateway(this IApplicationBuilder app)
    {
        if (!app.ApplicationServices.GetRequiredService<ServiceSelection>().Contains(ServiceName))
        {
            return app;
        }

        app.UseRequestTimeouts();
        app.UseAuthentication();
        app.UseRateLimiter();
        app.UseMiddleware<DenialAuditMiddleware>();
        app.UseAuthorization();
        return app;
    }

    /// <summary>Maps the gateway's API, when this process runs the gateway.</summary>
    public static IEndpointRouteBuilder MapGateway(this IEndpointRouteBuilder endpoints)
    {
        if (!endpoints.ServiceProvider.GetRequiredService<ServiceSelection>().Contains(ServiceName))
        {
            return endpoints;
        }

        endpoints.MapOpenApi("/openapi/{documentName}.json").AllowAnonymous();

        // The interactive reference: Scalar's own bundle, served from the package (no CDN), the bearer scheme preset.
        endpoints.MapScalarApiReference("/docs", o => o
                .WithTitle("PMH Hub API")
                .WithOpenApiRoutePattern("/openapi/{documentName}.json")
                .AddDocument("v1")
                .AddPreferredSecuritySchemes([GatewayOpenApi.BearerScheme])
                .AddHttpAuthentication(GatewayOpenApi.BearerScheme, s => s.Token = ""))
            .AllowAnonymous();
        var api = endpoints.MapGroup("/api/v1")
            .MapPublishingApi()
            .MapReceptionApi()
            .MapCardsApi()
            .MapParticipantsApi()
            .MapDeadLettersApi()
            .MapCitizenApi();
        foreach (var module in endpoints.ServiceProvider.GetServices<ApiModule>())
        {
            module.Map(api);
        }

        return endpoints;
    }
}
