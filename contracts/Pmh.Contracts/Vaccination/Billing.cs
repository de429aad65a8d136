namespace Pmh.Contracts.Vaccination;

public static class VaccinationBillingQueues
{
    public const string PublishPrices = "vaccination-publish-prices";
}

/// <summary>One row of a municipality's vaccination price table, as it travels to the vaccination service. Amounts in whole yen.</summary>
public sealed record VaccinationPrice
{
    public required string Vaccine { get; init; }

    public required string Programme { get; init; }

    public required DateOnly ValidFrom { get; init; }

    public DateOnly? ValidTo { get; init; }

    public required long UnitPriceYen { get; init; }

    public required long PatientShareYen { get; init; }

    /// <summary>Whether a routine dose priced by this row must come with a pre-vaccination questionnaire (予診票).</summary>
    public bool QuestionnaireRequired { get; init; }
}

/// <summary>Command: one part of a municipality's price table upload (staged, applied whole; the table replaces the municipality's previous one).</summary>
public sealed record PublishVaccinationPrices : Batches.IMunicipalBatchPart
{
    public required string MunicipalityCode { get; init; }

    public required string BatchId { get; init; }

    public required int PartIndex { get; init; }

    public required int PartCount { get; init; }

    public required int RowCount { get; init; }

    public required IReadOnlyList<PublishedVaccinationPrice> Rows { get; init; }
}

public sealed record PublishedVaccinationPrice(int Index, VaccinationPrice Price);

/// <summary>Who reads claims: an institution (its own claims) or a municipality (claims to it).</summary>
public static class ClaimViewers
{
    public const string Institution = "institution";
    public const string Municipality = "municipality";
}

/// <summary>Request: the claims of one month, for an institution (by <see cref="InstitutionCode"/>) or a municipality (by <see cref="MunicipalityCode"/>).</summary>
public sealed record GetVaccinationClaims
{
    public required string Viewer { get; init; }

    public required string ViewerCode { get; init; }

    /// <summary>yyyy-MM.</summary>
    public required string Month { get; init; }

    /// <summary>How many of each claim's first lines come with it (the rest by <see cref="GetVaccinationClaim"/> page by page); null: the service's default.</summary>
    public int? LineLimit { get; init; }
}

/// <summary>Request: one claim, as <see cref="Viewer"/> (who must be a party to it) sees it.</summary>
public sealed record GetVaccinationClaim
{
    public required string Viewer { get; init; }

    public required string ViewerCode { get; init; }

    public required string ClaimId { get; init; }

    /// <summary>At most this many lines (in the claim's stable order: created, then line id); null: the service's default.</summary>
    public int? LineLimit { get; init; }

    /// <summary>The <see cref="VaccinationClaim.NextCursor"/> of the page before; null: from the first line.</summary>
    public string? After { get; init; }
}

/// <summary>Answer to <see cref="GetVaccinationClaims"/> and <see cref="GetVaccinationClaim"/> (empty when not found or not a party).</summary>
public sealed record VaccinationClaims
{
    public required IReadOnlyList<VaccinationClaim> Claims { get; init; }
}

/// <summary>One monthly claim of an institution to a municipality, with its lines. Amounts in whole yen.</summary>
public sealed record VaccinationClaim
{
    public required string ClaimId { get; init; }

    public required string InstitutionCode { get; init; }

    public required string MunicipalityCode { get; init; }

    public required string Month { get; init; }

    public required DateTimeOffset ClosesAt { get; init; }

    /// <summary><c>open</c> (lines may still change) or <c>closed</c> (lines are decided; changes become adjustments in a later claim).</summary>
    public required string Status { get; init; }

    public required int LineCount { get; init; }

    public required int UnpricedCount { get; init; }

    public required long UnitPriceTotalYen { get; init; }

    public required long PatientShareTotalYen { get; init; }

    public required long BilledTotalYen { get; init; }

    public required long ApprovedTotalYen { get; init; }

    public required long RejectedTotalYen { get; init; }

    /// <summary>One page of the claim's lines (in the stable order: created, then line id); a decision's answer has the decided lines only.</summary>
    public required IReadOnlyList<VaccinationClaimLine> Lines { get; init; }

    /// <summary>The cursor of the next page of lines (<see cref="GetVaccinationClaim.After"/>), or null when <see cref="Lines"/> ends the claim.</summary>
    public string? NextCursor { get; init; }

