using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Pmh.Contracts.Identity;
using Pmh.Contracts.MaternalChild;
using Pmh.Contracts.Subsidy;
using Pmh.Contracts.Vaccination;
using Pmh.Hosting.Messaging;
using Pmh.Testing;

namespace Pmh.Gateway.Tests.Apis;

/// <summary>
/// The embedded hub on its own in-memory bus (not the test harness), as it ships and with its requests answered in
/// process (<c>Pmh:Bus:InProcessRequests</c>): a reception check and a co-payment end to end.
/// </summary>
public sealed class EmbeddedHubTests
{
    private static PmhHubFactory Hub(bool inProcess) =>
        new(TestTransport.InMemory, settings: new Dictionary<string, string?> { ["Pmh:Bus:InProcessRequests"] = inProcess ? "true" : "false" });

    [Fact]
    public void With_in_process_requests_the_embedded_hub_answers_the_reception_requests_in_process()
    {
        using var hub = Hub(inProcess: true);
        var inProcess = hub.Services.GetRequiredService<InProcessRequestTypes>();

        Assert.All(
            new[] { typeof(IssueChallenge), typeof(VerifyCardholder), typeof(CheckSubsidyEligibility), typeof(CheckVaccinationHistory), typeof(CheckMaternalChildEntitlements), typeof(RecordCopayment) },
            t => Assert.True(inProcess.Answers(t), t.Name));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_desk_checks_a_card_records_a_co_payment_and_sees_the_month_on_the_embeddedhub(bool inProcess)
    {
        using var hub = Hub(inProcess);
        var clinic = hub.ClientFor(PmhHubFactory.ClinicKey);
        var myNumber = TestData.MyNumber(41);
        using var card = hub.Cards.Issue();
        Assert.Equal(HttpStatusCode.Created, (await ReceptionDesk.RegisterCardAsync(hub.ClientFor(PmhHubFactory.CardIssuerKey), card, myNumber)).StatusCode);
        var chiyoda = hub.ClientFor(PmhHubFactory.ChiyodaKey);
        await chiyoda.PublishAsync(TestData.Chiyoda, TestData.Batch("b-embedded", TestData.CertificateRow(myNumber, "H-41", monthlyCapYen: 2500)));
        await chiyoda.WaitForBatchAsync("b-embedded");

        var check = await (await ReceptionDesk.CheckAsync(clinic, card, new { subsidy = true, vaccination = true, maternalChild = true }, "2026-04-10")).JsonAsync();
        Assert.Equal(("provided", "provided", "provided"),
            ((string?)check["subsidy"]!["status"], (string?)check["vaccination"]!["status"], (string?)check["maternalChild"]!["status"]));
        var payment = new
        {
            checkId = (string?)check["checkId"],
            certificateId = (string?)check["subsidy"]!["certificates"]![0]!["certificateId"],
            receiptId = "r-embedded",
            amountYen = 1500,
        };
        var first = await clinic.PostAsJsonAsync("/api/v1/copayments", payment);
        var replay = await clinic.PostAsJsonAsync("/api/v1/copayments", payment);

        Assert.Equal((HttpStatusCode.Created, HttpStatusCode.OK), (first.StatusCode, replay.StatusCode));
        Assert.Equal((await first.JsonAsync()).ToJsonString(), (await replay.JsonAsync()).ToJsonString());
        var again = await (await ReceptionDesk.CheckAsync(clinic, card, new { subsidy = true }, "2026-04-20")).JsonAsync();
        var month = again["subsidy"]!["certificates"]![0]!["copayment"]!;
        Assert.Equal(("2026-04", 1500, 1000), ((string?)month["month"], (int)month["totalYen"]!, (int)month["remainingYen"]!));
    }
}
