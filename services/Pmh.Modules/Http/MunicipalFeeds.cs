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

/// <summary>
/// A kind's municipal feed (doses given, checkup results, …) as the API and the municipality page both read it: the
/// kind puts it on its feed endpoint (<c>.WithMetadata(feed)</c>) and its handler calls <see cref="MunicipalFeed{TEvent}.PageAsync"/>;
/// the page finds every endpoint carrying one and reads it the same way (the same municipality and cursor rules).
/// </summary>
public abstract class MunicipalFeedSource(string name, Pages.LocalText title)
{
    /// <summary>The last segment of the feed's route, <c>/municipalities/{code}/{name}</c>.</summary>
    public string Name { get; } = name;

    public Pages.LocalText Title { get; } = title;

    /// <summary>A page of the feed, its events as objects: what the municipality page shows.</summary>
    public abstract Task<(FeedPage<object>? Page, ProblemHttpResult? Problem)> ReadPageAsync(
        string code, long? after, int? limit, HttpContext http, CancellationToken cancellationToken);
}

/// <summary>A municipal feed of <typeparamref name="TEvent"/>: <paramref name="read"/> asks the kind's service (services, municipality, after, limit).</summary>
public sealed class MunicipalFeed<TEvent>(
    string name,
    Pages.LocalText title,
    Func<IServiceProvider, string, long, int, CancellationToken, Task<(IReadOnlyList<TEvent> Events, long Next)>> read)
    : MunicipalFeedSource(name, title)
{
    /// <summary>The API's answer: a page of the caller's own municipality's feed, or the problem refusing it.</summary>
    public Task<Results<Ok<FeedPage<TEvent>>, ProblemHttpResult>> PageAsync(
        string code, long? after, int? limit, HttpContext http, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        return MunicipalFeeds.PageAsync<TEvent>(
            code, after, limit, http, (municipality, from, count, ct) => read(http.RequestServices, municipality, from, count, ct), cancellationToken);
    }

    public override async Task<(FeedPage<object>? Page, ProblemHttpResult? Problem)> ReadPageAsync(
        string code, long? after, int? limit, HttpContext http, CancellationToken cancellationToken) =>
        (await PageAsync(code, after, limit, http, cancellationToken).ConfigureAwait(false)).Result switch
        {
            Ok<FeedPage<TEvent>> { Value: { } page } => (new FeedPage<object>(page.Events.Cast<object>().ToList(), page.Next), null),
            ProblemHttpResult problem => (null, problem),
            var other => throw new InvalidOperationException($"Unexpected feed result {other.GetType().Name}"),
        };
}
