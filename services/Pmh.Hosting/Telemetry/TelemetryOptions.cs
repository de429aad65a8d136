namespace Pmh.Hosting.Telemetry;

/// <summary><c>Pmh:Telemetry</c>.</summary>
public sealed class TelemetryOptions
{
    /// <summary>Spans (ASP.NET Core, MassTransit, SQL, the hub's own); exported over OTLP when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set.</summary>
    public bool Traces { get; set; } = true;

    /// <summary>
    /// A port of its own on which <c>/metrics</c> (Prometheus text) is served without credentials, and nothing else;
    /// for a scraper that reaches the pod but not the API. Without it only a gateway process serves <c>/metrics</c>, to operators.
    /// </summary>
    public int? MetricsPort { get; set; }

    /// <summary>How often the gateway reads the broker's queue depths and dead letters for the gauges.</summary>
    public TimeSpan QueuePollInterval { get; set; } = TimeSpan.FromSeconds(15);
}
