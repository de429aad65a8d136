using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Pmh.Modules.Pages;
using Pmh.Pages.Shell;

namespace Pmh.Pages.Pages;

/// <summary>The 日本語/English switch: the choice is kept in a cookie (a year), then back to the page it came from.</summary>
[AllowAnonymous]
public sealed class LanguageModel : PageModel
{
    public IActionResult OnGet() => LocalRedirect("/");

    public IActionResult OnPost(string? language, string? returnUrl)
    {
        Response.Cookies.Append(PageText.LanguageCookie, language == PageLanguage.English ? PageLanguage.English : PageLanguage.Japanese, new CookieOptions
        {
            HttpOnly = true,
            SameSite = SameSiteMode.Strict,
            Secure = Request.IsHttps,
            MaxAge = TimeSpan.FromDays(365),
            IsEssential = true,
        });
        return LocalRedirect(Url.IsLocalUrl(returnUrl) ? returnUrl! : "/");
    }
}
