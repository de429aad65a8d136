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
        participants.MapPost("/{id}/keys", IssueKeyAsync).WithName("IssueParticipantKey")
            .ProducesProblem(StatusCodes.Status404NotFound);
        participants.MapDelete("/{id}/keys/{keyId}", RevokeKeyAsync)
            .WithName("RevokeParticipantKey")
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapGet("/audit/verification", VerifyAuditChainAsync)
            .RequireAuthorization(GatewayPolicies.Operator)
            .WithName("VerifyAuditChain")
            .ProducesProblem(StatusCodes.Status403Forbidden);
        return api;
    }

    private static async Task<Results<Ok<ParticipantResponse>, ProblemHttpResult>> UpsertAsync(HttpContext http, ParticipantStore store, CancellationToken cancellationToken)
    {
        var (request, problem) = await JsonBody.ReadAsync<ParticipantRequest>(http.Request, cancellationToken).ConfigureAwait(false);
        return problem ?? await HandleUpsertAsync(request!, store, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A participant added or updated as the API and the operator page do it: validated (400 naming the field), then stored.</summary>
    public static async Task<Results<Ok<ParticipantResponse>, ProblemHttpResult>> HandleUpsertAsync(
        ParticipantRequest request, ParticipantStore store, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        var validation = await ParticipantRules.ValidateAsync(request, cancellationToken).ConfigureAwait(false);
        if (!validation.IsValid)
        {
            return ApiProblems.Fields(StatusCodes.Status400BadRequest, JsonBody.Errors(validation), "Invalid participant");
        }

        var participant = request.ToParticipant();
        await store.UpsertAsync(participant, cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(ParticipantResponse.From(participant));
    }

    /// <summary>A new key for the participant, shown once (only its hash is kept).</summary>
    public static async Task<Results<Created<IssuedKey>, ProblemHttpResult>> IssueKeyAsync(string id, ParticipantStore store, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        if ((await store.AllAsync(cancellationToken).ConfigureAwait(false)).All(p => p.Id != id))
        {
            return ApiProblems.Status(StatusCodes.Status404NotFound, "No such participant", $"There is no participant '{id}'.");
        }

        var (keyId, apiKey) = await store.IssueKeyAsync(id, cancellationToken).ConfigureAwait(false);
        return TypedResults.Created((string?)null, new IssuedKey(keyId, apiKey, "The key is shown once; only its hash is kept."));
    }

    /// <summary>Revokes one of the participant's keys at once (every later request with it is 401).</summary>
    public static async Task<Results<NoContent, ProblemHttpResult>> RevokeKeyAsync(string id, string keyId, ParticipantStore store, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        return await store.RevokeKeyAsync(id, keyId, cancellationToken).ConfigureAwait(false)
            ? TypedResults.NoContent()
            : ApiProblems.Status(StatusCodes.Status404NotFound, "No such key", $"Participant '{id}' has no active key '{keyId}'.");
    }

    /// <summary>The audit service's verification of the whole hash chain.</summary>
    public static async Task<Ok<Contracts.Audit.AuditChainVerified>> VerifyAuditChainAsync(
        MassTransit.IRequestClient<Contracts.Audit.VerifyAuditChain> client, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        return TypedResults.Ok((await client.GetResponse<Contracts.Audit.AuditChainVerified>(new Contracts.Audit.VerifyAuditChain(), cancellationToken).ConfigureAwait(false)).Message);
    }
}

/// <summary>A participant as the operator sees it: id, name, role and code (municipality or institution).</summary>
public sealed record ParticipantResponse(string Id, string Name, string Role, string Code)
{
    public static ParticipantResponse From(Participant p) => new(p.Id, p.Name, p.Role.ToString(), p.Code);
}

/// <summary>A new API key, shown this once.</summary>
public sealed record IssuedKey(string KeyId, string ApiKey, string Note);
