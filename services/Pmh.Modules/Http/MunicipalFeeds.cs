using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Pmh.Contracts.Identifiers;
using Pmh.Modules.Participants;

namespace Pmh.Modules.Http;

/// <summary>What every municipal feed asks of its caller: its own municipality's code, and a cursor and page size that make sense.</summary>
public static class MunicipalFeeds
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 1000;

    /// <summary>
    /// A page of a municipal feed: the caller's own municipality only, a sane cursor and page size, then
    /// <paramref name="read"/> (municipality code, after, limit) asks the kind's service for the events.
    /// </summary>
    public static async Task<Results<Ok<FeedPage<TEvent>>, ProblemHttpResult>> PageAsync<TEvent>(
        string code, long? after, int? limit, HttpContext http,
        Func<string, long, int, CancellationToken, Task<(IReadOnlyList<TEvent> Events, long Next)>> read,
        CancellationToken cancellationToken)
    {
        var (municipality, problem) = Authorize(code, after, limit, http);
        if (problem is not null)
        {
            return problem;
        }

        var (events, next) = await read(municipality.Value, after ?? 0, limit ?? DefaultLimit, cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(new FeedPage<TEvent>(events, next));
    }

    /// <summary>The municipality whose feed may be read, or the problem that refuses the request.</summary>
    public static (MunicipalityCode Municipality, ProblemHttpResult? Problem) Authorize(string code, long? after, int? limit, HttpContext http)
    {
        if (!MunicipalityCode.TryParse(code, out var municipality, out var error))
        {
            return (default, ApiProblems.Field(StatusCodes.Status400BadRequest, "code", error!, "Invalid municipality code"));
        }

        var participant = Participant.From(http.User)!;
        if (participant.Code != municipality.Value)
        {
            return (default, ApiProblems.Status(
                StatusCodes.Status403Forbidden, "Not your municipality", $"Participant {participant.Id} reads only the feed of {participant.Code}."));
        }

        if (after is < 0)
        {
            return (default, ApiProblems.Field(StatusCodes.Status400BadRequest, "after", "must be 0 or a sequence the feed returned", "Invalid feed request"));
        }

        return limit is < 1 or > MaxLimit
            ? (default, ApiProblems.Field(StatusCodes.Status400BadRequest, "limit", $"must be from 1 to {MaxLimit}", "Invalid feed request"))
            : (municipality, null);
    }
}

/// <summary>A page of a municipal feed: the events after the caller's cursor, and the cursor to ask with next.</summary>
public sealed record FeedPage<TEvent>(IReadOnlyList<TEvent> Events, long Next);
