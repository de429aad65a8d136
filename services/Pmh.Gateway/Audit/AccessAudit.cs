using MassTransit;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Pmh.Contracts.Audit;
using Pmh.Gateway.Participants;

namespace Pmh.Gateway.Audit;

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

/// <summary>
/// Audits what the API refused: 401 (no or unknown credentials), 403 (not authorised) and 404 for a participant's
/// request (e.g. another institution's check id) — by route pattern, never by the values in it.
/// </summary>
public sealed class DenialAuditMiddleware(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext context, AccessAudit audit)
    {
        await next(context).ConfigureAwait(false);
        var status = context.Response.StatusCode;
        if (!context.Request.Path.StartsWithSegments("/api", StringComparison.Ordinal) || status is not (401 or 403 or 404))
        {
            return;
        }

        var participant = Participant.From(context.User);
        if (status == 404 && participant is null)
        {
            return;
        }

        var route = (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? "(no route)";
        await audit.RecordAsync(
            participant?.Id ?? "anonymous",
            participant?.Name ?? "anonymous",
            participant?.Role.ToString() ?? "none",
            participant?.Code,
            personKey: null,
            kinds: [],
            purpose: $"{context.Request.Method} {route}",
            AccessOutcomes.Denied,
            status.ToString(System.Globalization.CultureInfo.InvariantCulture),
            CancellationToken.None).ConfigureAwait(false);
    }
}
