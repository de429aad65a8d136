using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Pmh.Hosting.Messaging.DeadLetters;

namespace Pmh.Hosting.Telemetry;

/// <summary>The depth of one queue as last read.</summary>
public sealed record QueueDepth(string Queue, long Messages);

/// <summary>Reads the depth of every queue of the hub's vhost (RabbitMQ) or of the captured dead letters (in-memory bus).</summary>
public interface IQueueDepths
{
    Task<IReadOnlyList<QueueDepth>> ReadAsync(CancellationToken cancellationToken);
}

/// <summary>
/// Gauges of the bus read every <see cref="TelemetryOptions.QueuePollInterval"/> by one process (the gateway's):
/// <c>pmh.bus.queue.messages</c> (every queue, by <c>queue</c>), <c>pmh.bus.dead_letters</c> (the <c>_error</c>
/// queues) and <c>pmh.bus.queue.read_failures</c>. A broker that cannot be read leaves the last figures and counts a
/// failure; nothing here ever blocks a scrape.
/// </summary>
public sealed partial class QueueMetrics : BackgroundService
{
    private static readonly Counter<long> ReadFailures = PmhTelemetry.Meter.CreateCounter<long>(
        "pmh.bus.queue.read_failures", unit: "{failure}", description: "Queue depth reads that failed (broker or management API unreachable)");

    private static readonly object Gate = new();
    private static readonly List<QueueMetrics> Instances = [];

    private readonly IQueueDepths _depths;
    private readonly TelemetryOptions _options;
    private readonly ILogger<QueueMetrics> _logger;
    private volatile IReadOnlyList<QueueDepth> _last = [];

    static QueueMetrics()
    {
        PmhTelemetry.Meter.CreateObservableGauge("pmh.bus.queue.messages", () => Observe(error: false), unit: "{message}",
            description: "Messages in each queue of the hub's vhost, as last read");
        PmhTelemetry.Meter.CreateObservableGauge("pmh.bus.dead_letters", () => Observe(error: true), unit: "{message}",
            description: "Messages in each error queue (dead letters), as last read");
    }

    public QueueMetrics(IQueueDepths depths, TelemetryOptions options, ILogger<QueueMetrics> logger)
    {
        _depths = depths;
        _options = options;
        _logger = logger;
    }

    /// <summary>The figures of the last read.</summary>
    public IReadOnlyList<QueueDepth> Last => _last;

    /// <summary>Reads the depths once now (the loop does this every interval).</summary>
    public async Task ReadOnceAsync(CancellationToken cancellationToken)
    {
        try
        {
            _last = await _depths.ReadAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is DeadLettersUnavailableException or HttpRequestException or TimeoutException
                                      || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            ReadFailures.Add(1);
            LogReadFailed(_logger, e.GetBaseException().Message);
        }
    }

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        lock (Gate)
        {
            Instances.Add(this);
        }

        return base.StartAsync(cancellationToken);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        lock (Gate)
        {
            Instances.Remove(this);
        }

        await base.StopAsync(cancellationToken).ConfigureAwait(false);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(_options.QueuePollInterval > TimeSpan.Zero ? _options.QueuePollInterval : TimeSpan.FromSeconds(15));
        try
        {
            do
            {
                await ReadOnceAsync(stoppingToken).ConfigureAwait(false);
            }
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private static IEnumerable<Measurement<long>> Observe(bool error)
    {
        QueueMetrics[] instances;
        lock (Gate)
        {
            instances = [.. Instances];
        }

        return instances
            .SelectMany(i => i.Last)
            .Where(q => !error || q.Queue.EndsWith(DeadLetterHeaders.ErrorSuffix, StringComparison.Ordinal))
            .Select(q => new Measurement<long>(q.Messages, new KeyValuePair<string, object?>("queue", q.Queue)))
            .ToList();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Queue depths could not be read: {Reason}")]
    private static partial void LogReadFailed(ILogger logger, string reason);
}

public static class QueueMetricsRegistration
{
    /// <summary>Queue-depth and dead-letter gauges, read by this process (call it in one role only: the gateway's).</summary>
    public static PmhHubBuilder AddPmhQueueMetrics(this PmhHubBuilder hub)
    {
        ArgumentNullException.ThrowIfNull(hub);
        hub.Services.AddSingleton<IQueueDepths>(sp => sp.GetRequiredService<IDeadLetters>() switch
        {
            IQueueDepths depths => depths,
            var deadLetters => new DeadLetterDepths(deadLetters),
        });
        hub.Services.AddSingleton<QueueMetrics>();
        hub.Services.AddHostedService(sp => sp.GetRequiredService<QueueMetrics>());
        return hub;
    }

    /// <summary>Where only dead letters can be counted (the in-memory bus): the error queues with their counts.</summary>
    private sealed class DeadLetterDepths(IDeadLetters deadLetters) : IQueueDepths
    {
        public async Task<IReadOnlyList<QueueDepth>> ReadAsync(CancellationToken cancellationToken)
        {
            var listing = await deadLetters.ListAsync(null, 1, cancellationToken).ConfigureAwait(false);
            return listing.Queues.Select(q => new QueueDepth(q.Queue, q.Count)).ToList();
        }
    }
}
