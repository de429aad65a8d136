using FluentValidation;
using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Pmh.Contracts.Audit;
using Pmh.Contracts.Identifiers;
using Pmh.Contracts.Identity;
using Pmh.Modules.Participants;
using Pmh.Contracts.Validation;
using Pmh.Contracts.Vaccination;
using Pmh.Vaccination.Domain.Questionnaires;

namespace Pmh.Vaccination.Apis;

/// <summary>
/// The pre-vaccination questionnaire (予診票): its definition, and the citizen's answers submitted with their own card
/// (a guardian uses the child's card and names themself in <c>answeredBy</c>). The desk sees pending questionnaires in
/// the reception check's vaccination part; a dose names the one it was given on.
/// </summary>
public static class QuestionnaireApi
{
    private static readonly QuestionnaireSubmissionValidator SubmissionRules = new();

    /// <summary>The gateway's rate limit policy for citizens' requests (the one <c>/me/access-log</c> uses).</summary>
    public const string CitizenRateLimit = "citizen";

    /// <summary>The participant id that citizens' challenges are issued to (as for <c>/me/access-log</c>).</summary>
    public const string CitizenParticipant = CitizenCards.Participant;

    public static RouteGroupBuilder MapQuestionnaireApi(this RouteGroupBuilder api)
    {
        api.MapGet("/questionnaires/{vaccine}", DefinitionAsync)
            .RequireAuthorization(GatewayPolicies.Reception).WithName("QuestionnaireDefinition")
            .ProducesProblem(StatusCodes.Status404NotFound);
        var me = api.MapGroup("/me").AllowAnonymous().RequireRateLimiting(CitizenRateLimit);
        me.MapGet("/questionnaires/{vaccine}", DefinitionAsync).WithName("CitizenQuestionnaireDefinition")
            .ProducesProblem(StatusCodes.Status404NotFound);
        me.MapPost("/questionnaires", SubmitAsync).WithName("CitizenSubmitQuestionnaire")
            .WithBody<QuestionnaireSubmission, RouteHandlerBuilder>()
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        return api;
    }

    /// <summary>The definition in force today for a vaccine (<c>GET /me/questionnaires/{vaccine}</c>; the citizen's questionnaire page renders it).</summary>
    public static Results<Ok<QuestionnaireDefinition>, ProblemHttpResult> DefinitionAsync(string vaccine, TimeProvider timeProvider) =>
        QuestionnaireDefinitions.Default.For(vaccine, PlausibleDates.Today(timeProvider)) is { } definition
            ? TypedResults.Ok(definition)
            : ApiProblems.Field(StatusCodes.Status404NotFound, "vaccine",
                $"has no questionnaire; questionnaires exist for {string.Join(", ", QuestionnaireDefinitions.Default.Vaccines)}", "No questionnaire");

