using Pmh.Contracts.Audit;
using Pmh.Hosting.Outbox;
using Pmh.Hosting.Storage;
using Pmh.Modules.Participants;

namespace Pmh.Modules.Audit;

/// <summary>
/// Records every disclosure and every refusal as <see cref="AccessRecorded"/> for the audit service: the event is
/// committed to the outbox of the gateway's database before the caller answers, and delivered from there (again
/// after a crash; message id = the event id, so the audit stores it once). Nothing of the My Number is ever in it;
/// the person key is the hub's internal key.
/// </summary>
public sealed class AccessAudit(ServiceDatabase database, TimeProvider timeProvider)
{
    /// <summary>The most characters of any text copied into an entry; longer text is cut and marked with "…".</summary>
    public const int MaxText = 200;

    /// <summary>The most kinds one entry lists.</summary>
    public const int MaxKinds = 32;

    /// <summary>Text as an entry holds it: at most <see cref="MaxText"/> characters, so no request can make an entry large.</summary>
    public static string? Cap(string? text) => text is { Length: > MaxText } ? string.Concat(text.AsSpan(0, MaxText - 1), "…") : text;

    public Task RecordAsync(
        Participant participant, string? personKey, IEnumerable<string> kinds, string purpose, string outcome, string? detail, CancellationToken cancellationToken) =>
        RecordAsync(participant.Id, participant.Name, participant.Role.ToString(), participant.Code, personKey, kinds, purpose, outcome, detail, cancellationToken);

    public Task RecordAsync(
        string participantId, string participantName, string role, string? code, string? personKey, IEnumerable<string> kinds, string purpose,
        string outcome, string? detail, CancellationToken cancellationToken)
    {
        var recorded = new AccessRecorded
        {
            EventId = Guid.NewGuid(),
            OccurredAt = timeProvider.GetUtcNow(),
            ParticipantId = Cap(participantId)!,
            ParticipantName = Cap(participantName)!,
            ParticipantRole = role,
            ParticipantCode = Cap(code),
            PersonKey = personKey,
            Kinds = kinds.Take(MaxKinds).Select(k => Cap(k)!).ToList(),
            Purpose = Cap(purpose)!,
            Outcome = outcome,
            Detail = Cap(detail),
        };

        // Recorded even when the request is being abandoned: what was disclosed has been disclosed.
        return database.InTransactionAsync(
            (connection, transaction, ct) => OutboxWriter.PublishAsync(
                database, connection, transaction, recorded, ct, messageId: recorded.EventId, timeProvider: timeProvider),
            CancellationToken.None).AsTask();
    }
}
