using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Pmh.Hosting.Outbox;

namespace Pmh.Modules.Batches;

/// <summary>
/// What the gateway does with a municipal upload of any kind: the municipality's own code only, a body within the
/// size limit, JSON or (where the kind takes it) CSV, every row validated, the batch recorded idempotently by its id
/// and sent on in parts. 202 with the batch; 400, 403, 409, 413, 415 or 422 as problem details naming the field.
/// </summary>
public interface IBatchUploads
{
    Task<Results<Accepted<BatchResponse>, ProblemHttpResult>> UploadAsync<TRow, TItem>(
        IBatchKind<TRow, TItem> kind, string code, string? batchId, HttpContext http, CancellationToken cancellationToken)
        where TRow : class;
}

/// <summary>The publisher's record of its batches, told by the services what became of them.</summary>
public interface IBatchLedger
{
    /// <summary>
    /// Marks the batch applied by its service. Repeating it changes nothing; <paramref name="inbound"/> (the
    /// announcement being consumed) is recorded in the inbox with the change.
    /// </summary>
    Task CompleteAsync(
        string municipalityCode, string batchId, int acceptedCount, DateTimeOffset completedAt, CancellationToken cancellationToken, InboundMessage? inbound = null);

    /// <summary>Marks the batch failed in its service (its part is in an error queue); a completed batch stays completed.</summary>
    Task FailAsync(string municipalityCode, string batchId, string failure, DateTimeOffset at, CancellationToken cancellationToken, InboundMessage? inbound = null);
}
