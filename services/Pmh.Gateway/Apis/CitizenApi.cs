using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Pmh.Contracts.Audit;
using Pmh.Contracts.Identity;
using Pmh.Modules.Participants;

namespace Pmh.Gateway.Apis;

/// <summary>
/// The citizen's own disclosure record (like マイナポータル): proven by a challenge signed with their own card, it
/// returns who looked at their data, which kinds, why and when. Nobody else can read it.
/// </summary>
public static class CitizenApi
{
    // Validators are immutable once built, and building one compiles its rules: one of each, for every request.
    private static readonly ReceptionCheckRequestValidator ReceptionCheckRequestRules = new();

    /// <summary>The participant id challenges for citizens are issued to and verified for.</summary>
    public const string CitizenParticipant = CitizenCards.Participant;

    public static RouteGroupBuilder MapCitizenApi(this RouteGroupBuilder api)
    {
        var me = api.MapGroup("/me").AllowAnonymous().RequireRateLimiting(GatewayServiceExtensions.CitizenRateLimit);
        me.MapPost("/challenges", async (IRequestClient<IssueChallenge> client, CancellationToken ct) =>
            TypedResults.Ok(await IssueChallengeAsync(client, ct).ConfigureAwait(false))).WithName("CitizenChallenge");
        me.MapPost("/access-log", AccessLogAsync).WithName("CitizenAccessLog")
            .WithBody<CitizenProof, RouteHandlerBuilder>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        return api;
    }

    /// <summary>A challenge for a citizen's own card (the citizen's page asks for it here too).</summary>
    public static async Task<ChallengeResponse> IssueChallengeAsync(IRequestClient<IssueChallenge> client, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        var response = await client.GetResponse<ChallengeIssued>(new IssueChallenge { ParticipantId = CitizenParticipant }, cancellationToken).ConfigureAwait(false);
        return ChallengeResponse.From(response.Message);
    }

    private static async Task<Results<Ok<CitizenAccessLog>, ProblemHttpResult>> AccessLogAsync(
        HttpContext http, IRequestClient<VerifyCardholder> verifier, IRequestClient<GetAccessLog> log, CancellationToken cancellationToken)
    {
        var (request, problem) = await JsonBody.ReadAsync<ReceptionCheckRequest>(http.Request, cancellationToken).ConfigureAwait(false);
        return problem ?? await HandleAccessLogAsync(request!, verifier, log, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The citizen's log as the API and the citizen's page read it: the card proven, then the entries, newest first.</summary>
    public static async Task<Results<Ok<CitizenAccessLog>, ProblemHttpResult>> HandleAccessLogAsync(
        ReceptionCheckRequest request, IRequestClient<VerifyCardholder> verifier, IRequestClient<GetAccessLog> log, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(verifier);
        ArgumentNullException.ThrowIfNull(log);

        // The same proof as at reception, without consent or service date.
        request.Consent ??= [];
        request.ServiceDate ??= "2000-01-01";
        var validation = await ReceptionCheckRequestRules.ValidateAsync(request, cancellationToken).ConfigureAwait(false);
        if (!validation.IsValid)
        {
            return ApiProblems.Fields(StatusCodes.Status400BadRequest, JsonBody.Errors(validation), "Invalid request");
        }

        var (person, refused) = await CitizenCards.ProveAsync(verifier, request.ChallengeId!, request.Certificate!, request.Signature!, cancellationToken).ConfigureAwait(false);
        if (refused is not null)
        {
            return refused;
        }

        var entries = await log.GetResponse<AccessLog>(new GetAccessLog { PersonKey = person!.PersonKey }, cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(new CitizenAccessLog(entries.Message.Entries
            .Select(e => new CitizenAccessLogEntry(e.OccurredAt, e.ParticipantName, e.ParticipantCode, e.ParticipantRole, e.Kinds, e.Purpose, e.Outcome))
            .ToList()));
    }
}

/// <summary>
/// The body of <c>POST /api/v1/me/access-log</c> as documented: the reception check's proof without consent or
/// service date (it is read as a <see cref="ReceptionCheckRequest"/>).
/// </summary>
public sealed record CitizenProof(string? ChallengeId, string? Certificate, string? Signature);

/// <summary>Who looked at the citizen's data, newest first.</summary>
public sealed record CitizenAccessLog(IReadOnlyList<CitizenAccessLogEntry> Entries);

/// <summary>One disclosure or refusal concerning the citizen: when, by whom, which kinds, why, and what came of it.</summary>
public sealed record CitizenAccessLogEntry(
    DateTimeOffset When, string Institution, string? InstitutionCode, string Role, IReadOnlyList<string> Kinds, string Purpose, string Outcome);
