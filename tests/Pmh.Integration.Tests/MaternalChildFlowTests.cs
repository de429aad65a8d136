using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Pmh.Testing;

namespace Pmh.Integration.Tests;

/// <summary>Pregnancy upload, reception, voucher use and the municipal feed over a real RabbitMQ and real PostgreSQL.</summary>
public sealed class MaternalChildFlowTests
{
    [RabbitMqFact]
    public async Task A_voucher_used_at_reception_is_used_once_and_reaches_the_feed_over_RabbitMq_and_PostgreSql()
    {
        await Broker.PurgeAsync();
        await using var hub = new PmhHubFactory(TestTransport.RabbitMq, TestStorage.PostgreSql);
        var myNumber = TestData.MyNumber(800);
        using var card = hub.Cards.Issue();
        await ReceptionDesk.RegisterCardAsync(hub.ClientFor(PmhHubFactory.CardIssuerKey), card, myNumber, "1995-05-05");
        var chiyoda = hub.ClientFor(PmhHubFactory.ChiyodaKey);
        var upload = await chiyoda.PostAsJsonAsync($"/api/v1/municipalities/{TestData.Chiyoda}/pregnancies", new
        {
            batchId = "it-p1",
            pregnancies = new object[]
            {
                new { recordKey = "P-1", myNumber, localPersonId = "M-800", dueDate = "2026-10-01", registrationDate = "2026-03-01" },
                new { recordKey = "P-2", myNumber = "123456789019", dueDate = "2026-10-01", registrationDate = "2026-03-01" },
            },
        });
        Assert.Equal(HttpStatusCode.Accepted, upload.StatusCode);
        var batch = await Eventually.UntilAsync(
            async () => (await chiyoda.GetFromJsonAsync<JsonObject>("/api/v1/batches/it-p1"))!,
            b => (string?)b["status"] != "accepted",
            "batch it-p1 to be applied",
            TimeSpan.FromSeconds(60));

        Assert.Equal(1, (int?)batch["acceptedCount"]);
        var clinic = hub.ClientFor(PmhHubFactory.ClinicKey);
        var check = (await (await ReceptionDesk.CheckAsync(clinic, card, new { maternalChild = true }, "2026-05-01")).Content.ReadFromJsonAsync<JsonObject>())!;
        var voucher = (string?)check["maternalChild"]!["pregnancies"]![0]!["vouchers"]![0]!["voucherId"];

        var uses = await Task.WhenAll(Enumerable.Range(0, 5).Select(i => clinic.PostAsJsonAsync("/api/v1/maternal-child/voucher-redemptions", new
        {
            checkId = (string?)check["checkId"], voucher, redemptionId = $"it-r{i}", date = "2026-05-01", gestationalWeek = 12,
        })));

        Assert.Single(uses, u => u.StatusCode == HttpStatusCode.Created);
        Assert.Equal(4, uses.Count(u => u.StatusCode == HttpStatusCode.Conflict));
        var feed = (await chiyoda.GetFromJsonAsync<JsonObject>($"/api/v1/municipalities/{TestData.Chiyoda}/maternal-child-events?after=0"))!;
        var only = Assert.Single(feed["events"]!.AsArray());
        Assert.Equal(("prenatal", "M-800"), ((string?)only!["kind"], (string?)only["localPersonId"]));
        Assert.DoesNotContain(myNumber, feed.ToJsonString(), StringComparison.Ordinal);
    }

    [RabbitMqFact]
    public async Task A_child_naming_an_unregistered_pregnancy_is_rejected_over_RabbitMq_and_PostgreSql()
    {
        await Broker.PurgeAsync();
        await using var hub = new PmhHubFactory(TestTransport.RabbitMq, TestStorage.PostgreSql);
        var chiyoda = hub.ClientFor(PmhHubFactory.ChiyodaKey);
        var mother = TestData.MyNumber(810);
        await Applied(chiyoda, "it-p10", await chiyoda.PostAsJsonAsync($"/api/v1/municipalities/{TestData.Chiyoda}/pregnancies", new
        {
            batchId = "it-p10",
            pregnancies = new[] { new { recordKey = "P-10", myNumber = mother, dueDate = "2026-10-01", registrationDate = "2026-03-01" } },
        }));

        var batch = await Applied(chiyoda, "it-c10", await chiyoda.PostAsJsonAsync($"/api/v1/municipalities/{TestData.Chiyoda}/children", new
        {
            batchId = "it-c10",
            children = new[]
            {
                new { recordKey = "C-10", myNumber = TestData.MyNumber(811), birthDate = "2026-09-20", pregnancyRecordKey = "P-10" },
                new { recordKey = "C-11", myNumber = TestData.MyNumber(812), birthDate = "2026-09-20", pregnancyRecordKey = "P-11" },
            },
        }));

        Assert.Equal(("completed", 1), ((string?)batch["status"], (int?)batch["acceptedCount"]));
        var rejected = Assert.Single(batch["rejected"]!.AsArray())!;
        Assert.Equal((1, "pregnancyRecordKey"), ((int)rejected["index"]!, (string?)rejected["field"]));
    }

    private static async Task<JsonObject> Applied(HttpClient municipality, string batchId, HttpResponseMessage upload)
    {
        Assert.Equal(HttpStatusCode.Accepted, upload.StatusCode);
        return await Eventually.UntilAsync(
            async () => (await municipality.GetFromJsonAsync<JsonObject>($"/api/v1/batches/{batchId}"))!,
            b => (string?)b["status"] != "accepted",
            $"batch {batchId} to be applied",
            TimeSpan.FromSeconds(60));
    }
}
