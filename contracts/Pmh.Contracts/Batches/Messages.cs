namespace Pmh.Contracts.Batches;

/// <summary>
/// What every part of a municipal batch carries, whatever its kind: the batch it belongs to and where it sits in it.
/// A batch travels to its service in parts (<c>PublishSubsidyCertificates</c>, <c>RegisterVaccinationRecords</c>, …),
/// is staged part by part and applied whole when its last part arrives.
/// </summary>
public interface IMunicipalBatchPart
{
    string MunicipalityCode { get; }

    string BatchId { get; }

    int PartIndex { get; }

    int PartCount { get; }

    /// <summary>Total number of valid rows over every part.</summary>
    int RowCount { get; }
}

/// <summary>
/// Event: a municipal batch of any kind was applied whole by its service; published again, unchanged, when a part of
/// the batch is delivered again. A part that can never be applied ends as <c>Fault&lt;TPart&gt;</c> in its error queue.
/// </summary>
public sealed record MunicipalBatchApplied
{
    /// <summary>The batch kind (<c>subsidy-certificates</c>, <c>vaccination-records</c>, <c>pregnancies</c>, …).</summary>
    public required string Kind { get; init; }

    public required string MunicipalityCode { get; init; }

    public required string BatchId { get; init; }

    public required int AcceptedCount { get; init; }

    public required DateTimeOffset AppliedAt { get; init; }
}
