using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Pmh.Gateway.Participants;

namespace Pmh.Gateway.Apis;

/// <summary>
/// The operator's API: participants and their keys, rotated and revoked without a restart; and the verification of
/// the audit log's hash chain (the first broken link, if any).
/// </summary>
public static class ParticipantsApi
{
    private static readonly ParticipantRequestValidator ParticipantRules = new();

    public static RouteGroupBuilder MapParticipantsApi(this RouteGroupBuilder api)
    {
        var participants = api.MapGroup("/participants").RequireAuthorization(GatewayPolicies.Operator)
            .ProducesProblem(StatusCodes.Status403Forbidden);
        participants.MapGet("/", async (ParticipantStore store, CancellationToken ct) =>
            TypedResults.Ok((await store.AllAsync(ct).ConfigureAwait(false)).Select(ParticipantResponse.From).ToList()))
            .WithName("ListParticipants");
        participants.MapPost("/", UpsertAsync).WithName("UpsertParticipant")
            .WithBody<ParticipantRequest, RouteHandlerBuilder>()
            .ProducesProblem(StatusCodes.Status400BadRequest);
        participants.MapPost("/{id}/keys", async Task<Results<Created<IssuedKey>, ProblemHttpResult>> (string id, ParticipantStore store, CancellationToken ct) =>
        {
            if ((await store.AllAsync(ct).ConfigureAwait(false)).All(p => p.Id != id))
            {
                return ApiProblems.Status(StatusCodes.Status404NotFound, "No such participant", $"There is no participant '{id}'.");
            }

            var (keyId, apiKey) = await store.IssueKeyAsync(id, ct).ConfigureAwait(false);
            return TypedResults.Created((string?)null, new IssuedKey(keyId, apiKey, "The key is shown once; only its hash is kept."));
        }).WithName("IssueParticipantKey")
            .ProducesProblem(StatusCodes.Status404NotFound);
        participants.MapDelete("/{id}/keys/{keyId}", async Task<Results<NoContent, ProblemHttpResult>> (string id, string keyId, ParticipantStore store, CancellationToken ct) =>
            await store.RevokeKeyAsync(id, keyId, ct).ConfigureAwait(false)
                ? TypedResults.NoContent()
                : ApiProblems.Status(StatusCodes.Status404NotFound, "No such key", $"Participant '{id}' has no active key '{keyId}'."))
            .WithName("RevokeParticipantKey")
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapGet("/audit/verification", async (MassTransit.IRequestClient<Contracts.Audit.VerifyAuditChain> client, CancellationToken ct) =>
                TypedResults.Ok((await client.GetResponse<Contracts.Audit.AuditChainVerified>(new Contracts.Audit.VerifyAuditChain(), ct).ConfigureAwait(false)).Message))
            .RequireAuthorization(GatewayPolicies.Operator)
            .WithName("VerifyAuditChain")
            .ProducesProblem(StatusCodes.Status403Forbidden);
        return api;
    }

    private static async Task<Results<Ok<ParticipantResponse>, ProblemHttpResult>> UpsertAsync(HttpContext http, ParticipantStore store, CancellationToken cancellationToken)
    {
        var (request, problem) = await JsonBody.ReadValidAsync(http.Request, ParticipantRules, "Invalid participant", cancellationToken).ConfigureAwait(false);
        if (problem is not null)
        {
            return problem;
        }

        var participant = request!.ToParticipant();
        await store.UpsertAsync(participant, cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(ParticipantResponse.From(participant));
    }
}

/// <summary>A participant as the operator sees it: id, name, role and code (municipality or institution).</summary>
public sealed record ParticipantResponse(string Id, string Name, string Role, string Code)
{
    public static ParticipantResponse From(Participant p) => new(p.Id, p.Name, p.Role.ToString(), p.Code);
}

/// <summary>A new API key, shown this once.</summary>
public sealed record IssuedKey(string KeyId, string ApiKey, string Note);
