using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;
using Pmh.Testing;

namespace Pmh.Pages.Tests;

/// <summary>A browser's view of the pages: cookies kept, redirects not followed, forms posted with their anti-forgery token.</summary>
internal sealed partial class PageSession(WebApplicationFactory<Program> hub, string baseAddress = "http://localhost")
{
    public HttpClient Client { get; } = hub.CreateClient(new WebApplicationFactoryClientOptions
    {
        AllowAutoRedirect = false,
        HandleCookies = true,
        BaseAddress = new Uri(baseAddress),
    });

    /// <summary>The last page's anti-forgery token.</summary>
    public string? Token { get; private set; }

    public async Task<(HttpResponseMessage Response, string Html)> GetAsync(string path)
    {
        var response = await Client.GetAsync(path);
        var html = await response.Content.ReadAsStringAsync();
        Token = TokenOf(html) ?? Token;
        return (response, html);
    }

    /// <summary>Posts a form as a browser does, with the anti-forgery token of the last page (unless told not to).</summary>
    public async Task<(HttpResponseMessage Response, string Html)> PostAsync(string path, IEnumerable<KeyValuePair<string, string>> fields, bool withToken = true)
    {
        var all = fields.ToList();
        if (withToken)
        {
            all.Add(new("__pmh_token", Token ?? throw new InvalidOperationException("No page with a form was read yet.")));
        }

        var response = await Client.PostAsync(path, new FormUrlEncodedContent(all));
        var html = await response.Content.ReadAsStringAsync();
        Token = TokenOf(html) ?? Token;
        return (response, html);
    }

    public async Task<HttpResponseMessage> SignInAsync(string apiKey)
    {
        await GetAsync("/sign-in");
        var (response, _) = await PostAsync("/sign-in", [new("apiKey", apiKey)]);
        return response;
    }

    /// <summary>What the page's script does: a challenge from the page, signed by the card, then the check form posted.</summary>
    public async Task<(HttpResponseMessage Response, string Html)> CheckCardAsync(
        Func<byte[], (byte[] Certificate, byte[] Signature)> card, IEnumerable<string> consent, string serviceDate = "2026-04-10")
    {
        await GetAsync("/desk");
        var (challengeResponse, challengeJson) = await PostAsync("/desk?handler=challenge", []);
        Assert.Equal(HttpStatusCode.OK, challengeResponse.StatusCode);
        var challenge = JsonNode.Parse(challengeJson)!.AsObject();
        var (certificate, signature) = card(Convert.FromBase64String((string)challenge["nonce"]!));
        var fields = new List<KeyValuePair<string, string>>
        {
            new("challengeId", (string)challenge["challengeId"]!),
            new("certificate", Convert.ToBase64String(certificate)),
            new("signature", Convert.ToBase64String(signature)),
            new("serviceDate", serviceDate),
        };
        fields.AddRange(consent.Select(k => new KeyValuePair<string, string>("consent", k)));
        return await PostAsync("/desk?handler=check", fields);
    }

    public static string? TokenOf(string html) => TokenField().Match(html) is { Success: true } m ? m.Groups[1].Value : null;

    /// <summary>The text of the element with the id (its first line of content), HTML-decoded.</summary>
    public static string? TextOf(string html, string id)
    {
        var m = Regex.Match(html, $"id=\"{Regex.Escape(id)}\"[^>]*>(.*?)</", RegexOptions.Singleline);
        return m.Success ? WebUtility.HtmlDecode(Regex.Replace(m.Groups[1].Value, "<[^>]+>", "")).Trim() : null;
    }

    [GeneratedRegex("name=\"__pmh_token\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenField();
}

/// <summary>A person with a test card and a Chiyoda certificate capped at 2,500 yen a month, made through the API.</summary>
internal static class PagesTestData
{
    public static async Task<Identity.Simulator.SimulatedCard> CardWithCertificateAsync(PmhHubFactory hub, int seed)
    {
        var myNumber = TestData.MyNumber(seed);
        var card = hub.Cards.Issue();
        Assert.Equal(HttpStatusCode.Created, (await ReceptionDesk.RegisterCardAsync(hub.ClientFor(PmhHubFactory.CardIssuerKey), card, myNumber)).StatusCode);
        var chiyoda = hub.ClientFor(PmhHubFactory.ChiyodaKey);
        var published = await chiyoda.PostAsJsonAsync(
            $"/api/v1/municipalities/{TestData.Chiyoda}/subsidy-certificates",
            TestData.Batch($"b-{seed}", TestData.CertificateRow(myNumber, $"H-{seed}", monthlyCapYen: 2500)));
        Assert.Equal(HttpStatusCode.Accepted, published.StatusCode);
        var batch = await Testing.BadInput.BadInputSession.WaitForBatchAsync(chiyoda, $"b-{seed}");
        Assert.Equal("completed", (string?)batch["status"]);
        return card;
    }
}