    /// <summary>How many lines of the whole claim are in each state (ordered by state).</summary>
    public IReadOnlyList<ClaimStateCount> StateCounts { get; init; } = [];
}

/// <summary>How many lines of a claim are in one state (<c>pending</c>, <c>unpriced</c>, <c>approved</c>, <c>rejected</c>).</summary>
public sealed record ClaimStateCount(string State, int Lines);

/// <summary>
/// A claim line: a routine dose (<c>dose</c>) or the difference a correction after the close made (<c>adjustment</c>,
/// naming the line it adjusts). <see cref="PersonRef"/> is the viewer's own reference for the person.
/// </summary>
public sealed record VaccinationClaimLine(
    string LineId,
    string Kind,
    string? AdjustsLineId,
    string RecordId,
    string PersonRef,
    string? LocalPersonId,
    string Vaccine,
    int DoseNumber,
    DateOnly DoseDate,
    string Programme,
    bool Priced,
    long UnitPriceYen,
    long PatientShareYen,
    long BilledYen,
    string State,
    string? Reason,
    DateTimeOffset? DecidedAt);

/// <summary>Command (request): a municipality's decisions on lines of a claim to it.</summary>
public sealed record DecideVaccinationClaimLines
{
    public required string MunicipalityCode { get; init; }

    public required string ClaimId { get; init; }

    /// <summary>The decisions, line by line (empty with <see cref="ApproveAllPending"/>).</summary>
    public required IReadOnlyList<ClaimLineDecision> Lines { get; init; }

    /// <summary>Approve every <c>pending</c> line of the claim in one operation (the claim must be closed); <see cref="Lines"/> is then empty.</summary>
    public bool ApproveAllPending { get; init; }
}

public sealed record ClaimLineDecision(string LineId, string Decision, string? Reason);

/// <summary>
/// Answer to <see cref="DecideVaccinationClaimLines"/>: decided — the claim's new totals and state counts with the
/// decided lines only (none for <see cref="DecideVaccinationClaimLines.ApproveAllPending"/>) — or refused line by line (nothing stored).
/// </summary>
public sealed record VaccinationClaimDecided
{
    public required VaccinationClaim Claim { get; init; }

    /// <summary>How many lines were decided.</summary>
    public int DecidedCount { get; init; }
}

public sealed record VaccinationClaimDecisionRefused
{
    /// <summary>True when the claim is not one to this municipality (or does not exist).</summary>
    public required bool NotFound { get; init; }

    /// <summary>Field (<c>lines[i].lineId</c>, <c>lines[i].decision</c>, …) → reason.</summary>
    public required IReadOnlyDictionary<string, string> Errors { get; init; }
}

/// <summary>
/// Request: an institution corrects a dose it submitted (vaccine, dose number, date, lot, programme; what is not given
/// stays), once per (<see cref="InstitutionCode"/>, <see cref="CorrectionId"/>). Its claim line changes while the
/// claim is open, or an adjustment line goes into the earliest open claim once it has closed.
/// </summary>
public sealed record CorrectVaccinationDose
{
    public required string InstitutionCode { get; init; }

    public required string SubmissionId { get; init; }

    public required string CorrectionId { get; init; }

    public string? Vaccine { get; init; }

    public int? DoseNumber { get; init; }

    public DateOnly? Date { get; init; }

    public string? LotNumber { get; init; }

    public string? Programme { get; init; }
}

/// <summary>Answer to <see cref="CorrectVaccinationDose"/>: what it did to the claims (<c>lineChanged</c>, <c>lineRemoved</c>, <c>lineAdded</c>, <c>adjustment</c>, <c>unchanged</c>).</summary>
public sealed record VaccinationDoseCorrected
{
    public required string RecordId { get; init; }

    public required string Effect { get; init; }

    /// <summary>The claim whose line changed or which took the adjustment.</summary>
    public string? ClaimId { get; init; }

    public required bool IsRepeat { get; init; }
}

/// <summary>Answer to <see cref="CorrectVaccinationDose"/>: refused (<c>notFound</c>: no such submission of this institution; <c>correctionConflict</c>: the id was used for another correction).</summary>
public sealed record VaccinationDoseCorrectionRefused
{
    public const string NotFound = "notFound";
    public const string CorrectionConflict = "correctionConflict";

    public required string Reason { get; init; }
}
