using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Pmh.Contracts.Audit;
using Pmh.Contracts.Identity;

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
    public const string CitizenParticipant = "citizen";

    public static RouteGroupBuilder MapCitizenApi(this RouteGroupBuilder api)
    {
        var me = api.MapGroup("/me").AllowAnonymous().RequireRateLimiting(GatewayServiceExtensions.CitizenRateLimit);
        me.MapPost("/challenges", async (IRequestClient<IssueChallenge> client, CancellationToken ct) =>
        {
            var response = await client.GetResponse<ChallengeIssued>(new IssueChallenge { ParticipantId = CitizenParticipant }, ct).ConfigureAwait(false);
            return TypedResults.Ok(new
            {
                challengeId = response.Message.ChallengeId,
                nonce = Convert.ToBase64String(response.Message.Nonce),
                expiresAt = response.Message.ExpiresAt,
            });
        }).WithName("CitizenChallenge");
        me.MapPost("/access-log", AccessLogAsync).WithName("CitizenAccessLog");
        return api;
    }

    private static async Task<IResult> AccessLogAsync(
        HttpContext http, IRequestClient<VerifyCardholder> verifier, IRequestClient<GetAccessLog> log, CancellationToken cancellationToken)
    {
        var (request, problem) = await JsonBody.ReadAsync<ReceptionCheckRequest>(http.Request, cancellationToken).ConfigureAwait(false);
        if (problem is not null)
        {
            return problem;
        }

        // The same proof as at reception, without consent or service date.
        request!.Consent ??= [];
        request.ServiceDate ??= "2000-01-01";
        var validation = await ReceptionCheckRequestRules.ValidateAsync(request, cancellationToken).ConfigureAwait(false);
        if (!validation.IsValid)
        {
            return ApiProblems.Fields(StatusCodes.Status400BadRequest, JsonBody.Errors(validation), "Invalid request");
        }

        var verified = await verifier.GetResponse<CardholderVerified, CardholderRejected>(
            new VerifyCardholder
            {
                ChallengeId = Guid.Parse(request.ChallengeId!),
                ParticipantId = CitizenParticipant,
                Certificate = Convert.FromBase64String(request.Certificate!),
                Signature = Convert.FromBase64String(request.Signature!),
            },
            cancellationToken).ConfigureAwait(false);
        if (verified.Is(out Response<CardholderRejected>? rejected))
        {
            var result = ApiProblems.Field(StatusCodes.Status422UnprocessableEntity, "certificate", rejected.Message.Reason, "Card not accepted");
            result.ProblemDetails.Extensions["reason"] = rejected.Message.Reason;
            return result;
        }

        verified.Is(out Response<CardholderVerified>? person);
        var entries = await log.GetResponse<AccessLog>(new GetAccessLog { PersonKey = person!.Message.PersonKey }, cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(new
        {
            entries = entries.Message.Entries.Select(e => new
            {
                when = e.OccurredAt,
                institution = e.ParticipantName,
                institutionCode = e.ParticipantCode,
                role = e.ParticipantRole,
                kinds = e.Kinds,
                purpose = e.Purpose,
                outcome = e.Outcome,
            }),
        });
    }
}
