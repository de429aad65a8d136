using MassTransit;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Hosting;
using Pmh.Contracts.Identity;
using Pmh.Contracts.Vaccination;
using Pmh.Modules.Pages;
using Pmh.Vaccination.Apis;
using Pmh.Vaccination.Domain.Questionnaires;

namespace Pmh.Vaccination.Pages;

/// <summary>
/// <c>/me/questionnaire?vaccine=MR</c>: the pre-vaccination questionnaire in force (the data of
/// <c>GET /api/v1/me/questionnaires/{vaccine}</c>, <see cref="QuestionnaireApi.DefinitionAsync"/>) as a form, one input
/// per question by its answer type; proved with the citizen's card through the page's card seam (card-check.js,
/// <c>cardReader.sign</c>, with the challenge of the citizen's own page <c>/me</c>, as the access log is) and submitted through <see cref="QuestionnaireApi.HandleSubmitAsync"/>.
/// </summary>
[AllowAnonymous]
[EnableRateLimiting(Pmh.Modules.GatewayPolicies.CitizenRateLimit)]
public sealed class MeQuestionnaireModel(IHostEnvironment environment, TimeProvider time) : PageModel
{
    public const string AnswerPrefix = "answers.";

    public bool SimulatedReader => environment.IsDevelopment();

    public IReadOnlyCollection<string> Vaccines => QuestionnaireDefinitions.Default.Vaccines;

    public string? Vaccine { get; private set; }

    public QuestionnaireDefinition? Definition { get; private set; }

    public QuestionnaireAccepted? Accepted { get; private set; }

    public IReadOnlyList<string> Problems { get; private set; } = [];

    public LocalText? Error { get; private set; }

    /// <summary>The answers as posted (a refused form keeps them).</summary>
    public IReadOnlyDictionary<string, string> Posted { get; private set; } = new Dictionary<string, string>(StringComparer.Ordinal);

    public IActionResult OnGet(string? vaccine)
    {
        Load(vaccine);
        return Page();
    }

    public async Task<IActionResult> OnPostSubmitAsync(
        [FromServices] IRequestClient<VerifyCardholder> verifier, [FromServices] IRequestClient<StoreQuestionnaire> store, CancellationToken cancellationToken)
    {
        var form = Request.Form;
        Load(DeskRefusals.Field(form, "vaccine"));
        Posted = form.Keys.Where(k => k.StartsWith(AnswerPrefix, StringComparison.Ordinal))
            .ToDictionary(k => k[AnswerPrefix.Length..], k => form[k].ToString(), StringComparer.Ordinal);
        var request = new QuestionnaireSubmission
        {
            ChallengeId = DeskRefusals.Field(form, "challengeId"),
            Certificate = DeskRefusals.Field(form, "certificate"),
            Signature = DeskRefusals.Field(form, "signature"),
            Vaccine = Vaccine,
            DoseNumber = DeskRefusals.Field(form, "doseNumber"),
            AnsweredBy = DeskRefusals.Field(form, "answeredBy"),
            Answers = Posted.Where(a => a.Value.Length > 0).ToDictionary(a => a.Key, a => (string?)a.Value, StringComparer.Ordinal),
        };
        if (request.Signature is null || request.Certificate is null || request.ChallengeId is null)
        {
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            Error = CardTexts.NeedsScript;
            return Page();
        }

        switch (HandlerResults.Unwrap((await QuestionnaireApi.HandleSubmitAsync(request, verifier, store, time, cancellationToken).ConfigureAwait(false)).Result))
        {
            case Created<QuestionnaireAccepted> { Value: { } accepted }:
                Response.StatusCode = StatusCodes.Status201Created;
                Accepted = accepted;
                break;
            case ProblemHttpResult problem:
                Response.StatusCode = problem.StatusCode;
                Problems = HandlerResults.Lines(problem);
                if (problem.ProblemDetails.Extensions.TryGetValue("reason", out var reason) && reason is string code)
                {
                    Error = CardTexts.CardRefused(code);
                }

                break;
            default:
                Error = CardTexts.VerificationUnavailable;
                break;
        }

        return Page();
    }

    private void Load(string? vaccine)
    {
        if (string.IsNullOrEmpty(vaccine))
        {
            return;
        }

        Vaccine = vaccine;
        if (HandlerResults.Unwrap(QuestionnaireApi.DefinitionAsync(vaccine, time).Result) is Ok<QuestionnaireDefinition> { Value: { } definition })
        {
            Definition = definition;
        }
        else
        {
            Response.StatusCode = StatusCodes.Status404NotFound;
        }
    }
}
