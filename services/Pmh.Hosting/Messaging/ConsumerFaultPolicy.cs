using MassTransit;
using Microsoft.Extensions.Logging;

namespace Pmh.Hosting.Messaging;

/// <summary>
/// How every receive endpoint of the hub meets a fault, in both set-ups (set for every endpoint through
/// <c>AddConfigureEndpointsCallback</c>, so consumers do not configure their own; and for the requests answered in
/// process, <see cref="InProcessRequests"/>):
/// <list type="bullet">
/// <item>a transient fault (<see cref="HubFaults.IsTransient"/>) holds the message and tries again, backing off to
/// <see cref="BusOptions.TransientRetryMaxInterval"/>, for <see cref="BusOptions.TransientRetryWindow"/>: consumption
/// pauses while the broker or a database is away and resumes when it returns, and nothing reaches <c>_error</c>;</item>
/// <item>a poison message (<see cref="HubFaults.IsPoison"/>) goes to <c>_error</c> at once;</item>
/// <item>any other fault is tried <see cref="DefectAttempts"/> times in all, quickly, then goes to <c>_error</c>;</item>
/// <item>a request whose time to live has passed is not answered: whoever asked has stopped waiting.</item>
/// </list>
/// </summary>
public static partial class ConsumerFaultPolicy
{
    public static readonly TimeSpan[] DefectRetryIntervals =
        [TimeSpan.FromMilliseconds(200), TimeSpan.FromMilliseconds(1000), TimeSpan.FromMilliseconds(3000)];

    public static int DefectAttempts => DefectRetryIntervals.Length + 1;

    public static readonly TimeSpan TransientRetryFirstInterval = TimeSpan.FromMilliseconds(250);

    public static void Apply(IConsumePipeConfigurator endpoint, BusOptions options, ILoggerFactory? loggers = null)
    {
        var window = options.TransientRetryWindow;
        var maxInterval = options.TransientRetryMaxInterval;
        endpoint.UseMessageRetry(retry =>
        {
            retry.Handle<Exception>(HubFaults.IsTransient);
            retry.Exponential(TransientAttemptsWithin(window, maxInterval), TransientRetryFirstInterval, maxInterval, TransientRetryFirstInterval);
        });
        endpoint.UseMessageRetry(retry =>
        {
            retry.Ignore<Exception>(e => HubFaults.IsTransient(e) || HubFaults.IsPoison(e));
            retry.Intervals(DefectRetryIntervals);
        });
        endpoint.UseFilter(new ExpiredRequestFilter(loggers?.CreateLogger(typeof(ConsumerFaultPolicy).FullName!)));
    }

    /// <summary>
    /// How many retries of an exponential backoff (starting at <see cref="TransientRetryFirstInterval"/>, doubling up to
    /// <paramref name="maxInterval"/>) fit into <paramref name="window"/>.
    /// </summary>
    public static int TransientAttemptsWithin(TimeSpan window, TimeSpan maxInterval)
    {
        var attempts = 0;
        var elapsed = TimeSpan.Zero;
        var interval = TransientRetryFirstInterval;
        while (elapsed + interval <= window)
        {
            elapsed += interval;
            attempts++;
            interval = interval * 2 < maxInterval ? interval * 2 : maxInterval;
        }

        return Math.Max(attempts, 1);
    }

    private sealed partial class ExpiredRequestFilter(ILogger? logger) : IFilter<ConsumeContext>
    {
        public Task Send(ConsumeContext context, IPipe<ConsumeContext> next)
        {
            if (context.ExpirationTime is { } expires && expires < DateTime.UtcNow && context.ResponseAddress is not null)
            {
                if (logger is not null)
                {
                    LogExpired(logger, context.MessageId, context.DestinationAddress);
                }

                return Task.CompletedTask;
            }

            return next.Send(context);
        }

        public void Probe(ProbeContext context) => context.CreateFilterScope("expiredRequests");

        [LoggerMessage(Level = LogLevel.Information, Message = "Request {MessageId} to {Destination} expired before it was handled; not answered")]
        private static partial void LogExpired(ILogger logger, Guid? messageId, Uri? destination);
    }
}
