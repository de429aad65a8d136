namespace Pmh.Modules.Pages;

/// <summary>
/// A text of the hub's pages in both of its languages: Japanese (the default) and English. Every string a page shows
/// is one of these, kept next to the page or kind that shows it; the pages pick the reader's language.
/// </summary>
public sealed record LocalText(string Ja, string En)
{
    public string In(string language) => language == PageLanguage.English ? En : Ja;

    /// <summary>The same words in both languages (a number, a code, a name).</summary>
    public static LocalText Same(string text) => new(text, text);
}

/// <summary>The languages of the pages, as the <c>lang</c> attribute spells them.</summary>
public static class PageLanguage
{
    public const string Japanese = "ja";
    public const string English = "en";
}
