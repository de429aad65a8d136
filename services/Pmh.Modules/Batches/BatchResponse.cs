
namespace Pmh.Modules.Batches;

/// <summary>What <c>GET /api/v1/batches/{batchId}</c> and the 202 of a publish return.</summary>
public sealed record BatchResponse(
    string BatchId,
    string MunicipalityCode,
    string Kind,
    string Status,
    DateTimeOffset SubmittedAt,
    DateTimeOffset? CompletedAt,
    int RowCount,
    int? AcceptedCount,
    int RejectedCount,
    IReadOnlyList<RowRejection> Rejected,
    string? Failure)
{
    /// <summary>How far the batch has come: rows received (read from the body), validated (valid, sent on) and applied.</summary>
    public BatchProgress Progress { get; init; } = new(0, 0, 0);

    public static BatchResponse From(BatchRecord batch) => new(
        batch.BatchId,
        batch.MunicipalityCode,
        batch.Kind,
        batch.Status,
        batch.SubmittedAt,
        batch.CompletedAt,
        batch.RowCount,
        batch.AcceptedCount,
        batch.Rejections.Select(r => r.Index).Distinct().Count(),
        batch.Rejections,
        batch.Failure)
    {
        Progress = new BatchProgress(
            batch.RowCount, batch.ValidCount, batch.Status == BatchStatus.Completed ? batch.AcceptedCount ?? batch.ValidCount : 0),
    };
}

/// <summary>
/// A batch's progress: <c>rowsReceived</c> (every row of the body), <c>rowsValidated</c> (the valid ones, sent on to the
/// service) and <c>rowsApplied</c> (stored and queryable; a batch is applied whole, so 0 until it completes).
/// </summary>
public sealed record BatchProgress(int RowsReceived, int RowsValidated, int RowsApplied);