    private static async Task<Results<Created<QuestionnaireAccepted>, ProblemHttpResult>> SubmitAsync(
        HttpContext http, IRequestClient<VerifyCardholder> verifier, IRequestClient<StoreQuestionnaire> store, TimeProvider timeProvider,
        CancellationToken cancellationToken)
    {
        var (request, problem) = await JsonBody.ReadValidAsync(http.Request, SubmissionRules, "Invalid questionnaire", cancellationToken).ConfigureAwait(false);
        return problem ?? await HandleSubmitAsync(request!, verifier, store, timeProvider, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A citizen's answers, as the API and the citizen's questionnaire page submit them: validated, the card verified, stored.</summary>
    public static async Task<Results<Created<QuestionnaireAccepted>, ProblemHttpResult>> HandleSubmitAsync(
        QuestionnaireSubmission request, IRequestClient<VerifyCardholder> verifier, IRequestClient<StoreQuestionnaire> store, TimeProvider timeProvider,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(verifier);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(timeProvider);
        if (await JsonBody.ValidateAsync(request, SubmissionRules, "Invalid questionnaire", cancellationToken).ConfigureAwait(false) is { } invalid)
        {
            return invalid;
        }

        var now = timeProvider.GetUtcNow();
        var definition = QuestionnaireDefinitions.Default.For(request.Vaccine!, PlausibleDates.Today(now));
        if (definition is null)
        {
            return ApiProblems.Field(StatusCodes.Status422UnprocessableEntity, "vaccine",
                $"has no questionnaire; questionnaires exist for {string.Join(", ", QuestionnaireDefinitions.Default.Vaccines)}", "No questionnaire");
        }

        var check = QuestionnaireDefinitions.Check(definition, request.Answers!);
        if (!check.IsValid)
        {
            return ApiProblems.Fields(StatusCodes.Status422UnprocessableEntity, check.Errors.ToDictionary(e => e.Key, e => new[] { e.Value }), "Answers refused");
        }

        // The card proves the person (the same proof as the citizen's access log); nothing is stored for a refused card.
        var (person, refused) = await CitizenCards.ProveAsync(verifier, request.ChallengeId!, request.Certificate!, request.Signature!, cancellationToken).ConfigureAwait(false);
        if (refused is not null)
        {
            return refused;
        }

        var id = "q-" + Guid.NewGuid().ToString("N");
        var stored = await store.GetResponse<QuestionnaireStored>(
            new StoreQuestionnaire
            {
                QuestionnaireId = id,
                PersonKey = person!.PersonKey,
                Vaccine = definition.Vaccine,
                DoseNumber = WholeNumber.Parse(request.DoseNumber!),
                Definition = $"{definition.Id}/{definition.Version}",
                AnsweredBy = request.AnsweredBy!,
                Answers = request.Answers!.Where(a => !string.IsNullOrEmpty(a.Value)).ToDictionary(a => a.Key, a => a.Value!, StringComparer.Ordinal),
                Attention = check.Attention,
                SubmittedAt = now,
                ValidUntil = now.AddHours(definition.ValidForHours),
            },
            cancellationToken).ConfigureAwait(false);
        return TypedResults.Created((string?)null, new QuestionnaireAccepted(stored.Message.QuestionnaireId, stored.Message.ValidUntil, check.Attention));
    }
}

/// <summary>A questionnaire accepted: its id (the desk and the dose name it), until when it can be used, and what the doctor will look at first.</summary>
public sealed record QuestionnaireAccepted(string QuestionnaireId, DateTimeOffset ValidUntil, IReadOnlyList<string> Attention);

/// <summary>The body of <c>POST /api/v1/me/questionnaires</c>.</summary>
public sealed class QuestionnaireSubmission
{
    public string? ChallengeId { get; set; }

    public string? Certificate { get; set; }

    public string? Signature { get; set; }

    public string? Vaccine { get; set; }

    public string? DoseNumber { get; set; }

    /// <summary>Question id → answer (<c>yes</c>/<c>no</c>, a temperature such as <c>36.5</c>, or text).</summary>
    public Dictionary<string, string?>? Answers { get; set; }

    /// <summary>Who answered: the person, or the guardian by name.</summary>
    public string? AnsweredBy { get; set; }
}

public sealed class QuestionnaireSubmissionValidator : PmhValidator<QuestionnaireSubmission>
{
    public QuestionnaireSubmissionValidator()
    {
        RuleFor(r => r.ChallengeId).Must(v => Guid.TryParse(v, out _)).WithMessage("is required as the challengeId of POST /api/v1/me/challenges");
        RuleFor(r => r.Certificate).Must(IsBase64).WithMessage("is required as the card's certificate, base64 DER");
        RuleFor(r => r.Signature).Must(IsBase64).WithMessage("is required as the card's signature over the nonce, base64");
        RuleFor(r => r.Vaccine).NotEmpty().WithMessage(IdentifierErrors.Required)
            .Matches("^[A-Z0-9][A-Z0-9-]{0,29}$").WithMessage("must be a vaccine code of the schedule table such as MR or HPV");
        RuleFor(r => r.DoseNumber).Must(v => WholeNumber.TryParse(v, 20, out var n) && n >= 1).WithMessage("must be a whole number from 1 to 20");
        RuleFor(r => r.Answers).NotNull().WithMessage("is required as an object of question id → answer")
            .Must(a => a is null || a.Count <= 64).WithMessage("must hold at most 64 answers");
        RuleFor(r => r.AnsweredBy).NotEmpty().WithMessage("is required: the person's or the guardian's name")
            .MaximumLength(100).WithMessage("must be at most 100 characters")
            .Must(v => v is null || !v.Any(char.IsControl)).WithMessage("must not contain control characters");
    }

    private static bool IsBase64(string? value)
    {
        if (string.IsNullOrEmpty(value) || value.Length > 16_384)
        {
            return false;
        }

        var buffer = new byte[(value.Length * 3 / 4) + 3];
        return Convert.TryFromBase64String(value, buffer, out var written) && written > 0;
    }
}
