using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Pmh.Pages.Shell;

namespace Pmh.Pages.Pages;

/// <summary>Ends the session (a post, with its anti-forgery token); a get only leads back to the start page.</summary>
[AllowAnonymous]
public sealed class SignOutModel : PageModel
{
    public IActionResult OnGet() => LocalRedirect("/");

    public async Task<IActionResult> OnPostAsync()
    {
        await HttpContext.SignOutAsync(PagesExtensions.SessionScheme).ConfigureAwait(false);
        return LocalRedirect("/");
    }
}
