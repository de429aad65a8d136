using System.Net;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Pmh.Identity.Simulator;
using Pmh.Testing;

namespace Pmh.Pages.Tests;

public sealed class DeskTests : IDisposable
{
    private readonly PmhHubFactory _hub = new();

    public void Dispose() => _hub.Dispose();

    private static Func<byte[], (byte[], byte[])> Holding(SimulatedCard card) => nonce => (card.CertificateDer, card.Sign(nonce));

    private async Task<(PageSession Browser, string Html)> CheckedAsync(int seed, params string[] consent)
    {
        var card = await PagesTestData.CardWithCertificateAsync(_hub, seed);
        var browser = new PageSession(_hub);
        await browser.SignInAsync(PmhHubFactory.ClinicKey);
        var (response, html) = await browser.CheckCardAsync(Holding(card), consent);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (browser, html);
    }

    [Fact]
    public async Task The_desk_offers_a_consent_tick_for_every_kind_the_hub_looks_up()
    {
        var browser = new PageSession(_hub);
        await browser.SignInAsync(PmhHubFactory.PharmacyKey);

        var (_, html) = await browser.GetAsync("/desk");

        foreach (var kind in new[] { "subsidy", "vaccination", "maternalChild" })
        {
            // Unticked until the clerk has asked: nothing is shared by default.
            Assert.Contains($"<input type=\"checkbox\" name=\"consent\" value=\"{kind}\" id=\"consent-{kind}\" />", html, StringComparison.Ordinal);
            Assert.Contains($"<label for=\"consent-{kind}\">", html, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_card_checked_at_the_desk_shows_the_certificate_with_payer_and_recipient_numbers_and_the_cap()
    {
        var (_, html) = await CheckedAsync(1, "subsidy");

        Assert.Contains("id=\"subsidy-certificates\"", html, StringComparison.Ordinal);
        Assert.Contains($"<td>{TestData.NationalPayer}</td>", html, StringComparison.Ordinal);
        Assert.Contains("<td>2,500 円</td>", html, StringComparison.Ordinal);
        Assert.Equal("2019-04-01", PageSession.TextOf(html, "person-birth-date"));
        Assert.Contains("id=\"part-vaccination\" aria-labelledby=\"part-vaccination-heading\" data-status=\"notConsented\"", html, StringComparison.Ordinal);
        Assert.Equal("同意がないため照会していません。", PageSession.TextOf(html, "part-vaccination-status"));
    }

    [Fact]
    public async Task A_co_payment_recorded_from_the_page_answers_what_to_charge_and_the_aggregate_shows_what_remains()
    {
        var (browser, html) = await CheckedAsync(2, "subsidy");
        var checkId = PageSession.TextOf(html, "check-id");

        var (response, after) = await browser.PostAsync($"/desk/{checkId}?handler=record",
            [new("section", "subsidy"), new("form", "copayment"), new("certificateId", $"{TestData.Chiyoda}:H-2"), new("receiptId", "r-1"), new("amountYen", "1500")]);
        var (_, over) = await browser.PostAsync($"/desk/{checkId}?handler=record",
            [new("section", "subsidy"), new("form", "copayment"), new("certificateId", $"{TestData.Chiyoda}:H-2"), new("receiptId", "r-2"), new("amountYen", "1500")]);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("記録しました。今回の請求額は 1,500 円です（2026-04 の合計 1,500 円、残り 1,000 円）。", PageSession.TextOf(after, "subsidy-copayment-outcome"));
        Assert.Contains("<td>1,500 円</td>", after, StringComparison.Ordinal);
        Assert.Equal("記録しました。今回の請求額は 1,000 円です（2026-04 の合計 2,500 円、残り 0 円）。", PageSession.TextOf(over, "subsidy-copayment-outcome"));
    }

    [Fact]
    public async Task A_bad_amount_is_refused_in_the_clerks_words_in_either_language()
    {
        var (browser, html) = await CheckedAsync(3, "subsidy");
        var checkId = PageSession.TextOf(html, "check-id");
        KeyValuePair<string, string>[] form =
            [new("section", "subsidy"), new("form", "copayment"), new("certificateId", $"{TestData.Chiyoda}:H-3"), new("receiptId", "r-1"), new("amountYen", "12,000円")];

        var (refused, japanese) = await browser.PostAsync($"/desk/{checkId}?handler=record", form);
        await browser.PostAsync("/language", [new("language", "en"), new("returnUrl", "/")]);
        var (_, english) = await browser.PostAsync($"/desk/{checkId}?handler=record", form);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        Assert.Equal("記録できませんでした: 自己負担額（上限適用前）：金額を 0 から 10,000,000 までの整数（円）で入力してください。", PageSession.TextOf(japanese, "subsidy-copayment-outcome"));
        Assert.Equal("Not recorded: Co-payment before the cap: Enter the amount as a whole number of yen from 0 to 10,000,000.", PageSession.TextOf(english, "subsidy-copayment-outcome"));
        Assert.Contains("value=\"12,000円\"", japanese, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_card_whose_signature_does_not_match_is_refused_in_words()
    {
        var card = await PagesTestData.CardWithCertificateAsync(_hub, 4);
        var other = _hub.Cards.Issue("someone else");
        var browser = new PageSession(_hub);
        await browser.SignInAsync(PmhHubFactory.ClinicKey);

        var (response, html) = await browser.CheckCardAsync(nonce => (card.CertificateDer, other.Sign(nonce)), ["subsidy"]);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal("カードの署名が正しくありません。もう一度読み取ってください。", PageSession.TextOf(html, "desk-error"));
    }

    [Fact]
    public async Task A_check_form_without_the_cards_proof_says_that_reading_the_card_needs_JavaScript()
    {
        var browser = new PageSession(_hub);
        await browser.SignInAsync(PmhHubFactory.ClinicKey);
        await browser.GetAsync("/desk");

        var (response, html) = await browser.PostAsync("/desk?handler=check", [new("consent", "subsidy"), new("serviceDate", "2026-04-10")]);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("JavaScript", PageSession.TextOf(html, "desk-error"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_check_is_shown_again_by_its_id_without_script_but_only_to_the_desk_that_made_it()
    {
        var (_, html) = await CheckedAsync(5, "subsidy");
        var checkId = PageSession.TextOf(html, "check-id");
        var pharmacy = new PageSession(_hub);
        await pharmacy.SignInAsync(PmhHubFactory.PharmacyKey);

        var (clinicAgain, again) = await new Func<Task<(HttpResponseMessage, string)>>(async () =>
        {
            var clinic = new PageSession(_hub);
            await clinic.SignInAsync(PmhHubFactory.ClinicKey);
            return await clinic.GetAsync($"/desk/{checkId}");
        })();
        var (other, otherHtml) = await pharmacy.GetAsync($"/desk/{checkId}");

        Assert.Equal(HttpStatusCode.OK, clinicAgain.StatusCode);
        Assert.Contains($"<td>{TestData.NationalPayer}</td>", again, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, other.StatusCode);
        Assert.DoesNotContain(TestData.NationalPayer, otherHtml, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_field_of_the_desk_has_its_label_and_ids_are_unique()
    {
        var (browser, aggregate) = await CheckedAsync(8, "subsidy", "vaccination", "maternalChild");
        var (_, holdCard) = await browser.GetAsync("/desk");

        foreach (var html in new[] { aggregate, holdCard })
        {
            var fields = System.Text.RegularExpressions.Regex.Matches(html, "<(input|select)(?![^>]*type=\"hidden\")[^>]*\\sid=\"([^\"]+)\"")
                .Select(m => m.Groups[2].Value).ToList();
            Assert.NotEmpty(fields);
            Assert.All(fields, id => Assert.Contains($"<label for=\"{id}\"", html, StringComparison.Ordinal));
            var ids = System.Text.RegularExpressions.Regex.Matches(html, "\\sid=\"([^\"]+)\"").Select(m => m.Groups[1].Value).ToList();
            Assert.Equal(ids.Count, ids.Distinct(StringComparer.Ordinal).Count());
        }
    }

    [Fact]
    public async Task A_dose_recorded_from_the_page_appears_in_the_aggregate()
    {
        var (browser, html) = await CheckedAsync(6, "subsidy", "vaccination");
        var checkId = PageSession.TextOf(html, "check-id");

        var (response, after) = await browser.PostAsync($"/desk/{checkId}?handler=record",
        [
            new("section", "vaccination"), new("form", "dose"), new("vaccine", "MR"), new("doseNumber", "1"), new("date", "2020-04-10"),
            new("programme", "routineA"), new("lotNumber", "LOT-7"), new("municipalityCode", TestData.Chiyoda), new("submissionId", "s-1"),
        ]);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("接種を記録しました", PageSession.TextOf(after, "vaccination-dose-outcome"), StringComparison.Ordinal);
        Assert.Contains("<td>LOT-7</td>", after, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_citizen_proves_their_card_and_reads_that_the_clinic_looked_newest_first()
    {
        var card = await PagesTestData.CardWithCertificateAsync(_hub, 7);
        var desk = new PageSession(_hub);
        await desk.SignInAsync(PmhHubFactory.ClinicKey);
        await desk.CheckCardAsync(Holding(card), ["subsidy"]);

        async Task<string> LogAsync()
        {
            var citizen = new PageSession(_hub);
            await citizen.GetAsync("/me");
            var (_, json) = await citizen.PostAsync("/me?handler=challenge", []);
            var challenge = JsonNode.Parse(json)!.AsObject();
            var (response, html) = await citizen.PostAsync("/me?handler=log",
            [
                new("challengeId", (string)challenge["challengeId"]!),
                new("certificate", Convert.ToBase64String(card.CertificateDer)),
                new("signature", Convert.ToBase64String(card.Sign(Convert.FromBase64String((string)challenge["nonce"]!)))),
            ]);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            return html;
        }

        var log = await Eventually.UntilAsync(LogAsync, html => html.Contains("受付でのカード確認", StringComparison.Ordinal), "the desk's check in the citizen's log");

        Assert.Contains("clinic (医療機関, 1310123458)", log, StringComparison.Ordinal);
        Assert.Contains("医療費助成の受給者証", log, StringComparison.Ordinal);
        Assert.Contains("表示されました", log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task In_Development_the_demo_cards_sign_a_desk_check_that_shows_yamadas_certificate_and_kobayashis_vouchers()
    {
        using var development = _hub.WithWebHostBuilder(b => b.UseEnvironment("Development"));
        var cards = await Eventually.UntilAsync(
            async () => await (await development.CreateClient().GetAsync("/demo/cards")).Content.ReadAsStringAsync(),
            body => body.Contains("kobayashi", StringComparison.Ordinal),
            "the demo cards");
        var demo = JsonNode.Parse(cards)!.AsArray().ToDictionary(c => (string)c!["name"]!, c => c!.AsObject());
        Func<byte[], (byte[], byte[])> DemoCard(string name) => nonce =>
        {
            using var key = RSA.Create();
            key.ImportPkcs8PrivateKey(Convert.FromBase64String((string)demo[name]["privateKey"]!), out _);
            // What the browser's WebCrypto does: RSASSA-PKCS1-v1_5 with SHA-256 over the nonce.
            return (Convert.FromBase64String((string)demo[name]["certificate"]!), key.SignData(nonce, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
        };
        var browser = new PageSession(development);
        await browser.SignInAsync("pmh-demo-clinic-1310123458");
        var today = DateOnly.FromDateTime(DateTime.UtcNow.AddHours(9)).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

        var yamada = await Eventually.UntilAsync(
            async () => (await browser.CheckCardAsync(DemoCard("yamada"), ["subsidy"], today)).Html,
            html => html.Contains("<td>DEMO0001</td>", StringComparison.Ordinal),
            "yamada's demo certificate");
        var kobayashi = await Eventually.UntilAsync(
            async () => (await browser.CheckCardAsync(DemoCard("kobayashi"), ["maternalChild"], today)).Html,
            html => html.Contains("<td>14 枚</td>", StringComparison.Ordinal),
            "kobayashi's vouchers");
        var checkId = PageSession.TextOf(kobayashi, "check-id");
        var (used, after) = await browser.PostAsync($"/desk/{checkId}?handler=record",
        [
            new("section", "maternalChild"), new("form", "voucher"), new("voucher", "131016:pregnancy:DEMO-P1#1"), new("date", today),
            new("gestationalWeek", "20"), new("redemptionId", "visit-1"),
        ]);

        Assert.Contains("千代田区子ども医療費助成受給者証", yamada, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, used.StatusCode);
        Assert.StartsWith("記録しました", PageSession.TextOf(after, "maternalChild-voucher-outcome"), StringComparison.Ordinal);
        Assert.Contains("<td>13 枚</td>", after, StringComparison.Ordinal);
    }
}
