using MassTransit;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Hosting;
using Pmh.Contracts.Audit;
using Pmh.Contracts.Identity;
using Pmh.Gateway;
using Pmh.Gateway.Apis;
using Pmh.Modules.Pages;

namespace Pmh.Pages.Pages;

/// <summary>
/// The citizen's page: prove their own card (the same seam as the desk), then read who looked at their data, when,
/// what and why, newest first — through the handler of <c>POST /api/v1/me/access-log</c>, under its rate limit.
/// </summary>
[AllowAnonymous]
[EnableRateLimiting(GatewayServiceExtensions.CitizenRateLimit)]
public sealed class MeModel(IEnumerable<IDeskSection> sections, IHostEnvironment environment) : PageModel
{
    public bool SimulatedReader => environment.IsDevelopment();

    public LocalText? Error { get; private set; }

    public IReadOnlyList<CitizenAccessLogEntry>? Entries { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostChallengeAsync([FromServices] IRequestClient<IssueChallenge> client, CancellationToken cancellationToken) =>
        new JsonResult(await CitizenApi.IssueChallengeAsync(client, cancellationToken).ConfigureAwait(false), System.Text.Json.JsonSerializerOptions.Web);

    public async Task<IActionResult> OnPostLogAsync(
        [FromServices] IRequestClient<VerifyCardholder> verifier, [FromServices] IRequestClient<GetAccessLog> log, CancellationToken cancellationToken)
    {
        var form = Request.Form;
        var request = new ReceptionCheckRequest
        {
            ChallengeId = DeskRefusals.Field(form, "challengeId"),
            Certificate = DeskRefusals.Field(form, "certificate"),
            Signature = DeskRefusals.Field(form, "signature"),
        };
        if (request.Signature is null || request.Certificate is null || request.ChallengeId is null)
        {
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            Error = CardTexts.NeedsScript;
            return Page();
        }

        var result = (await CitizenApi.HandleAccessLogAsync(request, verifier, log, cancellationToken).ConfigureAwait(false)).Result;
        switch (result)
        {
            case Ok<CitizenAccessLog> { Value: { } found }:
                Entries = found.Entries;
                return Page();
            case ProblemHttpResult problem:
                Response.StatusCode = problem.StatusCode;
                Error = problem.ProblemDetails.Extensions.TryGetValue("reason", out var reason) && reason is string code
                    ? CardTexts.CardRefused(code)
                    : CardTexts.CardRefused(problem.ProblemDetails.Title ?? "");
                return Page();
            default:
                Error = CardTexts.VerificationUnavailable;
                return Page();
        }
    }

    /// <summary>A kind of data in plain words: its desk section's consent label, else the log's own word.</summary>
    public LocalText KindName(string kind) =>
        sections.FirstOrDefault(s => s.Kind == kind)?.ConsentLabel ?? MeTexts.Kinds.GetValueOrDefault(kind) ?? LocalText.Same(kind);
}
