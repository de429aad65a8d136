using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Pmh.Contracts.Audit;
using Pmh.Modules.Audit;
using Pmh.Modules.Participants;

namespace Pmh.Gateway.Audit;

/// <summary>
/// Audits what the API refused a participant: 401 (e.g. a client certificate of the right CA but no longer
/// registered), 403 (not authorised) and 404 (e.g. another institution's check id) — by route pattern, never by the
/// values in it. A 401 with no participant at all (no or unknown credentials) is counted, not audited: see
/// <see cref="AnonymousRefusals"/>.
/// </summary>
public sealed class DenialAuditMiddleware(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext context, AccessAudit audit, AnonymousRefusals anonymous)
    {
        await next(context).ConfigureAwait(false);
        var status = context.Response.StatusCode;
        if (!context.Request.Path.StartsWithSegments("/api", StringComparison.Ordinal) || status is not (401 or 403 or 404))
        {
            return;
        }

        var participant = Participant.From(context.User);
        var route = (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? "(no route)";
        if (participant is null)
        {
            if (status == 401)
            {
                anonymous.Count($"{context.Request.Method} {route}");
            }

            return;
        }

        await audit.RecordAsync(
            participant.Id,
            participant.Name,
            participant.Role.ToString(),
            participant.Code,
            personKey: null,
            kinds: [],
            purpose: $"{context.Request.Method} {route}",
            AccessOutcomes.Denied,
            status.ToString(System.Globalization.CultureInfo.InvariantCulture),
            CancellationToken.None).ConfigureAwait(false);
    }
}
