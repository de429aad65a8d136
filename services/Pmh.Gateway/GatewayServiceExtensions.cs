using System.Text.Json;
using System.Text.Json.Serialization;
using MassTransit;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Pmh.Gateway.Apis;
using Pmh.Gateway.Consumers;
using Pmh.Gateway.Participants;
using Pmh.Gateway.Publishing;
using Pmh.Gateway.Reception;
using Pmh.Gateway.Storage;
using Pmh.Hosting;

namespace Pmh.Gateway;

public static class GatewayServiceExtensions
{
    public const string ServiceName = "gateway";
    public const string DatabaseName = "Gateway";

    /// <summary>
    /// The gateway: the HTTP API under <c>/api/v1</c>, participants and their keys, and the turning of My Numbers
    /// into person keys before anything reaches the bus.
    /// </summary>
    public static PmhHubBuilder AddGatewayService(this PmhHubBuilder hub)
    {
        if (!hub.Selection.Contains(ServiceName))
        {
            return hub;
        }

        var services = hub.Services;
        hub.AddServiceDatabase(DatabaseName, typeof(GatewayServiceExtensions).Assembly);
        services.AddSingleton(hub.Configuration.GetSection("Pmh:Gateway").Get<GatewayOptions>() ?? new GatewayOptions());
        services.AddSingleton(ParticipantDirectory.FromConfiguration(hub.Configuration, hub.Environment));
        services.AddSingleton<BatchStore>();
        services.AddScoped<BatchPublisher>();
        services.AddSingleton<SubsidyCertificates>();
        services.AddSingleton<VaccinationRecords>();
        services.AddSingleton<Pregnancies>();
        services.AddSingleton<Children>();
        services.AddSingleton(hub.Configuration.GetSection("Pmh:Reception").Get<ReceptionOptions>() ?? new ReceptionOptions());
        services.AddSingleton<ReceptionCheckStore>();
        services.AddScoped<ReceptionCheckService>();
        hub.AddReceptionLookup<SubsidyReceptionLookup>();
        hub.AddReceptionLookup<VaccinationReceptionLookup>();
        hub.AddReceptionLookup<MaternalChildReceptionLookup>();

        services.AddAuthentication(ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
        services.AddAuthorizationBuilder()
            // Anything not declared otherwise needs an authenticated participant; each API names its roles.
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build())
            .AddPolicy(GatewayPolicies.Municipality, p => p.RequireRole(nameof(ParticipantRole.Municipality)))
            .AddPolicy(GatewayPolicies.Reception, p => p.RequireRole(nameof(ParticipantRole.MedicalInstitution), nameof(ParticipantRole.Pharmacy)))
            .AddPolicy(GatewayPolicies.CardIssuer, p => p.RequireRole(nameof(ParticipantRole.CardIssuer)));

        services.AddOpenApi("v1");
        services.Configure<JsonOptions>(o =>
        {
            o.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
            o.SerializerOptions.DefaultIgnoreCondition = JsonIgnoreCondition.Never;
        });

        return hub.AddConsumers(bus =>
        {
            bus.AddConsumer<SubsidyCertificatesPublishedConsumer>();
            bus.AddConsumer<PublishSubsidyCertificatesFaultConsumer>();
            bus.AddConsumer<VaccinationRecordsRegisteredConsumer>();
            bus.AddConsumer<RegisterVaccinationRecordsFaultConsumer>();
            bus.AddConsumer<MaternalChildRecordsRegisteredConsumer>();
            bus.AddConsumer<RegisterPregnanciesFaultConsumer>();
            bus.AddConsumer<RegisterChildrenFaultConsumer>();
        });
    }

    /// <summary>
    /// Adds a kind of data to the reception check: its lookup is asked, in parallel with the others, whenever the
    /// patient consented to its kind. This one registration is all a new kind needs.
    /// </summary>
    public static PmhHubBuilder AddReceptionLookup<TLookup>(this PmhHubBuilder hub) where TLookup : class, IReceptionLookup
    {
        hub.Services.AddScoped<IReceptionLookup, TLookup>();
        return hub;
    }

    /// <summary>Maps the gateway's API, when this process runs the gateway.</summary>
    public static IEndpointRouteBuilder MapGateway(this IEndpointRouteBuilder endpoints)
    {
        if (!endpoints.ServiceProvider.GetRequiredService<ServiceSelection>().Contains(ServiceName))
        {
            return endpoints;
        }

        endpoints.MapOpenApi("/openapi/{documentName}.json").AllowAnonymous();
        endpoints.MapGroup("/api/v1")
            .MapPublishingApi()
            .MapReceptionApi()
            .MapCardsApi()
            .MapVaccinationApi()
            .MapMaternalChildApi();
        return endpoints;
    }
}
