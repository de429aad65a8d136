using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Pmh.Pages.Shell;
using Pmh.Testing;

namespace Pmh.Pages.Tests;

public sealed class ShellTests : IDisposable
{
    private readonly PmhHubFactory _hub = new();

    public void Dispose() => _hub.Dispose();

    [Fact]
    public async Task The_start_page_is_open_to_anyone_in_Japanese_and_leads_to_every_page()
    {
        var (response, html) = await new PageSession(_hub).GetAsync("/");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("<html lang=\"ja\">", html, StringComparison.Ordinal);
        Assert.Contains("PMH ハブへようこそ", html, StringComparison.Ordinal);
        foreach (var page in new[] { "/desk", "/municipality", "/me", "/operator" })
        {
            Assert.Contains($"href=\"{page}\"", html, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task The_language_switch_keeps_English_in_a_cookie_and_the_page_says_so_in_its_lang_attribute()
    {
        var browser = new PageSession(_hub);
        await browser.GetAsync("/");

        var (switched, _) = await browser.PostAsync("/language", [new("language", "en"), new("returnUrl", "/me")]);
        var (_, html) = await browser.GetAsync("/me");

        Assert.Equal(HttpStatusCode.Redirect, switched.StatusCode);
        Assert.Equal("/me", switched.Headers.Location?.OriginalString);
        Assert.Contains(switched.Headers.GetValues("Set-Cookie"), c => c.StartsWith("pmh-lang=en", StringComparison.Ordinal) && c.Contains("httponly", StringComparison.OrdinalIgnoreCase));
        Assert.Contains("<html lang=\"en\">", html, StringComparison.Ordinal);
        Assert.Contains("Who looked at my data", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Signing_in_sets_an_HttpOnly_SameSite_Strict_session_cookie_that_does_not_carry_the_key()
    {
        var browser = new PageSession(_hub);

        var response = await browser.SignInAsync(PmhHubFactory.ClinicKey);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/desk", response.Headers.Location?.OriginalString);
        var session = Assert.Single(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith(PagesExtensions.SessionCookie + "=", StringComparison.Ordinal));
        Assert.Contains("httponly", session, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", session, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(PmhHubFactory.ClinicKey, session, StringComparison.Ordinal);
        Assert.DoesNotContain(Uri.EscapeDataString(PmhHubFactory.ClinicKey), session, StringComparison.Ordinal);
        var (desk, html) = await browser.GetAsync("/desk");
        Assert.Equal(HttpStatusCode.OK, desk.StatusCode);
        Assert.DoesNotContain(PmhHubFactory.ClinicKey, html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Over_https_the_session_cookie_is_also_Secure()
    {
        var response = await new PageSession(_hub, "https://localhost").SignInAsync(PmhHubFactory.ClinicKey);

        var session = Assert.Single(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith(PagesExtensions.SessionCookie + "=", StringComparison.Ordinal));
        Assert.Contains("secure", session, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task An_unknown_key_is_refused_in_words_and_no_session_is_given()
    {
        var browser = new PageSession(_hub);
        await browser.GetAsync("/sign-in");

        var (response, html) = await browser.PostAsync("/sign-in", [new("apiKey", "no-such-key")]);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("この API キーは登録されていないか、失効しています。", PageSession.TextOf(html, "apiKey-error"));
        Assert.False(response.Headers.TryGetValues("Set-Cookie", out var cookies) && cookies.Any(c => c.StartsWith(PagesExtensions.SessionCookie, StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_form_post_without_its_anti_forgery_token_is_refused()
    {
        var browser = new PageSession(_hub);
        await browser.GetAsync("/sign-in");

        var (response, _) = await browser.PostAsync("/sign-in", [new("apiKey", PmhHubFactory.ClinicKey)], withToken: false);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.False(response.Headers.Contains("Set-Cookie") && response.Headers.GetValues("Set-Cookie").Any(c => c.StartsWith(PagesExtensions.SessionCookie, StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_signed_in_form_post_without_its_token_is_refused_too()
    {
        var browser = new PageSession(_hub);
        await browser.SignInAsync(PmhHubFactory.ClinicKey);
        await browser.GetAsync("/desk");

        var (response, _) = await browser.PostAsync("/desk?handler=challenge", [], withToken: false);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/sign-in")]
    [InlineData("/me")]
    public async Task Pages_carry_a_content_security_policy_without_unsafe_inline(string path)
    {
        var (response, html) = await new PageSession(_hub).GetAsync(path);

        var policy = string.Join(";", response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("default-src 'self'", policy, StringComparison.Ordinal);
        Assert.Contains("script-src 'self'", policy, StringComparison.Ordinal);
        Assert.Contains("style-src 'self'", policy, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", policy, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline", policy, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-eval", policy, StringComparison.Ordinal);
        // Nothing inline for the policy to refuse: no script or style element with content, no style or on* attributes.
        Assert.DoesNotMatch("<script(?![^>]*\\ssrc=)[^>]*>", html);
        Assert.DoesNotMatch("<style", html);
        Assert.DoesNotMatch("\\s(style|on[a-z]+)=\"", html);
    }

    [Fact]
    public async Task The_pages_stylesheet_and_scripts_are_served_as_static_files_to_anyone()
    {
        var client = new PageSession(_hub).Client;

        foreach (var file in new[] { "css/site.css", "js/card-reader.js", "js/card-check.js" })
        {
            var response = await client.GetAsync("/_content/Pmh.Pages/" + file);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }

    [Fact]
    public async Task A_page_without_a_session_redirects_to_sign_in_while_the_API_still_answers_401_problems()
    {
        var browser = new PageSession(_hub);

        var (page, _) = await browser.GetAsync("/desk");
        var api = await browser.Client.PostAsync("/api/v1/reception/challenges", null);

        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.StartsWith("http://localhost/sign-in?ReturnUrl=%2Fdesk", page.Headers.Location?.ToString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, api.StatusCode);
        Assert.Equal("application/problem+json", api.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task A_session_cookie_opens_no_API_endpoint()
    {
        var browser = new PageSession(_hub);
        await browser.SignInAsync(PmhHubFactory.ClinicKey);

        var api = await browser.Client.PostAsync("/api/v1/reception/challenges", null);

        Assert.Equal(HttpStatusCode.Unauthorized, api.StatusCode);
    }

    [Theory]
    [InlineData(PmhHubFactory.ClinicKey, HttpStatusCode.OK)]
    [InlineData(PmhHubFactory.PharmacyKey, HttpStatusCode.OK)]
    [InlineData(PmhHubFactory.ChiyodaKey, HttpStatusCode.Redirect)]
    [InlineData(PmhHubFactory.OperatorKey, HttpStatusCode.Redirect)]
    [InlineData(PmhHubFactory.CardIssuerKey, HttpStatusCode.Redirect)]
    public async Task The_desk_is_for_clinics_and_pharmacies_only(string key, HttpStatusCode expected)
    {
        var browser = new PageSession(_hub);
        await browser.SignInAsync(key);

        var (response, _) = await browser.GetAsync("/desk");

        Assert.Equal(expected, response.StatusCode);
        if (expected == HttpStatusCode.Redirect)
        {
            Assert.StartsWith("http://localhost/forbidden", response.Headers.Location?.ToString(), StringComparison.Ordinal);
            var (forbidden, html) = await browser.GetAsync("/forbidden");
            Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
            Assert.Contains("このページを使う権限がありません", html, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(PmhHubFactory.ClinicKey, "nav-desk", "nav-municipality")]
    [InlineData(PmhHubFactory.ChiyodaKey, "nav-municipality", "nav-desk")]
    [InlineData(PmhHubFactory.OperatorKey, "nav-operator", "nav-desk")]
    public async Task The_nav_names_the_pages_the_participant_may_use(string key, string shown, string hidden)
    {
        var browser = new PageSession(_hub);
        await browser.SignInAsync(key);

        var (_, html) = await browser.GetAsync("/");

        Assert.Contains($"id=\"{shown}\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain($"id=\"{hidden}\"", html, StringComparison.Ordinal);
        Assert.Contains("id=\"nav-me\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Signing_out_ends_the_session()
    {
        var browser = new PageSession(_hub);
        await browser.SignInAsync(PmhHubFactory.ClinicKey);
        await browser.GetAsync("/desk");

        var (signedOut, _) = await browser.PostAsync("/sign-out", []);
        var (desk, _) = await browser.GetAsync("/desk");

        Assert.Equal(HttpStatusCode.Redirect, signedOut.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, desk.StatusCode);
        Assert.Contains("/sign-in", desk.Headers.Location?.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_key_the_operator_revokes_ends_the_sessions_signed_in_with_it()
    {
        var operatorApi = _hub.ClientFor(PmhHubFactory.OperatorKey);
        var issued = (await (await operatorApi.PostAsync("/api/v1/participants/clinic/keys", null)).Content.ReadFromJsonAsync<System.Text.Json.Nodes.JsonObject>())!;
        var browser = new PageSession(_hub);
        await browser.SignInAsync((string)issued["apiKey"]!);
        var (before, _) = await browser.GetAsync("/desk");

        var revoked = await operatorApi.DeleteAsync($"/api/v1/participants/clinic/keys/{(string)issued["keyId"]!}");
        var (after, _) = await browser.GetAsync("/desk");

        Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, revoked.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, after.StatusCode);
        Assert.Contains("/sign-in", after.Headers.Location?.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Demo_cards_are_refused_outside_Development()
    {
        var response = await new PageSession(_hub).Client.GetAsync("/demo/cards");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.DoesNotContain("PRIVATE", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_input_of_the_sign_in_page_has_a_label()
    {
        var (_, html) = await new PageSession(_hub).GetAsync("/sign-in");

        foreach (System.Text.RegularExpressions.Match input in System.Text.RegularExpressions.Regex.Matches(html, "<(input|select)(?![^>]*type=\"hidden\")[^>]*\\sid=\"([^\"]+)\""))
        {
            Assert.Contains($"<label for=\"{input.Groups[2].Value}\"", html, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void The_pages_shell_references_no_kind_of_data()
    {
        var references = typeof(PagesExtensions).Assembly.GetReferencedAssemblies().Select(a => a.Name).ToList();

        Assert.Contains("Pmh.Modules", references);
        Assert.DoesNotContain(references, name => name is "Pmh.Subsidy" or "Pmh.Vaccination" or "Pmh.MaternalChild");
    }

    [Theory]
    [InlineData(Pmh.Modules.Pages.PageFaces.Desk, "/desk", PmhHubFactory.ClinicKey)]
    [InlineData(Pmh.Modules.Pages.PageFaces.Municipality, "/municipality", PmhHubFactory.ChiyodaKey)]
    [InlineData(Pmh.Modules.Pages.PageFaces.Me, "/me", null)]
    public async Task Each_face_s_start_page_links_to_the_pages_the_kinds_registered_for_it_and_each_link_opens(string face, string path, string? key)
    {
        var links = _hub.Services.GetServices<Pmh.Modules.Pages.PageLink>().Where(l => l.Face == face).ToList();
        var browser = new PageSession(_hub);
        if (key is not null)
        {
            await browser.SignInAsync(key);
        }

        var (_, html) = await browser.GetAsync(path);

        Assert.NotEmpty(links);
        foreach (var link in links)
        {
            Assert.Contains($"<a href=\"{link.Href}\" id=\"{link.Id}\">{link.Text.Ja}</a>", html, StringComparison.Ordinal);
            var (opened, _) = await browser.GetAsync(link.Href);
            Assert.Equal(HttpStatusCode.OK, opened.StatusCode);
        }
    }
}
