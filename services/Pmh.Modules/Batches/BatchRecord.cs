namespace Pmh.Modules.Batches;

/// <summary>Where a municipal batch is: accepted (on its way), completed (applied whole) or failed (with a reason).</summary>
public static class BatchStatus
{
    public const string Accepted = "accepted";
    public const string Completed = "completed";
    public const string Failed = "failed";
}

/// <summary>A published batch as its publisher sees it.</summary>
public sealed record BatchRecord
{
    public required string MunicipalityCode { get; init; }

    public required string BatchId { get; init; }

    public required string Kind { get; init; }

    public required string PublisherId { get; init; }

    public required string Fingerprint { get; init; }

    public required string Status { get; init; }

    public required int RowCount { get; init; }

    public required int ValidCount { get; init; }

    public int? AcceptedCount { get; init; }

    public required IReadOnlyList<RowRejection> Rejections { get; init; }

    public string? Failure { get; init; }

    public required DateTimeOffset SubmittedAt { get; init; }

    public DateTimeOffset? CompletedAt { get; init; }
}
