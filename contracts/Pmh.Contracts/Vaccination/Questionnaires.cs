namespace Pmh.Contracts.Vaccination;

/// <summary>Request: store a citizen's answered pre-vaccination questionnaire (予診票), already checked against its definition.</summary>
public sealed record StoreQuestionnaire
{
    public required string QuestionnaireId { get; init; }

    public required string PersonKey { get; init; }

    public required string Vaccine { get; init; }

    public required int DoseNumber { get; init; }

    /// <summary>The definition's id and version the answers were checked against, e.g. <c>child/2026-04</c>.</summary>
    public required string Definition { get; init; }

    /// <summary>Who answered: the person, or for a child the guardian, by name.</summary>
    public required string AnsweredBy { get; init; }

    public required IReadOnlyDictionary<string, string> Answers { get; init; }

    /// <summary>The questions whose answers need the doctor's attention.</summary>
    public required IReadOnlyList<string> Attention { get; init; }

    public required DateTimeOffset SubmittedAt { get; init; }

    public required DateTimeOffset ValidUntil { get; init; }
}

/// <summary>Answer to <see cref="StoreQuestionnaire"/>.</summary>
public sealed record QuestionnaireStored
{
    public required string QuestionnaireId { get; init; }

    public required DateTimeOffset ValidUntil { get; init; }
}

/// <summary>A questionnaire not yet used for a dose and not expired, as the desk and the doctor see it.</summary>
public sealed record PendingQuestionnaire(
    string QuestionnaireId,
    string Vaccine,
    int DoseNumber,
    string Definition,
    string AnsweredBy,
    IReadOnlyDictionary<string, string> Answers,
    IReadOnlyList<string> Attention,
    DateTimeOffset SubmittedAt,
    DateTimeOffset ValidUntil);

/// <summary>The doctor's decision after the questionnaire and the examination (予診の結果): to vaccinate or not, by whom, when.</summary>
public sealed record DoctorDecision(bool Vaccinate, string DoctorName, DateTimeOffset DecidedAt);
