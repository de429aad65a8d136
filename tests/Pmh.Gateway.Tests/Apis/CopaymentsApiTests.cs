using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;
using Pmh.Contracts.Audit;
using Pmh.Identity.Simulator;
using Pmh.Testing;

namespace Pmh.Gateway.Tests.Apis;

public sealed class CopaymentsApiTests : IDisposable
{
    private readonly PmhHubFactory _hub = new();
    private readonly HttpClient _clinic;

    public CopaymentsApiTests() => _clinic = _hub.ClientFor(PmhHubFactory.ClinicKey);

    public void Dispose() => _hub.Dispose();

    /// <summary>A person with a card and a certificate capped at 2,500 yen a month; a clinic's check of them.</summary>
    private async Task<(SimulatedCard Card, JsonObject Check)> CheckedPersonAsync(int seed)
    {
        var myNumber = TestData.MyNumber(seed);
        var card = _hub.Cards.Issue();
        await ReceptionDesk.RegisterCardAsync(_hub.ClientFor(PmhHubFactory.CardIssuerKey), card, myNumber);
        var chiyoda = _hub.ClientFor(PmhHubFactory.ChiyodaKey);
        await chiyoda.PublishAsync(TestData.Chiyoda, TestData.Batch($"b-{seed}", TestData.CertificateRow(myNumber, $"H-{seed}", monthlyCapYen: 2500)));
        await chiyoda.WaitForBatchAsync($"b-{seed}");
        var check = await (await ReceptionDesk.CheckAsync(_clinic, card, new { subsidy = true }, "2026-04-10")).JsonAsync();
        return (card, check);
    }

    private static Task<HttpResponseMessage> PayAsync(HttpClient desk, JsonObject check, string receiptId, int yen) =>
        desk.PostAsJsonAsync("/api/v1/copayments", new
        {
            checkId = (string?)check["checkId"],
            certificateId = (string?)check["subsidy"]!["certificates"]![0]!["certificateId"],
            receiptId,
            amountYen = yen,
        });

    [Fact]
    public async Task Receipts_are_charged_up_to_the_cap_and_the_reception_check_shows_the_month()
    {
        var (card, check) = await CheckedPersonAsync(1);

        var first = await (await PayAsync(_clinic, check, "r-1", 1500)).JsonAsync();
        var second = await (await PayAsync(_clinic, check, "r-2", 1500)).JsonAsync();

        Assert.Equal((1500, 1500, 1000), ((int)first["chargedYen"]!, (int)first["monthTotalYen"]!, (int)first["remainingYen"]!));
        Assert.Equal((1000, 2500, 0), ((int)second["chargedYen"]!, (int)second["monthTotalYen"]!, (int)second["remainingYen"]!));
        var copayment = (await (await ReceptionDesk.CheckAsync(_clinic, card, new { subsidy = true }, "2026-04-20")).JsonAsync())["subsidy"]!["certificates"]![0]!["copayment"]!;
        Assert.Equal(("2026-04", 2500, 0), ((string?)copayment["month"], (int)copayment["totalYen"]!, (int)copayment["remainingYen"]!));
    }

    [Fact]
    public async Task A_replayed_receipt_returns_the_first_answer_and_a_correction_adjusts_the_ledger()
    {
        var (_, check) = await CheckedPersonAsync(2);
        var first = await PayAsync(_clinic, check, "r-1", 2000);
        var replay = await PayAsync(_clinic, check, "r-1", 2000);

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, replay.StatusCode);
        Assert.Equal((await first.JsonAsync()).ToJsonString(), (await replay.JsonAsync()).ToJsonString());

        var corrected = await (await _clinic.PostAsJsonAsync("/api/v1/copayments/r-1/corrections", new { correctionId = "c-1", amountYen = 500 })).JsonAsync();
        Assert.Equal((500, 500, 2000), ((int)corrected["chargedYen"]!, (int)corrected["monthTotalYen"]!, (int)corrected["remainingYen"]!));
        var correctedAgain = await _clinic.PostAsJsonAsync("/api/v1/copayments/r-1/corrections", new { correctionId = "c-1", amountYen = 500 });
        Assert.Equal(HttpStatusCode.OK, correctedAgain.StatusCode);
        // Audit events leave through the gateway database's outbox, after the answer: wait for both ledger entries
        // (the receipt and its correction), then count: the replayed receipt and the repeated correction add none.
        var recorded = await Eventually.UntilAsync(
            () => Task.FromResult(_hub.Services.GetTestHarness().Published.Select<AccessRecorded>().Where(a => a.Context.Message.Outcome == AccessOutcomes.Recorded).ToList()),
            events => events.Count >= 2,
            "the receipt's and the correction's audit events");
        Assert.Equal(["2000 yen in 2026-04", "corrected to 500 yen in 2026-04"], recorded.Select(a => a.Context.Message.Detail).Order());
        Assert.All(recorded, a => Assert.Equal(("copayment", "copayment"), (Assert.Single(a.Context.Message.Kinds), a.Context.Message.Purpose)));
        Assert.Single(recorded.Select(a => a.Context.Message.PersonKey).Distinct());
        Assert.NotNull(recorded[0].Context.Message.PersonKey);
    }

    [Fact]
    public async Task A_correction_appears_in_the_citizens_log_as_a_ledger_entry_does()
    {
        var (card, check) = await CheckedPersonAsync(4);
        Assert.Equal(HttpStatusCode.Created, (await PayAsync(_clinic, check, "r-1", 2000)).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await _clinic.PostAsJsonAsync("/api/v1/copayments/r-1/corrections", new { correctionId = "c-1", amountYen = 0 })).StatusCode);

        async Task<JsonArray> LogAsync()
        {
            var citizen = _hub.CreateClient();
            var challenge = await (await citizen.PostAsync("/api/v1/me/challenges", null)).JsonAsync();
            var response = await citizen.PostAsJsonAsync("/api/v1/me/access-log", new
            {
                challengeId = (string?)challenge["challengeId"],
                certificate = Convert.ToBase64String(card.CertificateDer),
                signature = Convert.ToBase64String(card.Sign(Convert.FromBase64String((string)challenge["nonce"]!))),
            });
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            return (await response.JsonAsync())["entries"]!.AsArray();
        }

        var entries = await Eventually.UntilAsync(
            LogAsync,
            log => log.Count(e => (string?)e!["purpose"] == "copayment") >= 2,
            "the citizen's log to show the receipt and its correction");

        var ledgerEntries = entries.Where(e => (string?)e!["purpose"] == "copayment").ToList();
        Assert.Equal(2, ledgerEntries.Count);
        Assert.All(ledgerEntries, e => Assert.Equal((AccessOutcomes.Recorded, "clinic"), ((string?)e!["outcome"], (string?)e["institution"])));
    }

    [Fact]
    public async Task A_receipt_against_another_participants_check_is_refused()
    {
        var (_, check) = await CheckedPersonAsync(3);

        var response = await PayAsync(_hub.ClientFor(PmhHubFactory.PharmacyKey), check, "r-1", 1000);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Bad_receipts_get_400_naming_each_field()
    {
        var response = await _clinic.PostAsJsonAsync("/api/v1/copayments", new { checkId = "x", certificateId = "nope", receiptId = "a b", amountYen = -1 });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(["amountYen", "certificateId", "checkId", "receiptId"], (await response.JsonAsync())["errors"]!.AsObject().Select(e => e.Key).Order());
    }
}
