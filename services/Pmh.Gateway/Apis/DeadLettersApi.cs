using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Pmh.Gateway.Participants;
using Pmh.Hosting.Messaging.DeadLetters;

namespace Pmh.Gateway.Apis;

/// <summary>
/// The operator's dead letters: messages a consumer could never handle, in the <c>_error</c> queues (RabbitMQ) or
/// captured by this process (in-memory bus). Listed and inspected by headers and fault only, never by body; replayed
/// to their input queue once the cause is fixed, one or all; or discarded.
/// </summary>
public static class DeadLettersApi
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 1000;

    /// <summary>Seconds a caller is told to wait when the broker or its management API cannot be reached.</summary>
    public const int RetryAfterSeconds = 5;

    public static RouteGroupBuilder MapDeadLettersApi(this RouteGroupBuilder api)
    {
        var deadLetters = api.MapGroup("/operator/dead-letters").RequireAuthorization(GatewayPolicies.Operator)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        deadLetters.MapGet("/", ListAsync).WithName("ListDeadLetters")
            .ProducesProblem(StatusCodes.Status400BadRequest);
        deadLetters.MapGet("/{id}", GetAsync).WithName("GetDeadLetter")
            .ProducesProblem(StatusCodes.Status404NotFound);
        deadLetters.MapPost("/{id}/replay", ReplayAsync).WithName("ReplayDeadLetter")
            .ProducesProblem(StatusCodes.Status404NotFound);
        deadLetters.MapPost("/replay", ReplayAllAsync).WithName("ReplayDeadLetters")
            .ProducesProblem(StatusCodes.Status400BadRequest);
        deadLetters.MapDelete("/{id}", DiscardAsync).WithName("DiscardDeadLetter")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return api;
    }

    /// <summary>The error queues and their messages (headers and fault only); 503 when the broker cannot be reached.</summary>
    public static Task<Results<Ok<DeadLetterListing>, ProblemHttpResult>> ListAsync(
        HttpContext http, IDeadLetters deadLetters, string? queue, int? limit, CancellationToken cancellationToken) =>
        GuardAsync<Results<Ok<DeadLetterListing>, ProblemHttpResult>>(http, problem => problem, async () =>
        {
            if (QueueProblem(queue) is { } problem)
            {
                return problem;
            }

            if (limit is < 1 or > MaxLimit)
            {
                return ApiProblems.Field(StatusCodes.Status400BadRequest, "limit", $"must be between 1 and {MaxLimit}", "Invalid limit");
            }

            return TypedResults.Ok(await deadLetters.ListAsync(queue, limit ?? DefaultLimit, cancellationToken).ConfigureAwait(false));
        });

    private static Task<Results<Ok<DeadLetter>, ProblemHttpResult>> GetAsync(
        HttpContext http, IDeadLetters deadLetters, string id, string? queue, CancellationToken cancellationToken) =>
        GuardAsync<Results<Ok<DeadLetter>, ProblemHttpResult>>(http, problem => problem, async () =>
        {
            var found = await deadLetters.FindAsync(id, queue, cancellationToken).ConfigureAwait(false);
            return found.Count == 0
                ? NotFound(id, queue)
                : TypedResults.Ok(found.OrderBy(l => l.Queue, StringComparer.Ordinal).First());
        });

    /// <summary>Sends a dead letter back to the queue it came from.</summary>
    public static Task<Results<Ok<ReplayedDeadLetters>, ProblemHttpResult>> ReplayAsync(
        HttpContext http, IDeadLetters deadLetters, string id, string? queue, CancellationToken cancellationToken) =>
        GuardAsync<Results<Ok<ReplayedDeadLetters>, ProblemHttpResult>>(http, problem => problem, async () =>
        {
            var replayed = await deadLetters.ReplayAsync(id, queue, cancellationToken).ConfigureAwait(false);
            return replayed == 0 ? NotFound(id, queue) : TypedResults.Ok(new ReplayedDeadLetters(replayed));
        });

    private static Task<Results<Ok<ReplayedDeadLetters>, ProblemHttpResult>> ReplayAllAsync(
        HttpContext http, IDeadLetters deadLetters, string? queue, CancellationToken cancellationToken) =>
        GuardAsync<Results<Ok<ReplayedDeadLetters>, ProblemHttpResult>>(http, problem => problem, async () =>
        {
            if (QueueProblem(queue) is { } problem)
            {
                return problem;
            }

            return TypedResults.Ok(new ReplayedDeadLetters(await deadLetters.ReplayAllAsync(queue, cancellationToken).ConfigureAwait(false)));
        });

    private static Task<Results<NoContent, ProblemHttpResult>> DiscardAsync(
        HttpContext http, IDeadLetters deadLetters, string id, string? queue, CancellationToken cancellationToken) =>
        GuardAsync<Results<NoContent, ProblemHttpResult>>(http, problem => problem, async () =>
            await deadLetters.DiscardAsync(id, queue, cancellationToken).ConfigureAwait(false) == 0
                ? NotFound(id, queue)
                : TypedResults.NoContent());

    private static ProblemHttpResult? QueueProblem(string? queue) =>
        queue is not null && !queue.EndsWith(DeadLetterHeaders.ErrorSuffix, StringComparison.Ordinal)
            ? ApiProblems.Field(StatusCodes.Status400BadRequest, "queue", $"must name an error queue (ending in {DeadLetterHeaders.ErrorSuffix})", "Invalid queue")
            : null;

    private static ProblemHttpResult NotFound(string id, string? queue) =>
        ApiProblems.Status(StatusCodes.Status404NotFound, "No such dead letter",
            queue is null ? $"No error queue holds a message '{id}'." : $"{queue} holds no message '{id}'.");

    /// <summary>The broker or its management API out of reach is 503 with Retry-After: try again, nothing was changed.</summary>
    private static async Task<TResult> GuardAsync<TResult>(HttpContext http, Func<ProblemHttpResult, TResult> problem, Func<Task<TResult>> handle)
    {
        try
        {
            return await handle().ConfigureAwait(false);
        }
        catch (DeadLettersUnavailableException e)
        {
            http.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return problem(ApiProblems.Status(StatusCodes.Status503ServiceUnavailable, "Dead letters unavailable", e.Message));
        }
    }
}

/// <summary>How many dead letters went back to their input queues.</summary>
public sealed record ReplayedDeadLetters(int Replayed);
