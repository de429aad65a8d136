namespace Pmh.Contracts.Vaccination;

public static class VaccinationProgrammes
{
    public const string RoutineA = "routineA";
    public const string RoutineB = "routineB";
    public const string Voluntary = "voluntary";

    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal) { RoutineA, RoutineB, Voluntary };
}

public static class VaccinationQueues
{
    public const string RegisterRecords = "vaccination-register-records";
}

/// <summary>One dose in the vaccination register (予防接種台帳), as it travels between services.</summary>
public sealed record VaccinationRecord
{
    /// <summary>The hub's id of the record: <c>{municipality}:{recordKey}</c> for register rows, <c>submission:{id}</c> for doses submitted at reception.</summary>
    public required string RecordId { get; init; }

    public required string MunicipalityCode { get; init; }

    public required string PersonKey { get; init; }

    /// <summary>The vaccine (product) code of the routine schedule table, e.g. <c>MR</c>, <c>DPT-IPV-HIB</c>.</summary>
    public required string Vaccine { get; init; }

    public required int DoseNumber { get; init; }

    public required DateOnly Date { get; init; }

    public string? LotNumber { get; init; }

    /// <summary>医療機関コード of the institution that gave the dose, when known.</summary>
    public string? InstitutionCode { get; init; }

    public required string Programme { get; init; }

    /// <summary>The municipality's own number for the person (宛名番号), when its register gave one.</summary>
    public string? LocalPersonId { get; init; }
}

/// <summary>Command: one part of a municipality's register upload (staged, applied whole, idempotent like subsidy batches).</summary>
public sealed record RegisterVaccinationRecords : Batches.IMunicipalBatchPart
{
    public required string MunicipalityCode { get; init; }

    public required string BatchId { get; init; }

    public required int PartIndex { get; init; }

    public required int PartCount { get; init; }

    public required int RowCount { get; init; }

    public required IReadOnlyList<RegisteredVaccinationRow> Rows { get; init; }
}

public sealed record RegisteredVaccinationRow(int Index, VaccinationRecord Record);

/// <summary>Event: a register upload was applied. Superseded by <see cref="Batches.MunicipalBatchApplied"/>, which every kind publishes; no longer published, kept because a contract's name is its identity on the wire.</summary>
public sealed record VaccinationRecordsRegistered
{
    public required string MunicipalityCode { get; init; }

    public required string BatchId { get; init; }

    public required int AcceptedCount { get; init; }

    public required DateTimeOffset AppliedAt { get; init; }
}

/// <summary>
/// Request: record a dose an institution gave, tied to its reception check; idempotent by
/// (<see cref="InstitutionCode"/>, <see cref="SubmissionId"/>).
/// </summary>
public sealed record RecordVaccinationDose
{
    public required string SubmissionId { get; init; }

    public required string InstitutionCode { get; init; }

    public required Guid CheckId { get; init; }

    public required string PersonKey { get; init; }

    /// <summary>The person's municipality when the desk knows it; otherwise the register's latest record decides.</summary>
    public string? MunicipalityCode { get; init; }

    public required string Vaccine { get; init; }

    public required int DoseNumber { get; init; }

    public required DateOnly Date { get; init; }

    public string? LotNumber { get; init; }

    public required string Programme { get; init; }

    /// <summary>The citizen's questionnaire this dose was given on (<see cref="StoreQuestionnaire"/>); left out of the message when none.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public string? QuestionnaireId { get; init; }

    /// <summary>The doctor's decision recorded with the dose; left out of the message when none.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public DoctorDecision? Decision { get; init; }
}

/// <summary>Answer to <see cref="RecordVaccinationDose"/>, and the event routed to the person's municipality.</summary>
public sealed record VaccinationDoseRecorded
{
    public required string SubmissionId { get; init; }

    public required string RecordId { get; init; }

    public required string MunicipalityCode { get; init; }

