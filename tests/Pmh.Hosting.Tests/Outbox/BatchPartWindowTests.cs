using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Pmh.Contracts.Batches;
using Pmh.Hosting.Outbox;
using Pmh.Hosting.Storage;
using Pmh.Testing;

namespace Pmh.Hosting.Tests.Outbox;

/// <summary>A batch part as the gateway sends one (the window only knows <see cref="IMunicipalBatchPart"/>).</summary>
public sealed record ProbePart(string MunicipalityCode, string BatchId, int PartIndex, int PartCount, int RowCount) : IMunicipalBatchPart;

/// <summary>
/// The in-memory bus's window between the outbox dispatcher and the batch-part consumers: the dispatcher never has more
/// parts sent and unstaged than the window holds, waits (the rest pending in its outbox) until parts are staged, and a
/// part the bus did not take stays pending and frees its slot.
/// </summary>
public sealed class BatchPartWindowTests : IDisposable
{
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(30);
    private readonly TestDatabase _database = TestDatabase.Create(StorageProvider.Sqlite, "Window", typeof(OutboxDispatcher).Assembly);
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 4, 1, 9, 0, 0, TimeSpan.Zero));

    public void Dispose() => _database.Dispose();

    private async Task WritePartsAsync(int count)
    {
        var database = _database.Database;
        for (var p = 0; p < count; p++)
        {
            var index = p;
            await database.InTransactionAsync(
                (connection, transaction, ct) => OutboxWriter.SendAsync(
                    database, connection, transaction, new Uri("queue:probe-parts"), new ProbePart("131016", "b-1", index, count, count), ct),
                CancellationToken.None);
        }
    }

    private OutboxDispatcher Dispatcher(IOutboxTransport transport, BatchPartWindow window) =>
        new(_database.Database, transport, new OutboxOptions(), true, () => [_database.Database], null, _time, NullLogger<OutboxDispatcher>.Instance, window);

    [Fact]
    public async Task The_dispatcher_never_has_more_parts_unstaged_than_the_window_and_sends_the_next_as_each_is_staged()
    {
        await WritePartsAsync(5);
        var transport = new RecordingTransport();
        var window = new BatchPartWindow(2);
        var dispatching = Dispatcher(transport, window).DispatchPendingAsync(CancellationToken.None);

        // Full after two parts: the dispatcher waits, the third part not sent.
        await window.Blocked.WaitAsync(Guard);
        Assert.Equal(2, transport.Delivered.Count);
        Assert.Equal(2, window.InFlight);
        Assert.False(dispatching.IsCompleted);

        var staged = 0;
        while (staged < 2)
        {
            // The consumer stages the oldest part: exactly one more goes out, then the dispatcher waits again.
            window.ResetBlocked();
            window.Leave(transport.Delivered.ElementAt(staged++).MessageId);
            await window.Blocked.WaitAsync(Guard);
            Assert.Equal(2 + staged, transport.Delivered.Count);
            Assert.Equal(2, window.InFlight);
        }

        // The last part needs no more waiting.
        window.Leave(transport.Delivered.ElementAt(2).MessageId);
        Assert.Equal(5, await dispatching.WaitAsync(Guard));
        Assert.Equal(2, window.InFlight);
        Assert.Equal([0, 1, 2, 3, 4], transport.Delivered.Select(e => ((ProbePart)e.Message).PartIndex));
        Assert.Equal(0, await OutboxTestKit.CountAsync(_database.Database, "dispatched_at IS NULL"));
    }

    [Fact]
    public async Task A_part_the_bus_did_not_take_stays_pending_frees_its_slot_and_goes_out_once_the_bus_is_back()
    {
        await WritePartsAsync(4);
        var transport = new RecordingTransport { FailAfter = 1 };
        var window = new BatchPartWindow(8);
        var dispatcher = Dispatcher(transport, window);

        await Assert.ThrowsAsync<InvalidOperationException>(() => dispatcher.DispatchPendingAsync(CancellationToken.None));
        Assert.Single(transport.Delivered);
        Assert.Equal(1, window.InFlight);
        Assert.Equal(3, await OutboxTestKit.CountAsync(_database.Database, "dispatched_at IS NULL"));

        transport.FailAfter = null;
        Assert.Equal(3, await dispatcher.DispatchPendingAsync(CancellationToken.None));
        Assert.Equal([0, 1, 2, 3], transport.Delivered.Select(e => ((ProbePart)e.Message).PartIndex));
        Assert.Equal(4, window.InFlight);
        foreach (var envelope in transport.Delivered)
        {
            window.Leave(envelope.MessageId);
        }

        Assert.Equal(0, window.InFlight);
    }

    [Fact]
    public async Task A_part_sent_again_takes_no_second_slot_and_other_messages_pass_the_full_window()
    {
        var window = new BatchPartWindow(1);
        var id = Guid.NewGuid();
        await window.EnterAsync(id, CancellationToken.None);
        await window.EnterAsync(id, CancellationToken.None).WaitAsync(Guard);
        Assert.Equal(1, window.InFlight);
        Assert.False(BatchPartWindow.Applies(new OutboxProbe(1, "an event")));
        Assert.True(BatchPartWindow.Applies(new ProbePart("131016", "b-1", 0, 1, 1)));

        window.Leave(id);
        window.Leave(id);
        Assert.Equal(0, window.InFlight);
        await window.EnterAsync(Guid.NewGuid(), CancellationToken.None).WaitAsync(Guard);
        Assert.Equal(1, window.InFlight);
    }
}
