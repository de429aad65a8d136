using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Pmh.Contracts.Audit;
using Pmh.Modules.Audit;
using Pmh.Modules.Participants;

namespace Pmh.Gateway.Audit;

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
