using System.Text.Json.Serialization;

namespace Pmh.Hosting.Messaging.DeadLetters;

/// <summary>
/// The messages that ended in an <c>_error</c> queue because a consumer could never handle them, as the operator
/// works with them: listed and inspected by their headers and fault (never their bodies, which may carry personal
/// data), replayed to the queue they came from once the cause is fixed, or discarded.
/// On RabbitMQ these are the <c>*_error</c> queues of the hub's vhost (<see cref="RabbitMqDeadLetters"/>); on the
/// in-memory bus the faulted messages this process captured (<see cref="InMemoryDeadLetters"/>).
/// </summary>
public interface IDeadLetters
{
    /// <summary>Every error queue (or only <paramref name="queue"/>) with its count, and up to <paramref name="limit"/> messages.</summary>
    Task<DeadLetterListing> ListAsync(string? queue, int limit, CancellationToken cancellationToken);

    /// <summary>The dead letters with this id (a MassTransit MessageId; one per error queue it faulted in), with their headers.</summary>
    Task<IReadOnlyList<DeadLetter>> FindAsync(string id, string? queue, CancellationToken cancellationToken);

    /// <summary>Sends the dead letters with this id back to their input queues; how many were replayed (0: none such).</summary>
    Task<int> ReplayAsync(string id, string? queue, CancellationToken cancellationToken);

    /// <summary>Sends every dead letter (or those of <paramref name="queue"/>) back to its input queue; how many.</summary>
    Task<int> ReplayAllAsync(string? queue, CancellationToken cancellationToken);

    /// <summary>Removes the dead letters with this id without sending them anywhere; how many (0: none such).</summary>
    Task<int> DiscardAsync(string id, string? queue, CancellationToken cancellationToken);
}

/// <summary>The error queues and what is in them.</summary>
/// <param name="Total">Messages in all the listed queues (may be more than <see cref="Messages"/> holds).</param>
public sealed record DeadLetterListing(int Total, IReadOnlyList<DeadLetterQueue> Queues, IReadOnlyList<DeadLetter> Messages);

/// <summary>One error queue and the number of messages in it.</summary>
public sealed record DeadLetterQueue(string Queue, int Count);

/// <summary>
/// One dead letter as the operator sees it: which message, where, of what type, why and when it faulted. Its body is
/// never part of it.
/// </summary>
/// <param name="Id">What the operator endpoints take: the MassTransit MessageId (or, for a message without one, a digest).</param>
/// <param name="MessageId">The MassTransit MessageId.</param>
/// <param name="Queue">The error queue, <c>&lt;input queue&gt;_error</c>.</param>
/// <param name="InputQueue">The queue a replay sends it to.</param>
/// <param name="MessageType">The message's first type, <c>urn:message:Namespace:Type</c>.</param>
/// <param name="FaultType">The exception's type.</param>
/// <param name="FaultReason">The exception's message, at most <see cref="DeadLetterHeaders.MaxReasonLength"/> characters.</param>
/// <param name="FaultedAt">When the consumer gave up on it.</param>
/// <param name="Redeliveries">Delayed redeliveries it went through, when there were any.</param>
/// <param name="Replays">How often an operator has replayed it already, when at all.</param>
/// <param name="Headers">Its transport headers (given only when one dead letter is asked for).</param>
public sealed record DeadLetter(
    string Id,
    Guid? MessageId,
    string Queue,
    string InputQueue,
    string? MessageType,
    string? FaultType,
    string? FaultReason,
    DateTimeOffset? FaultedAt,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? Redeliveries,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? Replays,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyDictionary<string, string>? Headers)
{
    /// <summary>The same dead letter without its headers, as listings show it.</summary>
    public DeadLetter WithoutHeaders() => this with { Headers = null };
}

/// <summary>The dead letters cannot be reached now (broker or management API down); try again later.</summary>
public sealed class DeadLettersUnavailableException : Exception
{
    public DeadLettersUnavailableException()
    {
    }

    public DeadLettersUnavailableException(string message)
        : base(message)
    {
    }

    public DeadLettersUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
