namespace Pmh.Modules.Pages;

/// <summary>The pages a link can be shown on: each face's start page lists the links kinds registered for it.</summary>
public static class PageFaces
{
    /// <summary><c>/desk</c>, the institution's reception desk.</summary>
    public const string Desk = "desk";

    /// <summary><c>/municipality</c>, the municipality's uploads and records.</summary>
    public const string Municipality = "municipality";

    /// <summary><c>/me</c>, the citizen's own page.</summary>
    public const string Me = "me";
}

/// <summary>
/// A link from a face's start page to one of a kind's own pages (e.g. <c>/municipality</c> → <c>/municipality/claims</c>),
/// added with the kind's pages (<c>AddModulePages</c>). <paramref name="Id"/> is the anchor's element id.
/// </summary>
public sealed record PageLink(string Face, string Href, string Id, LocalText Text);
