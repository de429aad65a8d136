namespace Pmh.Hosting.Outbox;

/// <summary><c>Pmh:Outbox</c>: how each database's dispatcher sends what its outbox holds.</summary>
public sealed class OutboxOptions
{
    /// <summary>How often the dispatcher looks for rows without a signal (rows left by a crash, by another instance).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Rows read and sent per round.</summary>
    public int BatchSize { get; set; } = 32;

    /// <summary>
    /// How long a dispatched row is kept before it is deleted. On the in-memory bus it is also the window in which a
    /// message lost with the process (sent, but not yet processed by its consumers) is sent again after a restart.
    /// </summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How long a consumer remembers a message id; far longer than any redelivery can come.</summary>
    public TimeSpan InboxRetention { get; set; } = TimeSpan.FromDays(7);

    /// <summary>How often expired outbox and inbox rows are deleted.</summary>
    public TimeSpan PurgeInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How long one send may take before it counts as a broker fault (and the dispatcher pauses).</summary>
    public TimeSpan SendTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// In-memory bus: most batch parts sent and not yet staged by their service (the dispatcher waits for a part's
    /// staging before it sends more; see <see cref="BatchPartWindow"/>).
    /// </summary>
    public int InMemoryPartWindow { get; set; } = 8;

    /// <summary>The longest pause between attempts while the broker (or the database) is unreachable.</summary>
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromSeconds(30);
}
