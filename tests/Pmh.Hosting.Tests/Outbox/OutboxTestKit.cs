using System.Collections.Concurrent;
using MassTransit;
using Microsoft.Extensions.Logging.Abstractions;
using Pmh.Hosting.Outbox;
using Pmh.Hosting.Storage;

namespace Pmh.Hosting.Tests.Outbox;

/// <summary>A message the outbox tests send.</summary>
public sealed record OutboxProbe(int Number, string Text);

/// <summary>A command the outbox tests send to a queue.</summary>
public sealed record OutboxProbeCommand(int Number);

/// <summary>A transport that records what the dispatcher hands it, and fails while told to (a broker outage).</summary>
internal sealed class RecordingTransport : IOutboxTransport
{
    public ConcurrentQueue<OutboxEnvelope> Delivered { get; } = new();

    /// <summary>Deliveries left before the "broker" goes down; null: it stays up.</summary>
    public int? FailAfter { get; set; }

    public Task DeliverAsync(OutboxEnvelope envelope, CancellationToken cancellationToken)
    {
        if (FailAfter is { } left)
        {
            if (left <= 0)
            {
                throw new InvalidOperationException("broker unreachable (test)");
            }

            FailAfter = left - 1;
        }

        Delivered.Enqueue(envelope);
        return Task.CompletedTask;
    }
}

internal static class OutboxTestKit
{
    public static OutboxDispatcher Dispatcher(
        ServiceDatabase database, IOutboxTransport transport, TimeProvider time, bool inMemoryBus = false, OutboxOptions? options = null,
        IEnumerable<ServiceDatabase>? inboxDatabases = null) =>
        new(database, transport, options ?? new OutboxOptions(), inMemoryBus, () => inboxDatabases ?? [database], null, time, NullLogger<OutboxDispatcher>.Instance);

    /// <summary>Writes probes 1..count in one transaction each, as a service's state changes would.</summary>
    public static async Task<List<Guid>> WriteProbesAsync(ServiceDatabase database, int count, int first = 1)
    {
        var ids = new List<Guid>();
        for (var n = first; n < first + count; n++)
        {
            var number = n;
            ids.Add(await database.InTransactionAsync(
                (connection, transaction, ct) => OutboxWriter.PublishAsync(database, connection, transaction, new OutboxProbe(number, $"probe {number}"), ct),
                CancellationToken.None));
        }

        return ids;
    }

    public static Task<long> CountAsync(ServiceDatabase database, string where) =>
        database.RunAsync(
            (connection, ct) => Dapper.SqlMapper.ExecuteScalarAsync<long>(connection, new Dapper.CommandDefinition($"SELECT COUNT(*) FROM outbox_messages WHERE {where}", cancellationToken: ct)),
            CancellationToken.None).AsTask();

    public static Guid NewMessageId() => NewId.NextGuid();
}
