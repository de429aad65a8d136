using MassTransit;
using Pmh.Contracts.Batches;
using Pmh.Hosting.Outbox;
using Pmh.Hosting.Storage;

namespace Pmh.Modules.Batches;

/// <summary>
/// A service's side of one kind of staged batch: the queue its parts arrive on and how a part is staged (and, when it
/// is the last one missing, the whole batch applied) in the service's own storage.
/// </summary>
public interface IBatchPartStager<in TPart> where TPart : class, IMunicipalBatchPart
{
    /// <summary>The batch kind, as the gateway names it.</summary>
    string Kind { get; }

    /// <summary>
    /// Stages the part as <paramref name="delivery"/> delivers it (its inbox entry, and the batch's announcement when
    /// it is applied, in the staging transaction); throws <see cref="InconsistentBatchException"/> for a part that
    /// contradicts its batch (such a part can never succeed and goes to the error queue).
    /// </summary>
    Task<StagedPartOutcome> StageAsync(TPart part, PartDelivery delivery, CancellationToken cancellationToken);
}

/// <summary>The queue a kind's batch parts arrive on (the <see cref="IBatchKind{TRow, TItem}.Destination"/> the gateway sends to).</summary>
public interface IBatchQueue
{
    static abstract string Queue { get; }
}

/// <summary>
/// The one consumer of every kind's batch parts: stages the part (once per message id: the inbox); when the batch is
/// complete (now or on an earlier delivery) the staging transaction writes <see cref="MunicipalBatchApplied"/>, with
/// the batch's one result, to the service's outbox.
/// </summary>
public sealed class StageBatchPartConsumer<TPart>(IBatchPartStager<TPart> stager, BatchPartWindow? window = null) : IConsumer<TPart>
    where TPart : class, IMunicipalBatchPart
{
    /// <summary>The consumer's name in the inbox.</summary>
    public static string InboxName { get; } = "stage-" + typeof(TPart).Name;

    public async Task Consume(ConsumeContext<TPart> context)
    {
        await stager.StageAsync(context.Message, new PartDelivery(stager.Kind, InboundMessage.From(context, InboxName)), context.CancellationToken)
            .ConfigureAwait(false);

        // Staged (committed): the dispatcher may send another part. A part that fails is retried holding its slot (a
        // transient fault pauses the batch's sending too); one that fails for good frees it when its fault is recorded.
        if (context.MessageId is { } id)
        {
            window?.Leave(id);
        }
    }
}

/// <summary>
/// The one definition of every kind's batch-part endpoint: its queue and its concurrency (faults are met by the hub's
/// one consumer fault policy: a database outage pauses, an inconsistent part goes to the error queue at once).
/// </summary>
public sealed class StageBatchPartConsumerDefinition<TPart, TStager> : ConsumerDefinition<StageBatchPartConsumer<TPart>>
    where TPart : class, IMunicipalBatchPart
    where TStager : IBatchPartStager<TPart>, IBatchQueue
{
    public StageBatchPartConsumerDefinition()
    {
        EndpointName = TStager.Queue;
        // Applying a batch holds the database's write lock; a few parts at a time is all a database takes well.
        ConcurrentMessageLimit = 4;
    }
}

/// <summary>A service applied a batch of any kind: the publisher's batch status becomes completed.</summary>
public sealed class MunicipalBatchAppliedConsumer(IBatchLedger batches) : IConsumer<MunicipalBatchApplied>
{
    public const string InboxName = "gateway-batch-applied";

    public Task Consume(ConsumeContext<MunicipalBatchApplied> context) =>
        batches.CompleteAsync(
            context.Message.MunicipalityCode,
            context.Message.BatchId,
            context.Message.AcceptedCount,
            context.Message.AppliedAt,
            context.CancellationToken,
            InboundMessage.From(context, InboxName));
}

/// <summary>
/// A service gave up on a part of a batch (it is in the error queue): the batch shows failed, with a reason that
/// repeats none of its data.
/// </summary>
public sealed class BatchPartFaultConsumer<TPart>(IBatchLedger batches, TimeProvider timeProvider, BatchPartWindow? window = null) : IConsumer<Fault<TPart>>
    where TPart : class, IMunicipalBatchPart
{
    /// <summary>The consumer's name in the inbox.</summary>
    public static string InboxName { get; } = "gateway-batch-part-fault-" + typeof(TPart).Name;

    public Task Consume(ConsumeContext<Fault<TPart>> context)
    {
        if (context.Message.FaultedMessageId is { } faulted)
        {
            window?.Leave(faulted);
        }

        var part = context.Message.Message;
        var error = context.Message.Exceptions.FirstOrDefault()?.ExceptionType ?? "unknown";
        return batches.FailAsync(
            part.MunicipalityCode,
            part.BatchId,
            $"The service that applies {typeof(TPart).Name} could not apply part {part.PartIndex + 1} of {part.PartCount} ({error}); " +
            "nothing of the batch was stored. The operator finds the message in the error queue and can replay it.",
            timeProvider.GetUtcNow(),
            context.CancellationToken,
            InboundMessage.From(context, InboxName));
    }
}

public static class BatchParts
{
    /// <summary>Refuses, for good, a part whose rows name another municipality than the batch it belongs to.</summary>
    public static void EnsureOneMunicipality(IMunicipalBatchPart part, IEnumerable<string> rowMunicipalities)
    {
        if (rowMunicipalities.Any(m => m != part.MunicipalityCode))
        {
            throw new InconsistentBatchException($"Batch {part.BatchId} carries rows of another municipality than {part.MunicipalityCode}.");
        }
    }
}
