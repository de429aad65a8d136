using MassTransit;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Pmh.Contracts.Vaccination;
using Pmh.Modules;
using Pmh.Modules.Audit;
using Pmh.Modules.Pages;
using Pmh.Modules.Participants;
using Pmh.Vaccination.Apis;

namespace Pmh.Vaccination.Pages;

/// <summary>
/// <c>/municipality/claims</c>: the vaccination cost claims to the signed-in municipality for a month (default: the
/// last closed month), per institution with totals and line states; <c>?claim=</c> one claim with its lines, each
/// approved or rejected by a form post through <see cref="BillingApi.HandleDecideAsync"/>; <c>?handler=Csv</c> the
/// API's CSV of the claim. Every read is the API's handler, so it is audited as the API's reads are.
/// </summary>
[Authorize(Policy = GatewayPolicies.Municipality)]
public sealed class MunicipalityClaimsModel(
    IRequestClient<GetVaccinationClaims> claims, IRequestClient<GetVaccinationClaim> claimClient, IRequestClient<DecideVaccinationClaimLines> decide,
    AccessAudit audit, TimeProvider time) : PageModel
{
    public string Month { get; private set; } = "";

    public IReadOnlyList<VaccinationClaim> Claims { get; private set; } = [];

    public VaccinationClaim? Claim { get; private set; }

    public string? ClaimId { get; private set; }

    public IReadOnlyList<string> Problems { get; private set; } = [];

    public bool Decided { get; private set; }

    private string Code => Participant.From(User)!.Code!;

    /// <summary>The cursor this page of lines starts after (null: the first page).</summary>
    public string? After { get; private set; }

    public async Task<IActionResult> OnGetAsync(string? month, string? claim, string? after, CancellationToken cancellationToken)
    {
        if (!string.IsNullOrEmpty(claim))
        {
            return await ShowClaimAsync(claim, after, cancellationToken).ConfigureAwait(false);
        }

        Month = string.IsNullOrEmpty(month) ? ClaimsPages.DefaultMonth(time) : month;
        switch (HandlerResults.Unwrap((await BillingApi.MunicipalityClaimsAsync(Code, Month, HttpContext, claims, audit, cancellationToken).ConfigureAwait(false)).Result))
        {
            case Ok<ClaimsPage> { Value: { } page }:
                Claims = page.Claims;
                break;
            case ProblemHttpResult problem:
                Problems = HandlerResults.Lines(problem);
                Response.StatusCode = problem.StatusCode;
                break;
        }

        return Page();
    }

    public async Task<IActionResult> OnGetCsvAsync(string claim, CancellationToken cancellationToken)
    {
        Request.Headers.Accept = BillingApi.TextCsv;
        var result = HandlerResults.Unwrap((await BillingApi.MunicipalityClaimAsync(Code, claim, null, null, HttpContext, claimClient, audit, cancellationToken).ConfigureAwait(false)).Result);
        if (result is ClaimCsvResult)
        {
            Response.Headers.ContentDisposition = $"attachment; filename=\"{claim}.csv\"";
        }

        return new HttpResultAction(result);
    }

    /// <summary>One line's decision (the form on each line of a closed claim).</summary>
    public async Task<IActionResult> OnPostDecideAsync(string claim, string? after, string? lineId, string? decision, string? reason, CancellationToken cancellationToken)
    {
        var request = new ClaimDecisionsRequest { Lines = [new ClaimLineDecisionRequest { LineId = lineId, Decision = decision, Reason = reason }] };
        switch (HandlerResults.Unwrap((await BillingApi.HandleDecideAsync(Code, claim, request, HttpContext, decide, audit, cancellationToken).ConfigureAwait(false)).Result))
        {
            case Ok<VaccinationClaim>:
                return Redirect($"/municipality/claims?claim={Uri.EscapeDataString(claim)}&decided=1" + (string.IsNullOrEmpty(after) ? "" : $"&after={Uri.EscapeDataString(after)}"));
            case ProblemHttpResult problem:
                return await RefusedAsync(claim, after, problem, cancellationToken).ConfigureAwait(false);
            default:
                return StatusCode(StatusCodes.Status500InternalServerError);
        }
    }

    /// <summary>"Approve every pending line" (the form under a closed claim's totals), through <see cref="BillingApi.HandleApprovePendingAsync"/>.</summary>
    public async Task<IActionResult> OnPostApprovePendingAsync(string claim, CancellationToken cancellationToken)
    {
        switch (HandlerResults.Unwrap((await BillingApi.HandleApprovePendingAsync(Code, claim, HttpContext, decide, audit, cancellationToken).ConfigureAwait(false)).Result))
        {
            case Ok<VaccinationClaim>:
                return Redirect($"/municipality/claims?claim={Uri.EscapeDataString(claim)}&decided=1");
            case ProblemHttpResult problem:
                return await RefusedAsync(claim, null, problem, cancellationToken).ConfigureAwait(false);
            default:
                return StatusCode(StatusCodes.Status500InternalServerError);
        }
    }

    private async Task<IActionResult> RefusedAsync(string claim, string? after, ProblemHttpResult problem, CancellationToken cancellationToken)
    {
        Problems = HandlerResults.Lines(problem);
        var page = await ShowClaimAsync(claim, after, cancellationToken).ConfigureAwait(false);
        Response.StatusCode = problem.StatusCode;
        return page;
    }

    private async Task<IActionResult> ShowClaimAsync(string claim, string? after, CancellationToken cancellationToken)
    {
        ClaimId = claim;
        After = string.IsNullOrEmpty(after) ? null : after;
        Decided = Request.Query["decided"] == "1";
        var limit = ClaimsPages.LinesPerPage.ToString(System.Globalization.CultureInfo.InvariantCulture);
        switch (HandlerResults.Unwrap((await BillingApi.MunicipalityClaimAsync(Code, claim, limit, After, HttpContext, claimClient, audit, cancellationToken).ConfigureAwait(false)).Result))
        {
            case Ok<VaccinationClaim> { Value: { } found }:
                Claim = found;
                Month = found.Month;
                break;
            case ProblemHttpResult { StatusCode: StatusCodes.Status400BadRequest } problem:
                Problems = HandlerResults.Lines(problem);
                Response.StatusCode = problem.StatusCode;
                break;
            default:
                Response.StatusCode = StatusCodes.Status404NotFound;
                break;
        }

        return Page();
    }
}
