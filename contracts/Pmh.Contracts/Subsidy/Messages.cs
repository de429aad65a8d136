namespace Pmh.Contracts.Subsidy;

/// <summary>Queue names of the subsidy service's commands.</summary>
public static class SubsidyQueues
{
    public const string PublishCertificates = "subsidy-publish-certificates";
}

/// <summary>
/// Command: store one part of a municipality's batch of certificates. A batch travels in
/// <see cref="PartCount"/> parts so that no message grows with the batch; the subsidy service stages the parts
/// and applies the whole batch in one transaction when the last part arrives. Idempotent by
/// (<see cref="MunicipalityCode"/>, <see cref="BatchId"/>, <see cref="PartIndex"/>).
/// </summary>
public sealed record PublishSubsidyCertificates : Batches.IMunicipalBatchPart
{
    public required string MunicipalityCode { get; init; }

    public required string BatchId { get; init; }

    public required int PartIndex { get; init; }

    public required int PartCount { get; init; }

    /// <summary>Total number of valid rows over every part.</summary>
    public required int RowCount { get; init; }

    public required IReadOnlyList<PublishedCertificateRow> Rows { get; init; }
}

/// <summary>A certificate and its index in the batch as the municipality sent it.</summary>
public sealed record PublishedCertificateRow(int Index, SubsidyCertificate Certificate);

/// <summary>Event: a batch was applied; sent again, unchanged, when a part of the batch is delivered again. Superseded by <see cref="Batches.MunicipalBatchApplied"/>, which every kind publishes; no longer published, kept because a contract's name is its identity on the wire.</summary>
public sealed record SubsidyCertificatesPublished
{
    public required string MunicipalityCode { get; init; }

    public required string BatchId { get; init; }

    public required int AcceptedCount { get; init; }

    public required DateTimeOffset AppliedAt { get; init; }
}

/// <summary>Request: the certificates valid for a person on a service date.</summary>
public sealed record CheckSubsidyEligibility
{
    public required string PersonKey { get; init; }

    public required DateOnly ServiceDate { get; init; }
}

/// <summary>
/// Answer to <see cref="CheckSubsidyEligibility"/>: every certificate valid on the service date that is not
/// withdrawn and not marked not-to-disclose.
/// </summary>
public sealed record SubsidyEligibility
{
    public required string PersonKey { get; init; }

    public required DateOnly ServiceDate { get; init; }

    public required IReadOnlyList<SubsidyCertificate> Certificates { get; init; }

    /// <summary>The co-payment ledger of the service date's month for each certificate that has one or a cap.</summary>
    public IReadOnlyList<CopaymentMonth> Ledgers { get; init; } = [];
}

/// <summary>A certificate's co-payment ledger for one month (上限額管理): what was charged so far and what remains.</summary>
public sealed record CopaymentMonth(string MunicipalityCode, string HistoryKey, string Month, int TotalYen, int? MonthlyCapYen, int? RemainingYen);

/// <summary>
/// Request: record a receipt against a certificate's monthly cap, idempotent by (<see cref="InstitutionCode"/>,
/// <see cref="ReceiptId"/>). The answer says what to charge now: never taking the month past the cap.
/// </summary>
public sealed record RecordCopayment
{
    public required string ReceiptId { get; init; }

    public required string InstitutionCode { get; init; }

    public required Guid CheckId { get; init; }

    public required string PersonKey { get; init; }

    public required string MunicipalityCode { get; init; }

    public required string HistoryKey { get; init; }

    public required DateOnly ServiceDate { get; init; }

    /// <summary>What the institution would charge without the cap.</summary>
    public required int AmountYen { get; init; }
}

/// <summary>Request: correct (change or cancel, with 0) a receipt already recorded; idempotent by <see cref="CorrectionId"/>.</summary>
public sealed record CorrectCopayment
{
    public required string ReceiptId { get; init; }

    public required string InstitutionCode { get; init; }

    public required string CorrectionId { get; init; }

    public required int AmountYen { get; init; }
}

/// <summary>Answer to <see cref="RecordCopayment"/> and <see cref="CorrectCopayment"/>.</summary>
public sealed record CopaymentRecorded
{
    public required string ReceiptId { get; init; }

    public required int ChargedYen { get; init; }

    public required CopaymentMonth Ledger { get; init; }

    public required bool IsRepeat { get; init; }

    /// <summary>
    /// The hub's person key of the receipt's holder (never the My Number), so that the gateway audits a correction
    /// under the person it concerns; absent from answers of services older than this field.
    /// </summary>
    public string? PersonKey { get; init; }
}

/// <summary>Refused: <c>noSuchCertificate</c>, <c>notEligible</c>, <c>receiptConflict</c>, <c>noSuchReceipt</c>.</summary>
public sealed record CopaymentRefused
{
    public const string NoSuchCertificate = "noSuchCertificate";
    public const string NotEligible = "notEligible";
    public const string ReceiptConflict = "receiptConflict";
    public const string NoSuchReceipt = "noSuchReceipt";

    public required string Reason { get; init; }
}
