using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Pmh.Testing;

namespace Pmh.Integration.Tests;

/// <summary>Register, reception, dose submission and the municipal feed over a real RabbitMQ and real PostgreSQL.</summary>
public sealed class VaccinationFlowTests
{
    [RabbitMqFact]
    public async Task A_dose_given_at_reception_reaches_the_municipality_feed_over_RabbitMq_and_PostgreSql()
    {
        await Broker.PurgeAsync();
        await using var hub = new PmhHubFactory(TestTransport.RabbitMq, TestStorage.PostgreSql);
        var myNumber = TestData.MyNumber(700);
        using var card = hub.Cards.Issue();
        await ReceptionDesk.RegisterCardAsync(hub.ClientFor(PmhHubFactory.CardIssuerKey), card, myNumber, "2025-04-01");
        var chiyoda = hub.ClientFor(PmhHubFactory.ChiyodaKey);
        var upload = await chiyoda.PostAsJsonAsync($"/api/v1/municipalities/{TestData.Chiyoda}/vaccination-records", new
        {
            batchId = "it-v1",
            records = new object[]
            {
                new { recordKey = "R-1", myNumber, localPersonId = "A-700", vaccine = "HIB", doseNumber = 1, date = "2025-06-03", programme = "routineA" },
                new { recordKey = "R-2", myNumber = "123456789019", vaccine = "HIB", doseNumber = 1, date = "2025-06-03", programme = "routineA" },
            },
        });
        Assert.Equal(HttpStatusCode.Accepted, upload.StatusCode);
        var batch = await Eventually.UntilAsync(
            async () => (await chiyoda.GetFromJsonAsync<JsonObject>("/api/v1/batches/it-v1"))!,
            b => (string?)b["status"] != "accepted",
            "batch it-v1 to be applied",
            TimeSpan.FromSeconds(60));

        Assert.Equal(1, (int?)batch["acceptedCount"]);
        var clinic = hub.ClientFor(PmhHubFactory.ClinicKey);
        var check = (await (await ReceptionDesk.CheckAsync(clinic, card, new { vaccination = true }, "2025-08-01")).Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal("provided", (string?)check["vaccination"]!["status"]);
        Assert.Single(check["vaccination"]!["doses"]!.AsArray());

        var submitted = await clinic.PostAsJsonAsync("/api/v1/vaccinations", new
        {
            checkId = (string?)check["checkId"], submissionId = "it-s1", vaccine = "HIB", doseNumber = 2, date = "2025-08-01", programme = "routineA",
        });
        var repeated = await clinic.PostAsJsonAsync("/api/v1/vaccinations", new
        {
            checkId = (string?)check["checkId"], submissionId = "it-s1", vaccine = "HIB", doseNumber = 2, date = "2025-08-01", programme = "routineA",
        });
        var bad = await clinic.PostAsJsonAsync("/api/v1/vaccinations", new { checkId = (string?)check["checkId"], submissionId = "it-s2", vaccine = "HIB", doseNumber = 2 });

        Assert.Equal(HttpStatusCode.Created, submitted.StatusCode);
        Assert.Equal(HttpStatusCode.OK, repeated.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var feed = (await chiyoda.GetFromJsonAsync<JsonObject>($"/api/v1/municipalities/{TestData.Chiyoda}/vaccination-events?after=0"))!;
        var only = Assert.Single(feed["events"]!.AsArray());
        Assert.Equal(("HIB", 2, "A-700"), ((string?)only!["vaccine"], (int?)only["doseNumber"], (string?)only["localPersonId"]));
        Assert.DoesNotContain(myNumber, feed.ToJsonString(), StringComparison.Ordinal);
    }
}
