
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
        batch.Failure);
}
