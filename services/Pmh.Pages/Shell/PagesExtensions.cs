using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Pmh.Modules.Pages;
using Pmh.Gateway;
using Pmh.Hosting;
using Pmh.Modules;

namespace Pmh.Pages.Shell;

/// <summary>
/// The hub's pages beside the API, in the process that runs the gateway: <c>builder.AddPmhPages()</c> adds them,
/// <c>app.MapPmhPages()</c> maps them. Staff sign in with their participant's API key once; the session is a cookie
/// carrying the same claims the API key handler gives, so the gateway's policies decide for pages as for the API.
/// </summary>
public static class PagesExtensions
{
    /// <summary>The session cookie's scheme.</summary>
    public const string SessionScheme = "PmhSession";

    public const string SessionCookie = "pmh-session";

    /// <summary>The session's claim of its key's SHA-256 (as the participant store keeps it), checked on every request.</summary>
    public const string KeyHashClaim = "pmh:key-sha256";

    public static PmhHubBuilder AddPmhPages(this PmhHubBuilder hub)
    {
        ArgumentNullException.ThrowIfNull(hub);
        if (!hub.RunsGateway())
        {
            return hub;
        }

        // Development finds this library's CSS and JS through the build's static web assets manifest by itself; any
        // other environment run from a build (the tests, the fault suite's Production hub) needs it said. A published
        // hub has no manifest and serves them from its wwwroot.
        if (hub.Environment is Microsoft.AspNetCore.Hosting.IWebHostEnvironment web && !web.EnvironmentName.Equals("Development", StringComparison.Ordinal))
        {
            Microsoft.AspNetCore.Hosting.StaticWebAssets.StaticWebAssetsLoader.UseStaticWebAssets(web, hub.Configuration);
        }

        var services = hub.Services;
        services.AddRazorPages().AddApplicationPart(typeof(PagesExtensions).Assembly);
        services.AddHttpContextAccessor();
        // Japanese text is written as it is, not as numeric character references.
        services.Configure<Microsoft.Extensions.WebEncoders.WebEncoderOptions>(o =>
            o.TextEncoderSettings = new System.Text.Encodings.Web.TextEncoderSettings(System.Text.Unicode.UnicodeRanges.All));
        services.AddScoped<PageText>();
        services.AddAntiforgery(o =>
        {
            o.Cookie.Name = "pmh-antiforgery";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.FormFieldName = "__pmh_token";
        });
        services.AddAuthentication().AddCookie(SessionScheme, o =>
        {
            o.Cookie.Name = SessionCookie;
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.ExpireTimeSpan = TimeSpan.FromHours(8);
            o.SlidingExpiration = true;
            o.LoginPath = "/sign-in";
            o.LogoutPath = "/sign-out";
            o.AccessDeniedPath = "/forbidden";
            o.Events.OnValidatePrincipal = async context =>
            {
                var hash = context.Principal?.FindFirst(KeyHashClaim)?.Value;
                var store = context.HttpContext.RequestServices.GetRequiredService<Gateway.Participants.ParticipantStore>();
                var current = hash is null ? null : await store.FindByKeyHashAsync(hash, context.HttpContext.RequestAborted).ConfigureAwait(false);
                if (current is null || current.Id != Modules.Participants.Participant.From(context.Principal!)?.Id)
                {
                    // The key was revoked (or rotated away): the session ends with it.
                    context.RejectPrincipal();
                    await context.HttpContext.SignOutAsync(SessionScheme).ConfigureAwait(false);
                }
            };
        });

        // The gateway's credentials scheme forwards to the session cookie for pages (never for the API: an API call
        // carries its key or client certificate, and a page's cookie opens no API endpoint).
        services.PostConfigure<PolicySchemeOptions>(GatewayServiceExtensions.CredentialsScheme, o =>
        {
            var api = o.ForwardDefaultSelector;
            o.ForwardDefaultSelector = context =>
                IsPage(context.Request) && string.IsNullOrEmpty(context.Request.Headers.Authorization) && context.Connection.ClientCertificate is null
                    ? SessionScheme
                    : api?.Invoke(context);
        });
        return hub;
    }

    /// <summary>The pages, their static files and their security headers.</summary>
    public static WebApplication MapPmhPages(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        if (!app.Services.GetRequiredService<ServiceSelection>().Contains(GatewayServiceExtensions.ServiceName))
        {
            return app;
        }

        app.Use((context, next) =>
        {
            if (IsPage(context.Request))
            {
                SecurityHeaders.Apply(context.Response);
            }

            return next(context);
        });
        app.MapStaticAssets().AllowAnonymous();
        app.MapDemoCards();
        app.MapRazorPages();
        return app;
    }

    /// <summary>Whether a request is for the pages (anything outside the API, its documents, the docs and health).</summary>
    public static bool IsPage(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var path = request.Path;
        return !(path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase)
            || path.StartsWithSegments("/openapi", StringComparison.OrdinalIgnoreCase)
            || path.StartsWithSegments("/docs", StringComparison.OrdinalIgnoreCase)
            || path.StartsWithSegments("/health", StringComparison.OrdinalIgnoreCase)
            || path.StartsWithSegments(Pmh.Hosting.Telemetry.TelemetryRegistration.MetricsPath, StringComparison.OrdinalIgnoreCase)
            || path.StartsWithSegments("/scalar", StringComparison.OrdinalIgnoreCase));
    }
}

/// <summary>The headers of every page: a Content-Security-Policy without inline script or style, and no framing.</summary>
public static class SecurityHeaders
{
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; font-src 'self'; "
        + "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    public static void Apply(HttpResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        response.Headers.ContentSecurityPolicy = ContentSecurityPolicy;
        response.Headers.XContentTypeOptions = "nosniff";
        response.Headers["Referrer-Policy"] = "no-referrer";
        response.Headers.XFrameOptions = "DENY";
    }
}
