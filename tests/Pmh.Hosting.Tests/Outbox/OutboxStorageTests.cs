using Dapper;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Pmh.Hosting.Outbox;
using Pmh.Hosting.Storage;
using Pmh.Testing;

namespace Pmh.Hosting.Tests.Outbox;

/// <summary>
/// The outbox writer, the dispatcher's rounds and the inbox, on a database migrated by Hosting's own migration:
/// SQLite always, PostgreSQL when the test server answers, SQL Server when one is named.
/// </summary>
public abstract class OutboxStorageTests : IDisposable
{
    private readonly Lazy<TestDatabase> _database;
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 4, 1, 9, 0, 0, TimeSpan.Zero));

    protected OutboxStorageTests(StorageProvider provider)
    {
        _database = new Lazy<TestDatabase>(() => TestDatabase.Create(provider, "Outbox", typeof(OutboxDispatcher).Assembly));
    }

    protected abstract string? WhyNotAvailable { get; }

    private ServiceDatabase Database()
    {
        Skip.If(WhyNotAvailable is not null, WhyNotAvailable);
        return _database.Value.Database;
    }

    [SkippableFact]
    public async Task Messages_commit_with_their_transaction_and_a_rolled_back_transaction_leaves_none()
    {
        var database = Database();
        await OutboxTestKit.WriteProbesAsync(database, 2);

        await Assert.ThrowsAsync<InvalidOperationException>(() => database.InTransactionAsync<int>(
            async (connection, transaction, ct) =>
            {
                await OutboxWriter.PublishAsync(database, connection, transaction, new OutboxProbe(3, "rolled back"), ct);
                throw new InvalidOperationException("the state change failed");
            },
            CancellationToken.None).AsTask());

        Assert.Equal(2, await OutboxTestKit.CountAsync(database, "1 = 1"));
    }

    [SkippableFact]
    public async Task The_dispatcher_sends_pending_messages_in_the_order_written_with_their_message_ids_and_once()
    {
        var database = Database();
        var ids = await OutboxTestKit.WriteProbesAsync(database, 5);
        var transport = new RecordingTransport();
        var dispatcher = OutboxTestKit.Dispatcher(database, transport, _time, options: new OutboxOptions { BatchSize = 2 });

        while (await dispatcher.DispatchPendingAsync(CancellationToken.None) > 0)
        {
        }

        Assert.Equal([1, 2, 3, 4, 5], transport.Delivered.Select(e => ((OutboxProbe)e.Message).Number));
        Assert.Equal(ids, transport.Delivered.Select(e => e.MessageId));
        Assert.All(transport.Delivered, e => Assert.Null(e.Destination));
        Assert.Equal("probe 3", ((OutboxProbe)transport.Delivered.ElementAt(2).Message).Text);
        Assert.Equal(0, await OutboxTestKit.CountAsync(database, "dispatched_at IS NULL"));
        Assert.Equal(0, await dispatcher.DispatchPendingAsync(CancellationToken.None));
        Assert.Equal(5, transport.Delivered.Count);
    }

    [SkippableFact]
    public async Task A_send_keeps_its_destination_and_a_caused_message_its_conversation()
    {
        var database = Database();
        var cause = new InboundMessage("probe-consumer", Guid.NewGuid(), ConversationId: Guid.NewGuid(), CorrelationId: Guid.NewGuid());
        var queue = new Uri("queue:outbox-probe-commands");
        var id = await database.InTransactionAsync(
            (connection, transaction, ct) => OutboxWriter.SendAsync(database, connection, transaction, queue, new OutboxProbeCommand(7), ct, cause: cause),
            CancellationToken.None);
        var transport = new RecordingTransport();

        await OutboxTestKit.Dispatcher(database, transport, _time).DispatchPendingAsync(CancellationToken.None);

        var sent = Assert.Single(transport.Delivered);
        Assert.Equal(id, sent.MessageId);
        Assert.Equal(queue, sent.Destination);
        Assert.Equal(typeof(OutboxProbeCommand), sent.MessageType);
        Assert.Equal(new OutboxProbeCommand(7), sent.Message);
        Assert.Equal(new OutboxHeaders(cause.ConversationId, cause.CorrelationId, cause.MessageId), sent.Headers);
    }

    [SkippableFact]
    public async Task A_broker_fault_stops_the_round_and_what_was_not_taken_is_sent_later_in_order()
    {
        var database = Database();
        await OutboxTestKit.WriteProbesAsync(database, 5);
        var transport = new RecordingTransport { FailAfter = 2 };
        var dispatcher = OutboxTestKit.Dispatcher(database, transport, _time);

        await Assert.ThrowsAsync<InvalidOperationException>(() => dispatcher.DispatchPendingAsync(CancellationToken.None));
        Assert.Equal(3, await OutboxTestKit.CountAsync(database, "dispatched_at IS NULL"));
        await Assert.ThrowsAsync<InvalidOperationException>(() => dispatcher.DispatchPendingAsync(CancellationToken.None));

        transport.FailAfter = null;
        Assert.Equal(3, await dispatcher.DispatchPendingAsync(CancellationToken.None));
        Assert.Equal([1, 2, 3, 4, 5], transport.Delivered.Select(e => ((OutboxProbe)e.Message).Number));
    }

    [SkippableFact]
    public async Task Dispatched_messages_are_kept_for_the_retention_and_then_deleted_and_pending_ones_never()
    {
        var database = Database();
        await OutboxTestKit.WriteProbesAsync(database, 2);
        var options = new OutboxOptions { Retention = TimeSpan.FromMinutes(10), BatchSize = 1 };
        var dispatcher = OutboxTestKit.Dispatcher(database, new RecordingTransport(), _time, options: options);
        await dispatcher.DispatchPendingAsync(CancellationToken.None);

        _time.Advance(TimeSpan.FromMinutes(9));
        Assert.Equal(0, (await dispatcher.PurgeAsync(CancellationToken.None)).Outbox);
        _time.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(1, (await dispatcher.PurgeAsync(CancellationToken.None)).Outbox);

        Assert.Equal(1, await OutboxTestKit.CountAsync(database, "dispatched_at IS NULL"));
        Assert.Equal(1, await OutboxTestKit.CountAsync(database, "1 = 1"));
    }

    [SkippableFact]
    public async Task The_inbox_accepts_a_message_once_per_consumer_and_forgets_it_only_after_its_retention()
    {
        var database = Database();
        var id = Guid.NewGuid();

        async Task<bool> AcceptAsync(string consumer) => await database.InTransactionAsync(
            (connection, transaction, ct) => Inbox.TryAcceptAsync(consumer, id, connection, transaction, ct, _time), CancellationToken.None);

        Assert.True(await AcceptAsync("audit"));
        Assert.False(await AcceptAsync("audit"));
        Assert.True(await AcceptAsync("gateway"));

        var dispatcher = OutboxTestKit.Dispatcher(database, new RecordingTransport(), _time, options: new OutboxOptions { InboxRetention = TimeSpan.FromDays(7) });
        _time.Advance(TimeSpan.FromDays(6));
        Assert.Equal(0, (await dispatcher.PurgeAsync(CancellationToken.None)).Inbox);
        Assert.False(await AcceptAsync("audit"));
        _time.Advance(TimeSpan.FromDays(2));
        Assert.Equal(2, (await dispatcher.PurgeAsync(CancellationToken.None)).Inbox);
    }

    [SkippableFact]
    public async Task An_inbox_entry_rolled_back_with_its_state_change_lets_the_redelivery_in()
    {
        var database = Database();
        var id = Guid.NewGuid();

        await Assert.ThrowsAsync<InvalidOperationException>(() => database.InTransactionAsync<bool>(
            async (connection, transaction, ct) =>
            {
                Assert.True(await Inbox.TryAcceptAsync("audit", id, connection, transaction, ct));
                throw new InvalidOperationException("the state change failed");
            },
            CancellationToken.None).AsTask());

        Assert.True(await database.InTransactionAsync(
            (connection, transaction, ct) => Inbox.TryAcceptAsync("audit", id, connection, transaction, ct), CancellationToken.None));
    }

    [SkippableFact]
    public async Task Concurrent_deliveries_of_one_message_are_accepted_exactly_once()
    {
        var database = Database();
        var id = Guid.NewGuid();

        var accepted = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(async () => await database.InTransactionAsync(
            (connection, transaction, ct) => Inbox.TryAcceptAsync("audit", id, connection, transaction, ct), CancellationToken.None))));

        Assert.Single(accepted, a => a);
    }

    [SkippableFact]
    public async Task On_the_in_memory_bus_dispatched_messages_no_inbox_recorded_are_sent_again_at_start_up()
    {
        var database = Database();
        var ids = await OutboxTestKit.WriteProbesAsync(database, 4);
        var before = new RecordingTransport();
        await OutboxTestKit.Dispatcher(database, before, _time, inMemoryBus: true).DispatchPendingAsync(CancellationToken.None);
        // The consumers processed probes 1 and 3 (their inbox says so) when the process died; 2 and 4 died in the bus.
        foreach (var processed in new[] { ids[0], ids[2] })
        {
            await database.InTransactionAsync(
                (connection, transaction, ct) => Inbox.TryAcceptAsync("probe-consumer", processed, connection, transaction, ct), CancellationToken.None);
        }

        var after = new RecordingTransport();
        var restarted = OutboxTestKit.Dispatcher(database, after, _time, inMemoryBus: true);
        Assert.Equal(2, await restarted.RequeueUndeliveredAsync(CancellationToken.None));
        await restarted.DispatchPendingAsync(CancellationToken.None);

        Assert.Equal([ids[1], ids[3]], after.Delivered.Select(e => e.MessageId));
        foreach (var processed in new[] { ids[1], ids[3] })
        {
            await database.InTransactionAsync(
                (connection, transaction, ct) => Inbox.TryAcceptAsync("probe-consumer", processed, connection, transaction, ct), CancellationToken.None);
        }

        Assert.Equal(0, await OutboxTestKit.Dispatcher(database, after, _time, inMemoryBus: true).RequeueUndeliveredAsync(CancellationToken.None));
    }

    [SkippableFact]
    public async Task A_commit_wakes_the_running_dispatcher_without_waiting_for_its_poll()
    {
        var database = Database();
        var transport = new RecordingTransport();
        // Polling once an hour: only the signal of a commit can bring the messages out within the test.
        using var dispatcher = OutboxTestKit.Dispatcher(database, transport, TimeProvider.System, options: new OutboxOptions { PollInterval = TimeSpan.FromHours(1) });
        await dispatcher.StartAsync(CancellationToken.None);

        await OutboxTestKit.WriteProbesAsync(database, 1);
        await Eventually.UntilAsync(() => transport.Delivered.Count == 1, "the first probe");
        await OutboxTestKit.WriteProbesAsync(database, 2, first: 2);
        await Eventually.UntilAsync(() => transport.Delivered.Count == 3, "the next two probes");

        await dispatcher.StopAsync(CancellationToken.None);
        Assert.Equal([1, 2, 3], transport.Delivered.Select(e => ((OutboxProbe)e.Message).Number));
    }

    [SkippableFact]
    public async Task A_running_dispatcher_rides_out_a_broker_outage_logging_it_once_and_loses_nothing()
    {
        var database = Database();
        await OutboxTestKit.WriteProbesAsync(database, 3);
        var transport = new RecordingTransport { FailAfter = 0 };
        using var logs = new LogCapture();
        using var factory = LoggerFactory.Create(b => b.AddProvider(logs));
        using var dispatcher = new OutboxDispatcher(
            database, transport, new OutboxOptions(), false, () => [database], null, TimeProvider.System, factory.CreateLogger<OutboxDispatcher>());
        await dispatcher.StartAsync(CancellationToken.None);

        // Several failed attempts (0.2 s, 0.4 s, ... apart) while the "broker" is down.
        await Eventually.UntilAsync(() => dispatcher.FailedAttempts >= 3, "three failed attempts");
        Assert.Empty(transport.Delivered);
        transport.FailAfter = null;
        await Eventually.UntilAsync(() => transport.Delivered.Count == 3, "the three probes once the broker is back");
        await dispatcher.StopAsync(CancellationToken.None);

        Assert.Equal([1, 2, 3], transport.Delivered.Select(e => ((OutboxProbe)e.Message).Number));
        Assert.Single(logs.Lines, l => l.StartsWith("Warning", StringComparison.Ordinal) && l.Contains("paused", StringComparison.Ordinal));
        Assert.Single(logs.Lines, l => l.StartsWith("Information", StringComparison.Ordinal) && l.Contains("resumed", StringComparison.Ordinal));
    }

    public void Dispose()
    {
        if (_database.IsValueCreated)
        {
            _database.Value.Dispose();
        }

        GC.SuppressFinalize(this);
    }
}

public sealed class SqliteOutboxStorageTests() : OutboxStorageTests(StorageProvider.Sqlite)
{
    protected override string? WhyNotAvailable => null;
}

public sealed class PostgresOutboxStorageTests() : OutboxStorageTests(StorageProvider.PostgreSql)
{
    protected override string? WhyNotAvailable => TestServers.WhyNoPostgres;
}

public sealed class SqlServerOutboxStorageTests() : OutboxStorageTests(StorageProvider.SqlServer)
{
    protected override string? WhyNotAvailable => TestServers.SqlServer is null
        ? "SQL Server tests need PMH_TEST_SQLSERVER (a connection string); none is given and the test script starts none."
        : null;
}
