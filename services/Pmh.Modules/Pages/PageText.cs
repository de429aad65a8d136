using Microsoft.AspNetCore.Http;

namespace Pmh.Modules.Pages;

/// <summary>
/// The one localisation mechanism of the pages: the reader's language from the <c>pmh-lang</c> cookie (Japanese unless
/// it says English), and <see cref="LocalText"/> picked in it. Pages keep their texts as <see cref="LocalText"/> fields.
/// </summary>
public sealed class PageText(IHttpContextAccessor accessor)
{
    public const string LanguageCookie = "pmh-lang";

    public string Language { get; } =
        accessor.HttpContext?.Request.Cookies[LanguageCookie] == PageLanguage.English ? PageLanguage.English : PageLanguage.Japanese;

    public bool IsEnglish => Language == PageLanguage.English;

    public string this[LocalText text] => (text ?? throw new ArgumentNullException(nameof(text))).In(Language);
}
