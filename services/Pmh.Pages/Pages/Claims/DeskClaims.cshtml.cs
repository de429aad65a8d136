using MassTransit;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Pmh.Contracts.Vaccination;
using Pmh.Modules;
using Pmh.Modules.Audit;
using Pmh.Pages.Shell;
using Pmh.Vaccination.Apis;

namespace Pmh.Pages.Pages.Claims;

/// <summary>
/// <c>/desk/claims</c>: the signed-in institution's vaccination cost claims of a month (one per municipality), with
/// their totals and each line's state, read by <see cref="BillingApi.InstitutionClaimsAsync"/> as the API reads them.
/// </summary>
[Authorize(Policy = GatewayPolicies.Reception)]
public sealed class DeskClaimsModel(IRequestClient<GetVaccinationClaims> claims, AccessAudit audit, TimeProvider time) : PageModel
{
    public string Month { get; private set; } = "";

    public IReadOnlyList<VaccinationClaim> Claims { get; private set; } = [];

    public IReadOnlyList<string> Problems { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(string? month, CancellationToken cancellationToken)
    {
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
