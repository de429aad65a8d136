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
        // Audit events leave through the gateway database's outbox, after the answer: wait for it, then count.
        await Eventually.UntilAsync(
            () => _hub.Services.GetTestHarness().Published.Select<AccessRecorded>().Any(a => a.Context.Message.Outcome == AccessOutcomes.Recorded),
            "the receipt's audit event");
        Assert.Single(_hub.Services.GetTestHarness().Published.Select<AccessRecorded>(), a => a.Context.Message.Outcome == AccessOutcomes.Recorded);
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
