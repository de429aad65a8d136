using System.Globalization;
using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Pmh.Hosting.Telemetry;

/// <summary>
/// OpenTelemetry for every PMH process, whichever services it runs: traces of ASP.NET Core, MassTransit, Npgsql,
/// SqlClient and the hub's own spans; metrics of the hub (<see cref="PmhTelemetry"/>), the gateway, MassTransit,
/// Npgsql, ASP.NET Core, Kestrel and the runtime, scraped as Prometheus text; OTLP export of both (and of logs) when
/// the standard <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is configured, and to nowhere else.
/// </summary>
public static class TelemetryRegistration
{
    public const string MetricsPath = "/metrics";

    /// <summary>The meters whose instruments the hub exports.</summary>
    public static readonly IReadOnlyList<string> Meters =
    [
        PmhTelemetry.Name, "Pmh.Gateway", "MassTransit", "Npgsql",
        "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel", "System.Runtime",
    ];

    public static void AddPmhTelemetry(this IHostApplicationBuilder host, ServiceSelection selection)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(selection);
        var options = host.Configuration.GetSection("Pmh:Telemetry").Get<TelemetryOptions>() ?? new TelemetryOptions();
        host.Services.AddSingleton(options);
        host.Services.AddConsumeObserver<ConsumerFaultObserver>();

        var telemetry = host.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource
                .AddService(serviceName: "pmh-hub", serviceInstanceId: System.Environment.MachineName + ":" + System.Environment.ProcessId.ToString(CultureInfo.InvariantCulture))
                .AddAttributes([new("pmh.services", selection.IsAll ? "all" : string.Join(",", selection.Selected.Order(StringComparer.Ordinal)))]))
            .WithMetrics(metrics => metrics
                .AddMeter([.. Meters])
                .AddPrometheusExporter(o => o.ScrapeResponseCacheDurationMilliseconds = 0));
        if (options.Traces)
        {
            telemetry.WithTracing(tracing => tracing
                .AddSource(PmhTelemetry.Name, "MassTransit")
                .AddAspNetCoreInstrumentation(o =>
                {
                    // Probes and scrapes every few seconds are no trace anyone follows.
                    o.Filter = context => !context.Request.Path.StartsWithSegments("/health", StringComparison.OrdinalIgnoreCase)
                                          && !context.Request.Path.StartsWithSegments(MetricsPath, StringComparison.OrdinalIgnoreCase);
                    o.RecordException = false;
                })
                .AddNpgsql()
                .AddSqlClientInstrumentation());
        }

        if (!string.IsNullOrWhiteSpace(host.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            // The endpoint, protocol and headers come from the standard OTEL_EXPORTER_OTLP_* settings.
            telemetry.UseOtlpExporter();
        }

        if (options.MetricsPort is { } port)
        {
            AddMetricsPort(host, port);
        }
    }

    /// <summary>
    /// <c>/metrics</c> on the API's port for operators only (<paramref name="operatorPolicy"/>, the gateway's); a
    /// process without the gateway has no credentials to check and serves it only on <see cref="TelemetryOptions.MetricsPort"/>.
    /// </summary>
    public static IEndpointRouteBuilder MapPmhMetrics(this IEndpointRouteBuilder endpoints, string? operatorPolicy)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        if (operatorPolicy is not null)
        {
            endpoints.MapPrometheusScrapingEndpoint(MetricsPath).RequireAuthorization(operatorPolicy);
        }

        return endpoints;
    }

    /// <summary>Kestrel listens on the metrics port too, which answers <c>/metrics</c> and 404 for anything else.</summary>
    private static void AddMetricsPort(IHostApplicationBuilder host, int port)
    {
        if (port is < 1 or > 65535)
        {
            throw new PmhConfigurationException($"Pmh:Telemetry:MetricsPort must be a TCP port (1-65535), not {port}.");
        }

        var urls = host.Configuration[WebHostDefaults.ServerUrlsKey];
        if (string.IsNullOrWhiteSpace(urls))
        {
            // What Kestrel would listen on without it: ASPNETCORE_HTTP_PORTS (as the .NET container images set), else 5000.
            var httpPorts = host.Configuration["HTTP_PORTS"];
            urls = string.IsNullOrWhiteSpace(httpPorts)
                ? "http://localhost:5000"
                : string.Join(';', httpPorts.Split([';', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(p => "http://*:" + p));
        }

        host.Configuration[WebHostDefaults.ServerUrlsKey] = urls + ";http://*:" + port.ToString(CultureInfo.InvariantCulture);
        host.Services.AddSingleton<IStartupFilter>(new MetricsPortFilter(port));
    }

    private sealed class MetricsPortFilter(int port) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.UseOpenTelemetryPrometheusScrapingEndpoint(context =>
                context.Connection.LocalPort == port && context.Request.Path == MetricsPath);
            app.Use((context, following) =>
            {
                if (context.Connection.LocalPort == port)
                {
                    context.Response.StatusCode = StatusCodes.Status404NotFound;
                    return Task.CompletedTask;
                }

                return following(context);
            });
            next(app);
        };
    }
}
