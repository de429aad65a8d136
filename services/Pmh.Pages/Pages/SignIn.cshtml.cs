using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Pmh.Gateway.Participants;
using Pmh.Modules.Pages;
using Pmh.Modules.Participants;
using Pmh.Pages.Shell;

namespace Pmh.Pages.Pages;

/// <summary>
/// Sign-in with the participant's API key, checked against the gateway's participant store as every API call is; the
/// session cookie carries the participant's claims, never the key.
/// </summary>
[AllowAnonymous]
public sealed class SignInModel(ParticipantStore participants) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public LocalText? Error { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(string? apiKey, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(apiKey))
        {
            Error = ShellTexts.ApiKeyRequired;
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            return Page();
        }

        var participant = await participants.FindByKeyAsync(apiKey.Trim(), cancellationToken).ConfigureAwait(false);
        if (participant is null)
        {
            Error = ShellTexts.ApiKeyUnknown;
            Response.StatusCode = StatusCodes.Status401Unauthorized;
            return Page();
        }

        // The session carries the participant's claims and the key's hash (what the store keeps), never the key: each
        // request checks the key is still current, so a key the operator revokes or rotates ends its sessions too.
        var principal = participant.ToPrincipal(PagesExtensions.SessionScheme);
        ((System.Security.Claims.ClaimsIdentity)principal.Identity!).AddClaim(
            new System.Security.Claims.Claim(PagesExtensions.KeyHashClaim, ParticipantDirectory.HashKey(apiKey.Trim())));
        await HttpContext.SignInAsync(
            PagesExtensions.SessionScheme,
            principal,
            new AuthenticationProperties { IsPersistent = false }).ConfigureAwait(false);
        return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl! : HomeOf(participant.Role));
    }

    /// <summary>The page each role works in.</summary>
    public static string HomeOf(ParticipantRole role) => role switch
    {
        ParticipantRole.MedicalInstitution or ParticipantRole.Pharmacy => "/desk",
        ParticipantRole.Municipality => "/municipality",
        ParticipantRole.Operator => "/operator",
        _ => "/",
    };
}
