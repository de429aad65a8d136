namespace Pmh.Contracts.MaternalChild;

public static class MaternalChildQueues
{
    public const string RegisterPregnancies = "maternal-child-register-pregnancies";
    public const string RegisterChildren = "maternal-child-register-children";
}

/// <summary>A registered pregnancy (妊娠届): the hub issues it 14 checkup vouchers.</summary>
public sealed record PregnancyRecord
{
    public required string RecordId { get; init; }

    public required string MunicipalityCode { get; init; }

    public required string PersonKey { get; init; }

    public required DateOnly DueDate { get; init; }

    public required DateOnly RegisteredOn { get; init; }

    /// <summary>When the pregnancy ended, if the municipality says so (a birth registered for it sets it too).</summary>
    public DateOnly? EndedOn { get; init; }

    public string? LocalPersonId { get; init; }
}

/// <summary>A registered child: entitled to the infant checkups; a birth for a pregnancy ends that pregnancy.</summary>
public sealed record ChildRecord
{
    public required string RecordId { get; init; }

    public required string MunicipalityCode { get; init; }

    public required string PersonKey { get; init; }

    public required DateOnly BirthDate { get; init; }

    public string? GuardianPersonKey { get; init; }

    /// <summary>The pregnancy this birth ends (its record id), when the municipality links them.</summary>
    public string? PregnancyRecordId { get; init; }

    public string? LocalPersonId { get; init; }
}

public sealed record RegisteredPregnancyRow(int Index, PregnancyRecord Record);

public sealed record RegisteredChildRow(int Index, ChildRecord Record);

/// <summary>Command: one part of a municipality's pregnancy upload (staged, applied whole, idempotent).</summary>
public sealed record RegisterPregnancies : Batches.IMunicipalBatchPart
{
    public required string MunicipalityCode { get; init; }

    public required string BatchId { get; init; }

    public required int PartIndex { get; init; }

    public required int PartCount { get; init; }

    public required int RowCount { get; init; }

    public required IReadOnlyList<RegisteredPregnancyRow> Rows { get; init; }
}

/// <summary>Command: one part of a municipality's children upload (staged, applied whole, idempotent).</summary>
public sealed record RegisterChildren : Batches.IMunicipalBatchPart
{
    public required string MunicipalityCode { get; init; }

    public required string BatchId { get; init; }

    public required int PartIndex { get; init; }

    public required int PartCount { get; init; }

    public required int RowCount { get; init; }

    public required IReadOnlyList<RegisteredChildRow> Rows { get; init; }
}

/// <summary>Event: a maternal-child upload (pregnancies or children) was applied. Superseded by <see cref="Batches.MunicipalBatchApplied"/>, which every kind publishes; no longer published, kept because a contract's name is its identity on the wire.</summary>
public sealed record MaternalChildRecordsRegistered
{
    public required string MunicipalityCode { get; init; }

    public required string BatchId { get; init; }

    public required int AcceptedCount { get; init; }

    public required DateTimeOffset AppliedAt { get; init; }
}

/// <summary>The minimum items of a checkup result.</summary>
public sealed record CheckupResult(DateOnly Date, int? GestationalWeek, int? AgeMonths, decimal? WeightKg, decimal? HeightCm, string? Notes);

/// <summary>
/// Request: use a checkup voucher, tied to the institution's reception check, idempotent by
/// (<see cref="InstitutionCode"/>, <see cref="RedemptionId"/>); a voucher is used exactly once.
/// </summary>
public sealed record RedeemVoucher
{
    public required string RedemptionId { get; init; }

    public required string InstitutionCode { get; init; }

    public required Guid CheckId { get; init; }

    public required string PersonKey { get; init; }

    public required string VoucherId { get; init; }

    public required CheckupResult Result { get; init; }
}

/// <summary>Request: record an infant checkup (<c>1m</c>, <c>3-4m</c>, <c>18m</c>, <c>3y</c>), idempotent by submission id.</summary>
public sealed record RecordInfantCheckup
{
    public required string SubmissionId { get; init; }

