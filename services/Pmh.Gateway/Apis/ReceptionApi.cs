using System.Globalization;
using FluentValidation;
using MassTransit;
using Microsoft.AspNetCore.Builder;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Pmh.Contracts.Identity;
using Pmh.Contracts.Validation;
using Pmh.Gateway.Participants;
using Pmh.Gateway.Reception;
using Pmh.Gateway.Storage;

namespace Pmh.Gateway.Apis;

/// <summary>The reception desk: a challenge for the card reader, then the check that proves the card and looks up.</summary>
public static class ReceptionApi
{
    // Validators are immutable once built, and building one compiles its rules: one of each, for every request.
    private static readonly ReceptionCheckRequestValidator ReceptionCheckRequestRules = new();

    public static RouteGroupBuilder MapReceptionApi(this RouteGroupBuilder api)
    {
        var reception = api.MapGroup("/reception").RequireAuthorization(GatewayPolicies.Reception)
            .ProducesProblem(StatusCodes.Status403Forbidden);
        reception.MapPost("/challenges", IssueChallengeAsync).WithName("IssueReceptionChallenge")
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        reception.MapPost("/checks", CheckAsync).WithName("ReceptionCheck")
            .WithBody<ReceptionCheckRequest, RouteHandlerBuilder>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        reception.MapGet("/checks/{checkId}", GetCheckAsync).WithName("GetReceptionCheck")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return api;
    }

    /// <summary>A challenge for the participant's card reader (the desk page asks for it here too).</summary>
    public static async Task<Results<Ok<ChallengeResponse>, ProblemHttpResult>> IssueChallengeAsync(
        HttpContext http, IRequestClient<IssueChallenge> client, ReceptionOptions options, CancellationToken cancellationToken)
    {
        var participant = Participant.From(http.User)!;
        // Bounded as a check's verification is: with the broker away, the send itself would wait for the connection.
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(options.VerificationTimeout);
        try
        {
            var response = await client.GetResponse<ChallengeIssued>(
                new IssueChallenge { ParticipantId = participant.Id }, deadline.Token, RequestTimeout.After(ms: (int)options.VerificationTimeout.TotalMilliseconds)).ConfigureAwait(false);
            return TypedResults.Ok(ChallengeResponse.From(response.Message));
        }
        catch (Exception e) when (e is RequestTimeoutException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return ApiProblems.Status(StatusCodes.Status503ServiceUnavailable, "Identity service unavailable", "No challenge could be issued; try again.");
        }
    }

