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
/// Gauges of the bus, in one process (the gateway's): <c>pmh.bus.queue.messages</c> (every queue, by <c>queue</c>),
/// <c>pmh.bus.dead_letters</c> (the <c>_error</c> queues) and <c>pmh.bus.queue.read_failures</c>. The broker is read
/// only when the gauges are collected (a scrape, an OTLP export), at most every <see cref="TelemetryOptions.QueuePollInterval"/>,
/// in the background: a collection shows the figures of the read before it and never waits for the broker, and a
/// hub nobody scrapes makes no such request at all. A read that fails keeps the last figures and counts a failure.
/// </summary>
public sealed partial class QueueMetrics : IHostedService
{
    private static readonly Counter<long> ReadFailures = PmhTelemetry.Meter.CreateCounter<long>(
        "pmh.bus.queue.read_failures", unit: "{failure}", description: "Queue depth reads that failed (broker or management API unreachable)");

    private static readonly object Gate = new();
    private static readonly List<QueueMetrics> Instances = [];

    private readonly IQueueDepths _depths;
    private readonly TimeSpan _interval;
    private readonly ILogger<QueueMetrics> _logger;
    // Never disposed: it has no timer, and a collection may still run while the host shuts down.
    private readonly CancellationTokenSource _stopping = new();
    private volatile IReadOnlyList<QueueDepth> _last = [];
    private long _lastReadAt = long.MinValue;
    private int _reading;

    static QueueMetrics()
    {
        PmhTelemetry.Meter.CreateObservableGauge("pmh.bus.queue.messages", () => Observe(error: false), unit: "{message}",
            description: "Messages in each queue of the hub's vhost, as last read");
        PmhTelemetry.Meter.CreateObservableGauge("pmh.bus.dead_letters", () => Observe(error: true), unit: "{message}",
            description: "Messages in each error queue (dead letters), as last read");
    }

    public QueueMetrics(IQueueDepths depths, TelemetryOptions options, ILogger<QueueMetrics> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _depths = depths;
        _interval = options.QueuePollInterval > TimeSpan.Zero ? options.QueuePollInterval : TimeSpan.FromSeconds(15);
        _logger = logger;
    }

    /// <summary>The figures of the last read.</summary>
    public IReadOnlyList<QueueDepth> Last => _last;

    /// <summary>Reads the depths now.</summary>
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

    public Task StartAsync(CancellationToken cancellationToken)
    {
        lock (Gate)
        {
            Instances.Add(this);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        lock (Gate)
        {
            Instances.Remove(this);
        }

        _stopping.Cancel();
        return Task.CompletedTask;
    }

    /// <summary>Starts a read in the background when the last one is older than the interval and none is running.</summary>
    private void RefreshIfStale()
    {
        var now = Environment.TickCount64;
        if (_stopping.IsCancellationRequested || now - Interlocked.Read(ref _lastReadAt) < (long)_interval.TotalMilliseconds
            || Interlocked.Exchange(ref _reading, 1) == 1)
        {
            return;
        }

        Interlocked.Exchange(ref _lastReadAt, now);
        _ = Task.Run(async () =>
        {
            try
            {
                await ReadOnceAsync(_stopping.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }
            finally
            {
                Volatile.Write(ref _reading, 0);
            }
        });
    }

    private static IEnumerable<Measurement<long>> Observe(bool error)
    {
        QueueMetrics[] instances;
        lock (Gate)
        {
            instances = [.. Instances];
        }

        foreach (var instance in instances)
        {
            instance.RefreshIfStale();
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
