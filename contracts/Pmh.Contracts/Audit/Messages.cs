namespace Pmh.Contracts.Audit;

/// <summary>Outcomes an audit entry records.</summary>
public static class AccessOutcomes
{
    /// <summary>Data was disclosed to the participant.</summary>
    public const string Disclosed = "disclosed";

    /// <summary>The participant asked for a kind the person did not consent to share; nothing was looked up.</summary>
    public const string NotConsented = "notConsented";

    /// <summary>The card was refused (the reason code is in <see cref="AccessRecorded.Detail"/>).</summary>
    public const string CardRejected = "cardRejected";

    /// <summary>The participant was not authorised (401/403), or asked for someone else's resource (404).</summary>
    public const string Denied = "denied";

    /// <summary>The participant recorded something about the person (a co-payment in the cap ledger).</summary>
    public const string Recorded = "recorded";

    /// <summary>
    /// The participant asked and the patient consented, but no part could be looked up (the services did not answer in
    /// time): nothing was disclosed, and the desk was told to try again.
    /// </summary>
    public const string Unavailable = "unavailable";
}

/// <summary>
/// Event: an access to personal data, or a refusal of one. Published by the gateway at least once; the audit
/// service stores each <see cref="EventId"/> once, append-only, in a hash chain.
/// </summary>
public sealed record AccessRecorded
{
    public required Guid EventId { get; init; }

    public required DateTimeOffset OccurredAt { get; init; }

    public required string ParticipantId { get; init; }

    public required string ParticipantName { get; init; }

    public required string ParticipantRole { get; init; }

    /// <summary>The participant's code (institution code, municipality code), when it has one.</summary>
    public string? ParticipantCode { get; init; }

    /// <summary>Whose data, when known (a refused card or a denied request may have no person).</summary>
    public string? PersonKey { get; init; }

    /// <summary>The kinds of data concerned (subsidy, vaccination, maternalChild, …).</summary>
    public required IReadOnlyList<string> Kinds { get; init; }

    /// <summary>Why: <c>receptionCheck</c>, <c>vaccinationHistory</c>, <c>voucherRedemption</c>, the request path for a denial, …</summary>
    public required string Purpose { get; init; }

    /// <summary>One of <see cref="AccessOutcomes"/>.</summary>
    public required string Outcome { get; init; }

    /// <summary>A reason code or status, never personal data.</summary>
    public string? Detail { get; init; }
}

/// <summary>One stored audit entry.</summary>
public sealed record AuditEntry(
    long Sequence,
    Guid EventId,
    DateTimeOffset OccurredAt,
    string ParticipantId,
    string ParticipantName,
    string ParticipantRole,
    string? ParticipantCode,
    IReadOnlyList<string> Kinds,
    string Purpose,
    string Outcome,
    string? Detail);

/// <summary>Request: a person's own log (disclosures and refusals concerning them), newest first.</summary>
public sealed record GetAccessLog
{
    public required string PersonKey { get; init; }

    public int Limit { get; init; } = 500;
}

public sealed record AccessLog
{
    public required IReadOnlyList<AuditEntry> Entries { get; init; }
}

/// <summary>Request (operator): verify the whole hash chain.</summary>
public sealed record VerifyAuditChain;

/// <summary>Answer to <see cref="VerifyAuditChain"/>: intact, or the first broken link and why.</summary>
public sealed record AuditChainVerified
{
    public required bool IsIntact { get; init; }

    public required long EntriesChecked { get; init; }

    /// <summary>The sequence of the first entry whose link does not hold, when broken.</summary>
    public long? FirstBrokenSequence { get; init; }

    /// <summary><c>entryChanged</c>, <c>entryMissing</c> or <c>outOfOrder</c>, when broken.</summary>
    public string? Reason { get; init; }
}