    private static async Task<Results<Ok<JsonObject>, ProblemHttpResult>> CheckAsync(
        HttpContext http, ReceptionCheckService service, AccessAudit audit, TimeProvider time, IEnumerable<IReceptionLookup> lookups,
        CancellationToken cancellationToken)
    {
        var (request, problem) = await JsonBody.ReadAsync<ReceptionCheckRequest>(http.Request, cancellationToken).ConfigureAwait(false);
        return problem ?? await HandleCheckAsync(http, request!, service, audit, time, lookups, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// A reception check as the API and the desk page make it: the request validated, the kinds and the service date
    /// checked, the card verified, the consented kinds looked up, and all of it audited.
    /// </summary>
    public static async Task<Results<Ok<JsonObject>, ProblemHttpResult>> HandleCheckAsync(
        HttpContext http, ReceptionCheckRequest request, ReceptionCheckService service, AccessAudit audit, TimeProvider time, IEnumerable<IReceptionLookup> lookups,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        if (await JsonBody.ValidateAsync(request, ReceptionCheckRequestRules, "Invalid reception check", cancellationToken).ConfigureAwait(false) is { } invalid)
        {
            return invalid;
        }

        // Only the kinds the hub looks up: refused before anything is verified or audited, so a refused check never
        // carries the caller's keys into the audit log.
        var kinds = lookups.Select(l => l.Kind).ToHashSet(StringComparer.Ordinal);
        if (request.Consent!.Keys.Where(k => !kinds.Contains(k)).Take(3).ToList() is { Count: > 0 } unknown)
        {
            return ApiProblems.Field(
                StatusCodes.Status400BadRequest,
                "consent",
                $"names kinds the hub does not know ({string.Join(", ", unknown)}); the kinds are {string.Join(", ", kinds.Order(StringComparer.Ordinal))}",
                "Invalid reception check");
        }

        var serviceDate = IsoDate.Parse(request.ServiceDate)!.Value;
        if (PlausibleDates.ServiceDateProblem(serviceDate, PlausibleDates.Today(time.GetUtcNow())) is { } implausible)
        {
            return ApiProblems.Field(StatusCodes.Status422UnprocessableEntity, "serviceDate", implausible, "Implausible service date");
        }

        var participant = Participant.From(http.User)!;
        var outcome = await service.CheckAsync(
            participant,
            Guid.Parse(request.ChallengeId!),
            Convert.FromBase64String(request.Certificate!),
            Convert.FromBase64String(request.Signature!),
            request.Consent!,
            serviceDate,
            cancellationToken).ConfigureAwait(false);

        await AuditAsync(audit, participant, request.Consent!, outcome, cancellationToken).ConfigureAwait(false);
        switch (outcome)
        {
            case CheckOutcome.Completed completed:
                http.Response.Headers["Server-Timing"] = string.Join(
                    ", ",
                    new[] { ("verify", completed.Verification), ("lookups", completed.Lookups) }
                        .Concat(completed.PerKind.Select(k => ("lookup-" + k.Key, k.Value)))
                        .Select(t => string.Create(CultureInfo.InvariantCulture, $"{t.Item1};dur={t.Item2.TotalMilliseconds:F1}")));
                return TypedResults.Ok(completed.Answer);
            case CheckOutcome.Rejected rejected:
                var field = rejected.Reason is CardRejectionReasons.ChallengeExpired or CardRejectionReasons.ChallengeReused
                    ? "challengeId"
                    : rejected.Reason == CardRejectionReasons.BadSignature ? "signature" : "certificate";
                var result = ApiProblems.Field(StatusCodes.Status422UnprocessableEntity, field, rejected.Reason, "Card not accepted");
                result.ProblemDetails.Extensions["reason"] = rejected.Reason;
                return result;
            case CheckOutcome.LookupsUnavailable:
                return ApiProblems.Status(
                    StatusCodes.Status503ServiceUnavailable, "Lookups unavailable",
                    "The card was verified, but no consented lookup answered in time; nothing was disclosed. Take a new challenge and try again.");
            default:
                return ApiProblems.Status(
                    StatusCodes.Status503ServiceUnavailable, "Card verification unavailable", "The identity service did not answer in time; take a new challenge and try again.");
        }
    }

    /// <summary>What the check disclosed, what the patient did not consent to, or that the card was refused.</summary>
    private static async Task AuditAsync(
        AccessAudit audit, Participant participant, IReadOnlyDictionary<string, bool> consent, CheckOutcome outcome, CancellationToken cancellationToken)
    {
        if (outcome is CheckOutcome.Rejected rejected)
        {
            await audit.RecordAsync(participant, null, consent.Where(c => c.Value).Select(c => c.Key), "receptionCheck",
                Contracts.Audit.AccessOutcomes.CardRejected, rejected.Reason, cancellationToken).ConfigureAwait(false);
            return;
        }

        if (outcome is CheckOutcome.LookupsUnavailable unavailable)
        {
            // Asked for, consented to, and nothing disclosed: the citizen's log says so, not "disclosed".
            await audit.RecordAsync(participant, unavailable.PersonKey, unavailable.Kinds, "receptionCheck",
                Contracts.Audit.AccessOutcomes.Unavailable, "lookupsUnavailable", cancellationToken).ConfigureAwait(false);
            return;
        }

        if (outcome is not CheckOutcome.Completed completed)
        {
            return;
        }

        var personKey = completed.PersonKey;
        var parts = completed.PerKind.Keys.ToDictionary(k => k, k => (string)completed.Answer[k]!["status"]!, StringComparer.Ordinal);
        var disclosed = parts.Where(p => p.Value == ReceptionCheckService.Provided).Select(p => p.Key).ToList();
        var notConsented = parts.Where(p => p.Value == ReceptionCheckService.NotConsented).Select(p => p.Key).ToList();
        await audit.RecordAsync(participant, personKey, disclosed, "receptionCheck", Contracts.Audit.AccessOutcomes.Disclosed,
            completed.Answer["checkId"]!.GetValue<Guid>().ToString(), cancellationToken).ConfigureAwait(false);
        if (notConsented.Count > 0)
        {
            await audit.RecordAsync(participant, personKey, notConsented, "receptionCheck", Contracts.Audit.AccessOutcomes.NotConsented,
                completed.Answer["checkId"]!.GetValue<Guid>().ToString(), cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task<Results<Ok<ReceptionCheckResponse>, ProblemHttpResult>> GetCheckAsync(string checkId, HttpContext http, ReceptionCheckStore checks, CancellationToken cancellationToken)
    {
        var participant = Participant.From(http.User)!;
        var check = Guid.TryParse(checkId, out var id) ? await checks.FindAsync(id, participant.Id, cancellationToken).ConfigureAwait(false) : null;
        if (check is null)
        {
            return ApiProblems.Status(StatusCodes.Status404NotFound, "No such check", $"Participant {participant.Id} has no check '{checkId}'.");
        }

        return TypedResults.Ok(new ReceptionCheckResponse(
            check.CheckId, check.ServiceDate, new CheckedPerson(check.PersonRef, check.BirthDate), check.Parts, check.CreatedAt, check.ExpiresAt));
    }
}

/// <summary>A challenge for the card to sign: its id, the nonce (base64) and until when it holds.</summary>
public sealed record ChallengeResponse(Guid ChallengeId, string Nonce, DateTimeOffset ExpiresAt)
{
    public static ChallengeResponse From(ChallengeIssued issued) => new(issued.ChallengeId, Convert.ToBase64String(issued.Nonce), issued.ExpiresAt);
}

/// <summary>A reception check read back: the person as checked and each kind's part status.</summary>
public sealed record ReceptionCheckResponse(
    Guid CheckId, DateOnly ServiceDate, CheckedPerson Person, IReadOnlyDictionary<string, string> Parts, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt);

/// <summary>The checked person: the check's own reference to them, and their birth date.</summary>
public sealed record CheckedPerson(string Ref, DateOnly BirthDate);

/// <summary>The body of <c>POST /api/v1/reception/checks</c>.</summary>
public sealed class ReceptionCheckRequest
{
    public string? ChallengeId { get; set; }

    /// <summary>The card's authentication certificate, DER, base64.</summary>
    public string? Certificate { get; set; }

    /// <summary>The card's signature over the challenge's nonce, base64.</summary>
    public string? Signature { get; set; }

    /// <summary>What the patient agreed to share, by kind: <c>{"subsidy": true, "vaccination": false, ...}</c>.</summary>
    public Dictionary<string, bool>? Consent { get; set; }

    public string? ServiceDate { get; set; }
}

public sealed class ReceptionCheckRequestValidator : PmhValidator<ReceptionCheckRequest>
{
    public ReceptionCheckRequestValidator()
    {
        RuleFor(r => r.ChallengeId).Must(v => Guid.TryParse(v, out _)).WithMessage("is required as the challengeId the challenge returned");
        RuleFor(r => r.Certificate).Must(BeBase64).WithMessage("is required as base64 of the card's DER certificate");
        RuleFor(r => r.Signature).Must(BeBase64).WithMessage("is required as base64 of the card's signature over the nonce");
        RuleFor(r => r.Consent).NotNull().WithMessage("is required: which kinds the patient agreed to share, e.g. {\"subsidy\": true}");
        RuleFor(r => r.Consent).Must(c => c!.Count <= MaxConsentKinds).When(r => r.Consent is not null)
            .WithMessage($"must name at most {MaxConsentKinds} kinds");
        RuleFor(r => r.Consent).Must(c => c!.Keys.All(IsKindName)).When(r => r.Consent is not null && r.Consent.Count <= MaxConsentKinds)
            .WithMessage($"must be keyed by kind names (a letter, then letters and digits, at most {MaxKindLength}), e.g. subsidy");
        RuleFor(r => r.ServiceDate)
            .Must(v => IsoDate.IsValid(v))
            .WithMessage("is required as a date yyyy-MM-dd");
    }

    public const int MaxConsentKinds = 16;
    public const int MaxKindLength = 32;

    private static bool IsKindName(string key) =>
        key.Length is > 0 and <= MaxKindLength && char.IsAsciiLetter(key[0]) && key.All(char.IsAsciiLetterOrDigit);

    private static bool BeBase64(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return false;
        }

        Span<byte> buffer = new byte[value.Length];
        return Convert.TryFromBase64String(value, buffer, out var written) && written > 0;
    }
}
