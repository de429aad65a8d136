using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Pmh.Testing;

namespace Pmh.Pages.Tests;

/// <summary>The vaccination claims pages of the municipality and the desk, over HTTP with a fake clock (as a browser without script sees them).</summary>
public sealed class ClaimsPageTests : IDisposable
{
    private readonly PmhHubFactory _factory = new();
    private readonly WebApplicationFactory<Program> _hub;
    private readonly FakeTimeProvider _clock;
    private readonly DateOnly _today;

    public ClaimsPageTests()
    {
        // Today at 12:00 in Japan: the doses are given, then the clock moves past the month's close.
        _today = Pmh.Contracts.Validation.PlausibleDates.Today(DateTimeOffset.UtcNow);
        _clock = new FakeTimeProvider(new DateTimeOffset(_today.Year, _today.Month, _today.Day, 12, 0, 0, TimeSpan.FromHours(9)));
        _hub = _factory.WithWebHostBuilder(b => b.ConfigureTestServices(s => s.AddSingleton<TimeProvider>(_clock)));
    }

    public void Dispose()
    {
        _hub.Dispose();
        _factory.Dispose();
    }

    private string Month => _today.ToString("yyyy-MM", CultureInfo.InvariantCulture);

    private string Today => _today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private string ClaimId => $"{PmhHubFactory.ClinicCode}-{TestData.Chiyoda}-{Month}";

