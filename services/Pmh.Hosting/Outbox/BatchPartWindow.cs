using System.Collections.Concurrent;
using Pmh.Contracts.Batches;

namespace Pmh.Hosting.Outbox;

/// <summary>
/// Back-pressure between the outbox dispatchers and the batch-part consumers of one process on the in-memory bus:
/// at most <see cref="Capacity"/> batch parts (<see cref="IMunicipalBatchPart"/>) are sent and not yet staged. The
/// in-memory bus holds every message it was given until a consumer takes it, so without this window a dispatcher would
/// hand a whole batch (serialized) to the bus while the service stages a few parts at a time. A dispatcher enters a part
/// before it sends it and waits while the window is full (the part stays pending in its outbox: nothing is lost if the
/// process stops); the consumer leaves it once the part is staged for good, or its fault is recorded. On RabbitMQ the
/// broker holds the parts on disk and no window is used.
/// </summary>
public sealed class BatchPartWindow
{
    private readonly SemaphoreSlim _slots;
    private readonly ConcurrentDictionary<Guid, byte> _held = new();
    private TaskCompletionSource _blocked = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public BatchPartWindow(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        Capacity = capacity;
        _slots = new SemaphoreSlim(capacity, capacity);
    }

    /// <summary>Most batch parts sent and not yet staged (<c>Pmh:Outbox:InMemoryPartWindow</c>).</summary>
    public int Capacity { get; }

    /// <summary>Parts sent and not yet staged.</summary>
    public int InFlight => _held.Count;

    /// <summary>Completes the first time a dispatcher finds the window full and waits (for tests).</summary>
    public Task Blocked => Volatile.Read(ref _blocked).Task;

    /// <summary>Whether <paramref name="message"/> travels through the window.</summary>
    public static bool Applies(object message) => message is IMunicipalBatchPart;

    /// <summary>
    /// Takes a slot for the message <paramref name="messageId"/> (none more if it holds one already: a part sent again),
    /// waiting while every slot is taken.
    /// </summary>
    public async Task EnterAsync(Guid messageId, CancellationToken cancellationToken)
    {
        if (_held.ContainsKey(messageId))
        {
            return;
        }

        if (!_slots.Wait(0, CancellationToken.None))
        {
            Volatile.Read(ref _blocked).TrySetResult();
            await _slots.WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        if (!_held.TryAdd(messageId, 0))
        {
            _slots.Release();
        }
    }

    /// <summary>The message's slot was taken but the bus did not take the message (a fault): the slot is free again.</summary>
    public void Abandon(Guid messageId) => Leave(messageId);

    /// <summary>The part <paramref name="messageId"/> is staged (or failed for good): its slot is free. Harmless for a message without one.</summary>
    public void Leave(Guid messageId)
    {
        if (_held.TryRemove(messageId, out _))
        {
            _slots.Release();
        }
    }

    /// <summary>Arms <see cref="Blocked"/> again (for tests).</summary>
    public void ResetBlocked() => Volatile.Write(ref _blocked, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
}
