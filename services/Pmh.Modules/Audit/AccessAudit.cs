using MassTransit;
using Pmh.Contracts.Audit;
using Pmh.Modules.Participants;

namespace Pmh.Modules.Audit;

/// <summary>
/// Publishes every disclosure and every refusal as <see cref="AccessRecorded"/> for the audit service. Nothing of
/// the My Number is ever in it; the person key is the hub's internal key.
/// </summary>
public sealed class AccessAudit(IPublishEndpoint publish, TimeProvider timeProvider)
{
    public Task RecordAsync(
        Participant participant, string? personKey, IEnumerable<string> kinds, string purpose, string outcome, string? detail, CancellationToken cancellationToken) =>
        RecordAsync(participant.Id, participant.Name, participant.Role.ToString(), participant.Code, personKey, kinds, purpose, outcome, detail, cancellationToken);

    public Task RecordAsync(
        string participantId, string participantName, string role, string? code, string? personKey, IEnumerable<string> kinds, string purpose,
        string outcome, string? detail, CancellationToken cancellationToken) =>
        publish.Publish(
            new AccessRecorded
            {
                EventId = Guid.NewGuid(),
                OccurredAt = timeProvider.GetUtcNow(),
                ParticipantId = participantId,
                ParticipantName = participantName,
                ParticipantRole = role,
                ParticipantCode = code,
                PersonKey = personKey,
                Kinds = kinds.ToList(),
                Purpose = purpose,
                Outcome = outcome,
                Detail = detail,
            },
            cancellationToken);
}
