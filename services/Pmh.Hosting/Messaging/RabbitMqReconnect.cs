using System.Reflection;
using MassTransit;
using Microsoft.Extensions.Logging;

namespace Pmh.Hosting.Messaging;
/// <summary>
/// How soon the hub reconnects to RabbitMQ after losing it. MassTransit 8 tries again after 3 s, then up to every
/// 30 s, and has no setting for it: a broker back after 30 s would leave the hub deaf for up to half a minute more.
/// The policy is replaced on the host configuration the bus factory holds. Should a MassTransit release change that
/// shape, the hub still starts, keeps MassTransit's own policy and says so in its log.
/// </summary>
public static partial class RabbitMqReconnect
{
    public static bool TryApply(IRabbitMqBusFactoryConfigurator configurator, TimeSpan interval, ILogger logger)
    {
        try
        {
            var host = FindField(configurator.GetType(), f => f.FieldType.Name == "IRabbitMqHostConfiguration")?.GetValue(configurator);
            var policyField = host is null ? null : FindField(host.GetType(), f => f.Name == "<ReceiveTransportRetryPolicy>k__BackingField");
            if (host is null || policyField is null)
            {
                LogNotApplied(logger, "the bus factory's host configuration has another shape in this MassTransit release");
                return false;
            }

            var policy = Retry.CreatePolicy(x =>
            {
                x.Handle<MassTransit.ConnectionException>();
                x.Handle<RabbitMQ.Client.Exceptions.AlreadyClosedException>();
                x.Handle<EndOfStreamException>();
                x.Handle<RabbitMQ.Client.Exceptions.OperationInterruptedException>();
                x.Ignore<RabbitMQ.Client.Exceptions.AuthenticationFailureException>();
                // MassTransit lays the intervals out in one array: a day of tries at 1 s (MassTransit's own policy gives up after about 8 h).
                x.Interval((int)Math.Min(86_400, TimeSpan.FromDays(1) / interval), interval);
            });
            policyField.SetValue(host, policy);
            return true;
        }
        catch (Exception e) when (e is FieldAccessException or TargetException or ArgumentException)
        {
            LogNotApplied(logger, e.Message);
            return false;
        }
    }

    private static FieldInfo? FindField(Type? type, Func<FieldInfo, bool> match)
    {
        for (; type is not null; type = type.BaseType)
        {
            var field = type.GetFields(BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public | BindingFlags.DeclaredOnly)
                .FirstOrDefault(match);
            if (field is not null)
            {
                return field;
            }
        }

        return null;
    }

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "RabbitMQ reconnect interval not applied ({Reason}); MassTransit's own backoff (3 s up to 30 s) stays in force")]
    private static partial void LogNotApplied(ILogger logger, string reason);
}
