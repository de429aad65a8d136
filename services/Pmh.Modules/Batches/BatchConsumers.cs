using MassTransit;
using Pmh.Contracts.Batches;
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
    /// Stages the part; throws <see cref="InconsistentBatchException"/> for a part that contradicts its batch (such a
    /// part can never succeed and goes to the error queue).
    /// </summary>
    Task<StagedPartOutcome> StageAsync(TPart part, CancellationToken cancellationToken);
}

/// <summary>The queue a kind's batch parts arrive on (the <see cref="IBatchKind{TRow, TItem}.Destination"/> the gateway sends to).</summary>
public interface IBatchQueue
{
    static abstract string Queue { get; }
}

/// <summary>
/// The one consumer of every kind's batch parts: stages the part; when the batch is complete (now or on an earlier
/// delivery) publishes <see cref="MunicipalBatchApplied"/> with the batch's one result.
/// </summary>
public sealed class StageBatchPartConsumer<TPart>(IBatchPartStager<TPart> stager) : IConsumer<TPart>
    where TPart : class, IMunicipalBatchPart
{
    public async Task Consume(ConsumeContext<TPart> context)
    {
        var part = context.Message;
        var outcome = await stager.StageAsync(part, context.CancellationToken).ConfigureAwait(false);
        if (outcome.BatchApplied)
        {
            await context.Publish(new MunicipalBatchApplied
            {
                Kind = stager.Kind,
                MunicipalityCode = part.MunicipalityCode,
                BatchId = part.BatchId,
                AcceptedCount = outcome.AcceptedCount,
                AppliedAt = outcome.AppliedAt ?? DateTimeOffset.MinValue,
            }).ConfigureAwait(false);
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
    public Task Consume(ConsumeContext<MunicipalBatchApplied> context) =>
        batches.CompleteAsync(
            context.Message.MunicipalityCode, context.Message.BatchId, context.Message.AcceptedCount, context.Message.AppliedAt, context.CancellationToken);
}

/// <summary>
/// A service gave up on a part of a batch (it is in the error queue): the batch shows failed, with a reason that
/// repeats none of its data.
/// </summary>
public sealed class BatchPartFaultConsumer<TPart>(IBatchLedger batches, TimeProvider timeProvider) : IConsumer<Fault<TPart>>
    where TPart : class, IMunicipalBatchPart
{
    public Task Consume(ConsumeContext<Fault<TPart>> context)
    {
        var part = context.Message.Message;
        var error = context.Message.Exceptions.FirstOrDefault()?.ExceptionType ?? "unknown";
        return batches.FailAsync(
            part.MunicipalityCode,
            part.BatchId,
            $"The service that applies {typeof(TPart).Name} could not apply part {part.PartIndex + 1} of {part.PartCount} ({error}); " +
            "nothing of the batch was stored. The operator finds the message in the error queue and can replay it.",
            timeProvider.GetUtcNow(),
            context.CancellationToken);
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
