using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Pmh.Modules.Http;
using Pmh.Modules.Participants;

namespace Pmh.Modules.Reception;

/// <summary>A reception check as stored: who made it, for whom (by person key and by the institution's reference), until when.</summary>
public sealed record ReceptionCheck(
    Guid CheckId,
    string ParticipantId,
    string InstitutionCode,
    string PersonKey,
    string PersonRef,
    DateOnly BirthDate,
    DateOnly ServiceDate,
    IReadOnlyDictionary<string, string> Parts,
    DateTimeOffset CreatedAt,
    DateTimeOffset ExpiresAt);

/// <summary>The status of each part of a reception check's answer.</summary>
public static class ReceptionParts
{
    public const string Provided = "provided";
    public const string NotConsented = "notConsented";
    public const string Unavailable = "unavailable";
}

/// <summary>The gateway's record of reception checks.</summary>
public interface IReceptionChecks
{
    /// <summary>The check, only if <paramref name="participantId"/> made it: a check belongs to its participant alone.</summary>
    Task<ReceptionCheck?> FindAsync(Guid checkId, string participantId, CancellationToken cancellationToken);
}

/// <summary>
/// The rule every later call of a desk follows (a co-payment, a dose, a voucher use, a history read): it names a
/// reception check that this participant made and that has not expired.
/// </summary>
public sealed class CurrentChecks(IReceptionChecks checks, TimeProvider timeProvider)
{
    /// <summary>
    /// The caller's own, unexpired check, or the problem that refuses the request: 404 when there is no such check of
    /// the caller's (another participant's check is not theirs to know of), 422 naming <c>checkId</c> when it expired
    /// (404 too when <paramref name="expiredIsNotFound"/>, for reads by the check's id in the route).
    /// </summary>
    public async Task<(ReceptionCheck? Check, ProblemHttpResult? Refused)> FindAsync(
        HttpContext http, string? checkId, CancellationToken cancellationToken, bool expiredIsNotFound = false)
    {
        var participant = Participant.From(http.User)
            ?? throw new InvalidOperationException("A reception endpoint ran without an authenticated participant.");
        var check = Guid.TryParse(checkId, out var id) ? await checks.FindAsync(id, participant.Id, cancellationToken).ConfigureAwait(false) : null;
        var expired = check is not null && check.ExpiresAt <= timeProvider.GetUtcNow();
        if (check is null || (expired && expiredIsNotFound))
        {
            return (null, ApiProblems.Status(StatusCodes.Status404NotFound, "No such check", $"Participant {participant.Id} has no current check '{checkId}'."));
        }

        return expired
            ? (null, ApiProblems.Field(StatusCodes.Status422UnprocessableEntity, "checkId", "the check has expired; check the card again", "Check expired"))
            : (check, null);
    }
}
