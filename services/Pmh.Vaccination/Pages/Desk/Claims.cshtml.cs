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
using Pmh.Vaccination.Apis;

namespace Pmh.Vaccination.Pages;

/// <summary>
/// <c>/desk/claims</c>: the signed-in institution's vaccination cost claims of a month (one per municipality), with
/// their totals and each line's state, read by <see cref="BillingApi.InstitutionClaimsAsync"/> as the API reads them
/// (each claim's first lines); <c>?claim=&amp;after=</c> one claim's lines page by page (<see cref="BillingApi.InstitutionClaimPageAsync"/>).
/// </summary>
[Authorize(Policy = GatewayPolicies.Reception)]
public sealed class DeskClaimsModel(
    IRequestClient<GetVaccinationClaims> claims, IRequestClient<GetVaccinationClaim> claimClient, AccessAudit audit, TimeProvider time) : PageModel
{
    public string Month { get; private set; } = "";

    public IReadOnlyList<VaccinationClaim> Claims { get; private set; } = [];

    public IReadOnlyList<string> Problems { get; private set; } = [];

    /// <summary>The cursor the shown page of one claim's lines starts after (one claim shown), or null.</summary>
    public string? After { get; private set; }

    /// <summary>Whether one claim is shown (<c>?claim=</c>) rather than a month's.</summary>
    public bool OneClaim { get; private set; }

    public async Task<IActionResult> OnGetAsync(string? month, string? claim, string? after, CancellationToken cancellationToken)
    {
        if (!string.IsNullOrEmpty(claim))
        {
            OneClaim = true;
            After = string.IsNullOrEmpty(after) ? null : after;
            var limit = ClaimsPages.LinesPerPage.ToString(System.Globalization.CultureInfo.InvariantCulture);
            switch (HandlerResults.Unwrap((await BillingApi.InstitutionClaimPageAsync(claim, limit, After, HttpContext, claimClient, audit, cancellationToken).ConfigureAwait(false)).Result))
            {
                case Ok<VaccinationClaim> { Value: { } found }:
                    Claims = [found];
                    Month = found.Month;
                    break;
                case ProblemHttpResult problem:
                    Problems = HandlerResults.Lines(problem);
                    Response.StatusCode = problem.StatusCode;
                    break;
            }

            return Page();
        }

        Month = string.IsNullOrEmpty(month) ? ClaimsPages.DefaultMonth(time) : month;
        switch (HandlerResults.Unwrap((await BillingApi.InstitutionClaimsAsync(Month, HttpContext, claims, audit, cancellationToken).ConfigureAwait(false)).Result))
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
}