    /// <summary>Position in the municipality's feed.</summary>
    public required long Sequence { get; init; }

    public required bool IsRepeat { get; init; }
}

/// <summary>Answer to <see cref="RecordVaccinationDose"/>: refused (no municipality known for the person, or the same submission id with other content).</summary>
public sealed record VaccinationDoseRefused
{
    public const string UnknownMunicipality = "unknownMunicipality";
    public const string SubmissionConflict = "submissionConflict";

    /// <summary>The person is in another municipality's register than the one the submission named.</summary>
    public const string MunicipalityMismatch = "municipalityMismatch";

    /// <summary>The price table in force for the dose requires a questionnaire (<c>questionnaireRequired</c>) and none was given.</summary>
    public const string QuestionnaireRequired = "questionnaireRequired";

    /// <summary>The questionnaire named is not the person's, is for another vaccine, has expired or was used already (<see cref="Detail"/> says which).</summary>
    public const string QuestionnaireNotUsable = "questionnaireNotUsable";

    /// <summary>For the questionnaire refusals: why, in words.</summary>
    public string? Detail { get; init; }

    public required string Reason { get; init; }

    /// <summary>For <see cref="MunicipalityMismatch"/>: the municipality whose register holds the person.</summary>
    public string? RegisteredMunicipalityCode { get; init; }
}

/// <summary>Request: a municipality's feed of doses recorded for its people, after a cursor.</summary>
public sealed record GetVaccinationFeed
{
    public required string MunicipalityCode { get; init; }

    public required long After { get; init; }

    public required int Limit { get; init; }
}

/// <summary>Answer to <see cref="GetVaccinationFeed"/>: events in order; <see cref="Next"/> is the cursor to ask with next.</summary>
public sealed record VaccinationFeed
{
    public required IReadOnlyList<VaccinationFeedEvent> Events { get; init; }

    public required long Next { get; init; }
}

/// <summary>A recorded dose as the person's municipality reads it: by its own reference for the person, never the person key.</summary>
public sealed record VaccinationFeedEvent(
    long Sequence,
    string RecordId,
    string PersonRef,
    string? LocalPersonId,
    string Vaccine,
    int DoseNumber,
    DateOnly Date,
    string? LotNumber,
    string? InstitutionCode,
    string Programme,
    DateTimeOffset RecordedAt);

/// <summary>Request: a person's vaccination history and routine-schedule eligibility on a service date.</summary>
public sealed record CheckVaccinationHistory
{
    public required string PersonKey { get; init; }

    public required DateOnly BirthDate { get; init; }

    public required DateOnly ServiceDate { get; init; }

    /// <summary>When set, the answer also carries the history as a FHIR R4 Bundle with this patient reference.</summary>
    public string? FhirPatientReference { get; init; }
}

/// <summary>Answer to <see cref="CheckVaccinationHistory"/>.</summary>
public sealed record VaccinationHistory
{
    /// <summary>Every dose, newest first.</summary>
    public required IReadOnlyList<VaccinationRecord> Doses { get; init; }

    public required IReadOnlyList<VaccinationEligibilityItem> Eligibility { get; init; }

    public required string ScheduleVersion { get; init; }

    /// <summary>application/fhir+json of a Bundle of JP Core-style Immunization resources, when it was asked for.</summary>
    public string? FhirBundle { get; init; }

    /// <summary>The person's questionnaires not yet used for a dose and not expired, newest first.</summary>
    public IReadOnlyList<PendingQuestionnaire> Questionnaires { get; init; } = [];
}

/// <summary>One routine series on the service date: <c>complete</c>, <c>due</c>, <c>notYetDue</c> or <c>pastWindow</c>, and the next dose.</summary>
public sealed record VaccinationEligibilityItem(
    string Series,
    string Name,
    string Programme,
    string Status,
    int? NextDose,
    DateOnly? DueFrom,
    DateOnly? DueUntil);
