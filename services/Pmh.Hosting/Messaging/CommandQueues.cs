using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using RabbitMQ.Client;

namespace Pmh.Hosting.Messaging;

/// <summary>A queue commands are sent to (a batch kind's parts), declared by every process that sends to it.</summary>
public sealed record CommandQueue(string Name)
{
    /// <summary>
    /// Where a command for <paramref name="queue"/> is sent: the queue's own exchange. Sending to <c>queue:</c> would
    /// make MassTransit declare the queue from the sender as a classic queue, which RabbitMQ refuses for a quorum queue;
    /// the exchange is bound to the queue by <see cref="RabbitMqCommandQueues"/> and by the consuming endpoint.
    /// </summary>
    public static Uri Address(string queue) => new($"exchange:{queue}");
}

/// <summary>
/// Declares, before the bus starts, every command queue this process sends to, with its exchange and binding, exactly
/// as the consuming endpoint declares them (durable, quorum unless <see cref="BusOptions.QuorumQueues"/> is off). A
/// command sent before its service first ever started then waits in its queue instead of being dropped by an exchange
/// that routes nowhere.
/// </summary>
public sealed partial class RabbitMqCommandQueues(
    IEnumerable<CommandQueue> queues, BusOptions options, Uri broker, ILogger<RabbitMqCommandQueues> logger) : IHostedService
{
    public static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var names = queues.Select(q => q.Name).Distinct(StringComparer.Ordinal).ToList();
        if (names.Count == 0)
        {
            return;
        }

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(StartTimeout);
        var factory = new ConnectionFactory { Uri = broker, ClientProvidedName = "pmh-command-queues" };
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await DeclareAsync(factory, RabbitMqCluster.Endpoints(broker, options), names, deadline.Token).ConfigureAwait(false);
                return;
            }
            catch (Exception e) when (HubFaults.IsTransient(e) || e is RabbitMQ.Client.Exceptions.BrokerUnreachableException)
            {
                if (deadline.IsCancellationRequested)
                {
                    throw;
                }

                LogBrokerAway(logger, attempt, e.Message);
                await Task.Delay(TimeSpan.FromSeconds(1), deadline.Token).ConfigureAwait(false);
            }
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task DeclareAsync(ConnectionFactory factory, IReadOnlyList<AmqpTcpEndpoint> endpoints, IReadOnlyList<string> names, CancellationToken cancellationToken)
    {
        var connection = await factory.CreateConnectionAsync(endpoints, cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            await using (channel.ConfigureAwait(false))
            {
                var arguments = options.QuorumQueues ? new Dictionary<string, object?> { ["x-queue-type"] = "quorum" } : null;
                foreach (var name in names)
                {
                    await channel.ExchangeDeclareAsync(name, ExchangeType.Fanout, durable: true, autoDelete: false, cancellationToken: cancellationToken).ConfigureAwait(false);
                    await channel.QueueDeclareAsync(name, durable: true, exclusive: false, autoDelete: false, arguments: arguments, cancellationToken: cancellationToken).ConfigureAwait(false);
                    await channel.QueueBindAsync(name, name, routingKey: "", cancellationToken: cancellationToken).ConfigureAwait(false);
                }
            }
        }

        LogDeclared(logger, names.Count, string.Join(", ", names));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Declared {Count} command queue(s) this process sends to: {Queues}")]
    private static partial void LogDeclared(ILogger logger, int count, string queues);

    [LoggerMessage(Level = LogLevel.Warning, Message = "RabbitMQ not reachable to declare command queues (attempt {Attempt}): {Reason}; trying again")]
    private static partial void LogBrokerAway(ILogger logger, int attempt, string reason);
}
