using System.Globalization;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Pmh.Gateway.Storage;

namespace Pmh.Gateway.Publishing;

/// <summary>
/// No batch stays <c>accepted</c> for ever: outages shorter than <see cref="GatewayOptions.BatchDeadline"/> are ridden
/// out (its parts wait in durable queues and outboxes), and a batch still not applied after it is marked failed with
/// the reason, so the municipality knows to look and may post it again (posting again is safe: parts are idempotent).
/// </summary>
public sealed partial class BatchDeadlineWatch(
    BatchStore batches, GatewayOptions options, TimeProvider timeProvider, ILogger<BatchDeadlineWatch> logger) : BackgroundService
{
    /// <summary>How often accepted batches are looked at: a tenth of the deadline, between 1 s and 1 minute.</summary>
    public TimeSpan Interval => TimeSpan.FromTicks(Math.Clamp(options.BatchDeadline.Ticks / 10, TimeSpan.TicksPerSecond, TimeSpan.TicksPerMinute));

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, timeProvider);
        do
        {
            try
            {
                await FailOverdueAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                // The gateway's own database may be the one away: look again on the next tick.
                LogWatchFailed(logger, e.GetType().Name, e.Message);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    /// <summary>Marks failed every batch accepted longer ago than the deadline; returns how many.</summary>
    public async Task<int> FailOverdueAsync(CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        var failed = 0;
        foreach (var (municipality, batchId, kind, submittedAt) in await batches.AcceptedAsync(cancellationToken).ConfigureAwait(false))
        {
            if (now - submittedAt < options.BatchDeadline)
            {
                break;
            }

            var minutes = options.BatchDeadline.TotalMinutes.ToString("0.#", CultureInfo.InvariantCulture);
            await batches.FailAsync(
                municipality,
                batchId,
                $"The {kind} batch was not applied within {minutes} minutes of its acceptance (a service or the message broker " +
                "was unavailable for longer than that). Nothing of it is visible unless it completes later; post the same batch " +
                "again once the hub is healthy: that is safe and stores it once.",
                now,
                cancellationToken).ConfigureAwait(false);
            LogBatchOverdue(logger, kind, municipality, batchId, minutes);
            failed++;
        }

        return failed;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Batch {Kind} {MunicipalityCode}/{BatchId} not applied within {Minutes} min of acceptance: marked failed")]
    private static partial void LogBatchOverdue(ILogger logger, string kind, string municipalityCode, string batchId, string minutes);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Batch deadline watch could not look at accepted batches ({ExceptionType}: {Reason}); trying again")]
    private static partial void LogWatchFailed(ILogger logger, string exceptionType, string reason);
}