    private HttpClient Client(string key)
    {
        var client = _hub.CreateClient();
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    private static StringContent Json(JsonNode node) => new(node.ToJsonString(), Encoding.UTF8, "application/json");

    private static async Task<JsonObject> WaitForBatchAsync(HttpClient municipality, string batchId) =>
        await Eventually.UntilAsync(
            async () => (await (await municipality.GetAsync($"/api/v1/batches/{batchId}")).Content.ReadFromJsonAsync<JsonObject>())!,
            batch => (string?)batch["status"] != "accepted",
            $"batch {batchId} to leave \"accepted\"");

    /// <summary>Chiyoda's MR price, a child in Chiyoda's register checked at the clinic today, and two MR doses: two pending lines of 10,890 yen.</summary>
    private async Task TwoDosesClaimedAsync(int seed)
    {
        var chiyoda = Client(PmhHubFactory.ChiyodaKey);
        var prices = await chiyoda.PostAsync($"/api/v1/municipalities/{TestData.Chiyoda}/vaccination-prices", Json(new JsonObject
        {
            ["batchId"] = "prices-1",
            ["prices"] = new JsonArray(new JsonObject
            {
                ["vaccine"] = "MR", ["programme"] = "routineA", ["validFrom"] = "2025-04-01", ["unitPriceYen"] = 10_890, ["patientShareYen"] = 0,
            }),
        }));
        Assert.Equal(HttpStatusCode.Accepted, prices.StatusCode);
        Assert.Equal("completed", (string?)(await WaitForBatchAsync(chiyoda, "prices-1"))["status"]);

        var myNumber = TestData.MyNumber(seed);
        var card = _factory.Cards.Issue();
        await ReceptionDesk.RegisterCardAsync(Client(PmhHubFactory.CardIssuerKey), card, myNumber, "2025-04-01");
        var register = await chiyoda.PostAsync($"/api/v1/municipalities/{TestData.Chiyoda}/vaccination-records", Json(new JsonObject
        {
            ["batchId"] = $"reg-{seed}",
            ["records"] = new JsonArray(new JsonObject
            {
                ["recordKey"] = $"R-{seed}", ["myNumber"] = myNumber, ["localPersonId"] = $"L{seed}", ["vaccine"] = "HIB", ["doseNumber"] = 1,
                ["date"] = "2025-06-03", ["programme"] = "routineA",
            }),
        }));
        Assert.Equal(HttpStatusCode.Accepted, register.StatusCode);
        Assert.Equal("completed", (string?)(await WaitForBatchAsync(chiyoda, $"reg-{seed}"))["status"]);

        var clinic = Client(PmhHubFactory.ClinicKey);
        var check = await ReceptionDesk.CheckAsync(clinic, card, new { vaccination = true }, Today);
        Assert.Equal(HttpStatusCode.OK, check.StatusCode);
        var checkId = (string)(await check.Content.ReadFromJsonAsync<JsonObject>())!["checkId"]!;
        foreach (var (submission, dose) in new[] { ("mr-1", 1), ("mr-2", 2) })
        {
            var recorded = await clinic.PostAsJsonAsync("/api/v1/vaccinations",
                new { checkId, submissionId = submission, vaccine = "MR", doseNumber = dose, date = Today, programme = "routineA" });
            Assert.Equal(HttpStatusCode.Created, recorded.StatusCode);
        }
    }

    private void PastTheClose() => _clock.SetUtcNow(
        new DateTimeOffset(_today.Year, _today.Month, 1, 0, 0, 0, TimeSpan.FromHours(9)).AddMonths(1).AddDays(9).AddHours(1));

    [Fact]
    public async Task The_municipality_sees_last_month_s_closed_claim_and_approves_a_line_from_the_page()
    {
        await TwoDosesClaimedAsync(301);
        PastTheClose();
        var browser = new PageSession(_hub);
        await browser.SignInAsync(PmhHubFactory.ChiyodaKey);

        var (list, listHtml) = await browser.GetAsync("/municipality/claims");
        var (_, claimHtml) = await browser.GetAsync($"/municipality/claims?claim={ClaimId}");
        var lineId = System.Text.RegularExpressions.Regex.Match(claimHtml, "id=\"line-0\" data-line-id=\"([^\"]+)\"").Groups[1].Value;
        var (withoutToken, _) = await browser.PostAsync($"/municipality/claims?handler=Decide&claim={ClaimId}",
            [new("lineId", lineId), new("decision", "approved")], withToken: false);
        var (decided, _) = await browser.PostAsync($"/municipality/claims?handler=Decide&claim={ClaimId}", [new("lineId", lineId), new("decision", "approved")]);
        var (_, afterHtml) = await browser.GetAsync(decided.Headers.Location!.OriginalString);

        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        Assert.Equal($"value=\"{Month}\"", System.Text.RegularExpressions.Regex.Match(listHtml, "id=\"claims-month\"[^>]*?(value=\"[^\"]*\")").Groups[1].Value);
        Assert.Contains($"id=\"claim-{ClaimId}\"", listHtml, StringComparison.Ordinal);
        Assert.Contains("data-status=\"closed\"", listHtml, StringComparison.Ordinal);
        Assert.Contains("審査待ち 2", listHtml, StringComparison.Ordinal);
        Assert.Equal("21,780", PageSession.TextOf(claimHtml, "claim-billed"));
        Assert.Contains("<td>L301</td>", claimHtml, StringComparison.Ordinal);
        Assert.DoesNotContain(TestData.MyNumber(301), claimHtml, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, withoutToken.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, decided.StatusCode);
        Assert.Contains("id=\"claim-decided\"", afterHtml, StringComparison.Ordinal);
        Assert.Contains("id=\"line-0-state\" data-state=\"approved\"", afterHtml, StringComparison.Ordinal);
        Assert.Contains("id=\"line-1-state\" data-state=\"pending\"", afterHtml, StringComparison.Ordinal);
        Assert.Equal("10,890", PageSession.TextOf(afterHtml, "claim-approved"));
    }

    [Fact]
    public async Task The_municipality_approves_every_pending_line_with_one_form_and_pages_through_the_lines_by_cursor()
    {
        await TwoDosesClaimedAsync(303);
        PastTheClose();
        var api = Client(PmhHubFactory.ChiyodaKey);
        var firstPage = (await api.GetFromJsonAsync<JsonObject>($"/api/v1/municipalities/{TestData.Chiyoda}/vaccination-claims/{ClaimId}?limit=1"))!;
        var secondLineId = (string)(await api.GetFromJsonAsync<JsonObject>($"/api/v1/municipalities/{TestData.Chiyoda}/vaccination-claims/{ClaimId}"))!["lines"]![1]!["lineId"]!;
        var browser = new PageSession(_hub);
        await browser.SignInAsync(PmhHubFactory.ChiyodaKey);

        var (_, claimHtml) = await browser.GetAsync($"/municipality/claims?claim={ClaimId}");
        var (_, secondHtml) = await browser.GetAsync($"/municipality/claims?claim={ClaimId}&after={Uri.EscapeDataString((string)firstPage["nextCursor"]!)}");
        var (approved, _) = await browser.PostAsync($"/municipality/claims?handler=ApprovePending&claim={ClaimId}", []);
        var (_, afterHtml) = await browser.GetAsync(approved.Headers.Location!.OriginalString);

        Assert.Contains("id=\"approve-pending\"", claimHtml, StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"lines-next\"", claimHtml, StringComparison.Ordinal);
        Assert.Contains($"id=\"line-0\" data-line-id=\"{secondLineId}\"", secondHtml, StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"line-1\"", secondHtml, StringComparison.Ordinal);
        Assert.Contains("id=\"lines-first\"", secondHtml, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, approved.StatusCode);
        Assert.Contains("id=\"line-0-state\" data-state=\"approved\"", afterHtml, StringComparison.Ordinal);
        Assert.Contains("id=\"line-1-state\" data-state=\"approved\"", afterHtml, StringComparison.Ordinal);
        Assert.Equal("21,780", PageSession.TextOf(afterHtml, "claim-approved"));
        Assert.DoesNotContain("id=\"approve-pending\"", afterHtml, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_rejection_without_a_reason_is_refused_on_the_page_naming_the_field_and_nothing_is_decided()
    {
        await TwoDosesClaimedAsync(302);
        PastTheClose();
        var browser = new PageSession(_hub);
        await browser.SignInAsync(PmhHubFactory.ChiyodaKey);
        var (_, claimHtml) = await browser.GetAsync($"/municipality/claims?claim={ClaimId}");
        var lineId = System.Text.RegularExpressions.Regex.Match(claimHtml, "id=\"line-1\" data-line-id=\"([^\"]+)\"").Groups[1].Value;

        var (refused, html) = await browser.PostAsync($"/municipality/claims?handler=Decide&claim={ClaimId}", [new("lineId", lineId), new("decision", "rejected")]);

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("id=\"claim-problems\"", html, StringComparison.Ordinal);
        Assert.Contains("is required for a rejection</li>", html, StringComparison.Ordinal);
        Assert.Contains("id=\"line-1-state\" data-state=\"pending\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_claim_s_CSV_downloads_from_the_municipality_s_page_as_the_API_writes_it()
    {
        await TwoDosesClaimedAsync(303);
        var browser = new PageSession(_hub);
        await browser.SignInAsync(PmhHubFactory.ChiyodaKey);

        var response = await browser.Client.GetAsync($"/municipality/claims?handler=Csv&claim={ClaimId}");
        var hachioji = new PageSession(_hub);
        await hachioji.SignInAsync(PmhHubFactory.HachiojiKey);
        var other = await hachioji.Client.GetAsync($"/municipality/claims?handler=Csv&claim={ClaimId}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition?.DispositionType ?? response.Headers.GetValues("Content-Disposition").First().Split(';')[0]);
        var rows = (await response.Content.ReadAsStringAsync()).TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, rows.Length);
        Assert.StartsWith("claimId,", rows[0], StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, other.StatusCode);
    }

    [Fact]
    public async Task The_desk_sees_its_claim_s_totals_and_each_line_s_state_after_the_municipality_decided()
    {
        await TwoDosesClaimedAsync(304);
        PastTheClose();
        var chiyoda = Client(PmhHubFactory.ChiyodaKey);
        var claim = (await chiyoda.GetFromJsonAsync<JsonObject>($"/api/v1/municipalities/{TestData.Chiyoda}/vaccination-claims/{ClaimId}"))!;
        var lineIds = claim["lines"]!.AsArray().Select(l => (string)l!["lineId"]!).ToList();
        var decided = await chiyoda.PostAsJsonAsync($"/api/v1/municipalities/{TestData.Chiyoda}/vaccination-claims/{ClaimId}/decisions", new
        {
            lines = new object[] { new { lineId = lineIds[0], decision = "approved" }, new { lineId = lineIds[1], decision = "rejected", reason = "二重請求" } },
        });
        Assert.Equal(HttpStatusCode.OK, decided.StatusCode);
        var desk = new PageSession(_hub);
        await desk.SignInAsync(PmhHubFactory.ClinicKey);

        var (response, html) = await desk.GetAsync($"/desk/claims?month={Month}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains($"id=\"claim-{ClaimId}-line-0-state\" data-state=\"approved\"", html, StringComparison.Ordinal);
        Assert.Contains($"id=\"claim-{ClaimId}-line-1-state\" data-state=\"rejected\"", html, StringComparison.Ordinal);
        Assert.Contains("返戻: 二重請求", html, StringComparison.Ordinal);
        Assert.Equal("21,780", PageSession.TextOf(html, $"claim-{ClaimId}-billed"));
        Assert.Equal("10,890", PageSession.TextOf(html, $"claim-{ClaimId}-approved"));
        Assert.Equal("closed", System.Text.RegularExpressions.Regex.Match(html, $"id=\"claim-{ClaimId}-status\" data-status=\"([^\"]+)\"").Groups[1].Value);
    }
}
