using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Pmh.Contracts.Identity;
using Pmh.Testing;

namespace Pmh.Integration.Tests;

/// <summary>The reception check over a real RabbitMQ and real PostgreSQL, in one process and split by --services.</summary>
public sealed class ReceptionFlowTests
{
    private static readonly object AllKinds = new { subsidy = true, vaccination = true, maternalChild = true };

    [RabbitMqFact]
    public async Task A_whole_reception_check_works_over_RabbitMq_and_PostgreSql()
    {
        await Broker.PurgeAsync();
        await using var hub = new PmhHubFactory(TestTransport.RabbitMq, TestStorage.PostgreSql);
        var myNumber = TestData.MyNumber(500);
        using var card = hub.Cards.Issue();
        Assert.Equal(HttpStatusCode.Created, (await ReceptionDesk.RegisterCardAsync(hub.ClientFor(PmhHubFactory.CardIssuerKey), card, myNumber)).StatusCode);
        var chiyoda = hub.ClientFor(PmhHubFactory.ChiyodaKey);
        await chiyoda.PostAsJsonAsync($"/api/v1/municipalities/{TestData.Chiyoda}/subsidy-certificates", TestData.Batch("it-r1", TestData.CertificateRow(myNumber, "H-1")));
        await WaitForCompletedAsync(chiyoda, "it-r1");
        var clinic = hub.ClientFor(PmhHubFactory.ClinicKey);

        var response = await ReceptionDesk.CheckAsync(clinic, card, AllKinds);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal("provided", (string?)body["subsidy"]!["status"]);
        Assert.Single(body["subsidy"]!["certificates"]!.AsArray());
        Assert.Equal(HttpStatusCode.OK, (await clinic.GetAsync($"/api/v1/reception/checks/{body["checkId"]}")).StatusCode);
        Assert.DoesNotContain(myNumber, body.ToJsonString(), StringComparison.Ordinal);
    }

    [RabbitMqFact]
    public async Task Concurrent_answers_to_one_challenge_over_PostgreSql_let_exactly_one_through()
    {
        await Broker.PurgeAsync();
        await using var hub = new PmhHubFactory(TestTransport.RabbitMq, TestStorage.PostgreSql);
        using var card = hub.Cards.Issue();
        await ReceptionDesk.RegisterCardAsync(hub.ClientFor(PmhHubFactory.CardIssuerKey), card, TestData.MyNumber(501));
        var clinic = hub.ClientFor(PmhHubFactory.ClinicKey);
        var (challengeId, nonce) = await ReceptionDesk.ChallengeAsync(clinic);
        var signature = card.Sign(nonce);

        var responses = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ =>
            ReceptionDesk.SendCheckAsync(clinic, challengeId, card.CertificateDer, signature, new { subsidy = false })));

        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.OK);
        foreach (var refused in responses.Where(r => r.StatusCode != HttpStatusCode.OK))
        {
            Assert.Equal(CardRejectionReasons.ChallengeReused, (string?)(await refused.Content.ReadFromJsonAsync<JsonObject>())!["reason"]);
        }
    }

    [RabbitMqFact]
    public async Task Without_any_lookup_service_a_check_is_answered_503_within_its_deadline_and_discloses_nothing()
    {
        await Broker.PurgeAsync();
        var databases = new Dictionary<string, string>
        {
            ["Gateway"] = TestServers.NewPostgresDatabase("pmh_it_gateway"),
            ["Identity"] = TestServers.NewPostgresDatabase("pmh_it_identity"),
            ["Subsidy"] = TestServers.NewPostgresDatabase("pmh_it_subsidy"),
        };
        await using var identity = new PmhHubFactory(TestTransport.RabbitMq, TestStorage.PostgreSql, services: "identity", connectionStrings: databases);
        await using var gateway = new PmhHubFactory(
            TestTransport.RabbitMq,
            TestStorage.PostgreSql,
            services: "gateway",
            settings: new Dictionary<string, string?> { ["Pmh:Reception:LookupTimeout"] = "00:00:00.500" },
            connectionStrings: databases);
        _ = identity.Server;
        using var card = gateway.Cards.Issue();
        Assert.Equal(HttpStatusCode.Created, (await ReceptionDesk.RegisterCardAsync(gateway.ClientFor(PmhHubFactory.CardIssuerKey), card, TestData.MyNumber(502))).StatusCode);

        var clock = System.Diagnostics.Stopwatch.StartNew();
        var response = await ReceptionDesk.CheckAsync(gateway.ClientFor(PmhHubFactory.ClinicKey), card, AllKinds);
        clock.Stop();

        // Only the gateway and identity run: every consented lookup is unavailable, so there is no answer to give.
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.NotNull(response.Headers.RetryAfter);
        var problem = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal("Lookups unavailable", (string?)problem["title"]);
        Assert.Null(problem["subsidy"]);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(6), $"the desk waited {clock.Elapsed}");
    }

    private static Task WaitForCompletedAsync(HttpClient client, string batchId) =>
        Eventually.UntilAsync(
            async () => (await client.GetFromJsonAsync<JsonObject>($"/api/v1/batches/{batchId}"))!,
            b => (string?)b["status"] != "accepted",
            $"batch {batchId} to be applied",
            TimeSpan.FromSeconds(60));
}
