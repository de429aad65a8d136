using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;

namespace Pmh.Gateway.Audit;

/// <summary>
/// Requests refused with 401 before anyone was authenticated. They are not audited one by one — anyone can send them,
/// as fast as the address's rate limit lets them, and each would be an append-only row in the audit chain forever —
/// but counted: the <c>pmh.gateway.anonymous_refusals</c> counter (meter <c>Pmh.Gateway</c>), and at most one log
/// line a minute with how many there were since the last one. Refusals of an authenticated participant are still
/// audited, each one.
/// </summary>
public sealed partial class AnonymousRefusals(TimeProvider timeProvider, ILogger<AnonymousRefusals> logger)
{
    public const string MeterName = "Pmh.Gateway";
    public const string CounterName = "pmh.gateway.anonymous_refusals";

    /// <summary>The shortest time between two log lines about anonymous refusals.</summary>
    public static readonly TimeSpan LogInterval = TimeSpan.FromMinutes(1);

    private static readonly Meter Meter = new(MeterName);
    private static readonly Counter<long> Counter = Meter.CreateCounter<long>(CounterName, description: "Requests refused with 401 before authentication");

    private readonly Lock _gate = new();
    private long _sinceLastLog;
    private DateTimeOffset? _lastLog;

    /// <summary>Counts one refusal; logs the count when the last line is at least <see cref="LogInterval"/> old.</summary>
    public void Count(string endpoint)
    {
        Counter.Add(1);
        long count;
        lock (_gate)
        {
            _sinceLastLog++;
            var now = timeProvider.GetUtcNow();
            if (_lastLog is { } last && now - last < LogInterval)
            {
                return;
            }

            count = _sinceLastLog;
            _sinceLastLog = 0;
            _lastLog = now;
        }

        LogRefused(count, LogInterval.TotalSeconds, endpoint);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Count} anonymous request(s) refused with 401 since the last report (reports at most every {Seconds} s); the latest: {Endpoint}")]
    private partial void LogRefused(long count, double seconds, string endpoint);
}