    public required string InstitutionCode { get; init; }

    public required Guid CheckId { get; init; }

    public required string PersonKey { get; init; }

    public required string Checkup { get; init; }

    public required CheckupResult Result { get; init; }
}

/// <summary>Answer to <see cref="RedeemVoucher"/> and <see cref="RecordInfantCheckup"/>, and the event for the person's municipality.</summary>
public sealed record CheckupRecorded
{
    public required string SubmissionId { get; init; }

    public required string ResultId { get; init; }

    public required string MunicipalityCode { get; init; }

    public required long Sequence { get; init; }

    public required bool IsRepeat { get; init; }
}

/// <summary>Refused: <c>noSuchVoucher</c>, <c>alreadyUsed</c>, <c>pregnancyClosed</c>, <c>beforeRegistration</c>, <c>notYourVoucher</c>, <c>notARegisteredChild</c>, <c>submissionConflict</c>.</summary>
public sealed record CheckupRefused
{
    public const string NoSuchVoucher = "noSuchVoucher";
    public const string AlreadyUsed = "alreadyUsed";
    public const string PregnancyClosed = "pregnancyClosed";
    public const string BeforeRegistration = "beforeRegistration";
    public const string SubmissionConflict = "submissionConflict";
    public const string NotYourVoucher = "notYourVoucher";
    public const string NotARegisteredChild = "notARegisteredChild";

    public required string Reason { get; init; }
}

/// <summary>Request: a person's maternal-child entitlements on a service date.</summary>
public sealed record CheckMaternalChildEntitlements
{
    public required string PersonKey { get; init; }

    public required DateOnly ServiceDate { get; init; }
}

/// <summary>Answer to <see cref="CheckMaternalChildEntitlements"/>.</summary>
public sealed record MaternalChildEntitlements
{
    public required IReadOnlyList<PregnancyVouchers> Pregnancies { get; init; }

    public required IReadOnlyList<InfantCheckup> InfantCheckups { get; init; }
}

public sealed record PregnancyVouchers(string PregnancyId, DateOnly DueDate, bool IsOpen, int Total, int Used, int Left, IReadOnlyList<Voucher> Vouchers);

/// <summary>A voucher: <c>unused</c>, <c>used</c> or <c>closed</c>.</summary>
public sealed record Voucher(string VoucherId, int Number, string Status, DateOnly? UsedOn);

/// <summary>An infant checkup: <c>done</c>, <c>due</c>, <c>notYetDue</c> or <c>pastWindow</c>.</summary>
public sealed record InfantCheckup(string Checkup, string Name, DateOnly WindowFrom, DateOnly WindowUntil, string Status, DateOnly? DoneOn);

/// <summary>
/// Request: which of these pregnancy record ids the municipality has registered (asked by the gateway before it accepts
/// children rows that name a pregnancy).
/// </summary>
public sealed record FindPregnancyRecords
{
    public required string MunicipalityCode { get; init; }

    public required IReadOnlyList<string> RecordIds { get; init; }
}

/// <summary>Answer to <see cref="FindPregnancyRecords"/>: the ids of those that are registered for that municipality.</summary>
public sealed record PregnancyRecordsFound
{
    public required IReadOnlyList<string> RecordIds { get; init; }
}

/// <summary>Request: a municipality's feed of checkup results for its people, after a cursor.</summary>
public sealed record GetMaternalChildFeed
{
    public required string MunicipalityCode { get; init; }

    public required long After { get; init; }

    public required int Limit { get; init; }
}

public sealed record MaternalChildFeed
{
    public required IReadOnlyList<MaternalChildFeedEvent> Events { get; init; }

    public required long Next { get; init; }
}

/// <summary>A checkup result as the person's municipality reads it.</summary>
public sealed record MaternalChildFeedEvent(
    long Sequence,
    string ResultId,
    string Kind,
    string Checkup,
    string PersonRef,
    string? LocalPersonId,
    CheckupResult Result,
    string InstitutionCode,
    DateTimeOffset RecordedAt);
