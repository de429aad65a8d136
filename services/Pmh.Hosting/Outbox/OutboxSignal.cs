namespace Pmh.Hosting.Outbox;

/// <summary>
/// Wakes one database's outbox dispatcher at once when a transaction that wrote to its outbox commits; between
/// signals the dispatcher still polls, so rows whose signal was lost (a crash, a transaction not run through
/// <see cref="Storage.ServiceDatabase.InTransactionAsync{T}"/>) are sent all the same.
/// </summary>
public sealed class OutboxSignal
{
    private readonly SemaphoreSlim _semaphore = new(0, 1);

    /// <summary>The one delegate the writer registers after commit (one instance, so a transaction rings it once).</summary>
    public Action Wake { get; }

    public OutboxSignal() => Wake = Ring;

    /// <summary>Waits for a signal or until <paramref name="timeout"/>; true when signalled.</summary>
    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => _semaphore.WaitAsync(timeout, cancellationToken);

    private void Ring()
    {
        try
        {
            if (_semaphore.CurrentCount == 0)
            {
                _semaphore.Release();
            }
        }
        catch (SemaphoreFullException)
        {
            // Rung twice at the same moment: one wake-up is all the dispatcher needs.
        }
    }
}
