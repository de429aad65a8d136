using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Dapper;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Pmh.Contracts.Subsidy;
using Pmh.Hosting.Privacy;
using Pmh.Testing;

namespace Pmh.Integration.Tests;

/// <summary>Publish-then-check over a real RabbitMQ and real PostgreSQL databases, one process and split by --services.</summary>
public sealed class SubsidyFlowTests
{
    private static readonly DateOnly ServiceDate = new(2026, 4, 1);

    [RabbitMqFact]
    public async Task Published_certificates_are_eligible_over_RabbitMq_and_PostgreSql_in_one_process()
    {
        await Broker.PurgeAsync();
        await using var hub = new PmhHubFactory(TestTransport.RabbitMq, TestStorage.PostgreSql);
        var client = hub.ClientFor(PmhHubFactory.ChiyodaKey);
        var alice = TestData.MyNumber(1);
        var bad = TestData.CertificateRow(TestData.MyNumber(2), "H-9");
        bad["validFrom"] = "2026-13-01";

        var response = await PublishAsync(client, TestData.Batch("it-1",
            TestData.CertificateRow(alice, "H-1"),
            TestData.CertificateRow(alice, "H-2", notDisclosed: true),
            TestData.CertificateRow(alice, "H-3", validFrom: "2025-04-01", validTo: "2026-03-31"),
            bad));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var batch = await WaitForBatchAsync(client, "it-1");
        Assert.Equal("completed", (string?)batch["status"]);
        Assert.Equal(3, (int?)batch["acceptedCount"]);
        Assert.Equal("validFrom", (string?)batch["rejected"]![0]!["field"]);

        var eligible = await EligibleAsync(hub, alice);
        Assert.Equal(["H-1"], eligible.Select(c => c.HistoryKey));

        // No row of any table in either database holds a raw My Number, accepted or refused.
        foreach (var name in new[] { "Gateway", "Subsidy" })
        {
            await using var connection = new Npgsql.NpgsqlConnection(hub.Settings[$"ConnectionStrings:{name}"]);
            await connection.OpenAsync();
            var tables = (await connection.QueryAsync<string>(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'")).ToList();
            Assert.NotEmpty(tables);
            foreach (var table in tables)
            {
                foreach (var myNumber in new[] { alice, TestData.MyNumber(2) })
                {
                    var hits = await connection.ExecuteScalarAsync<long>(
                        $"SELECT COUNT(*) FROM \"{table}\" t WHERE t::text LIKE '%' || @MyNumber || '%'", new { MyNumber = myNumber });
                    Assert.True(hits == 0, $"{name}.{table} holds a raw My Number");
                }
            }
        }

        Assert.DoesNotContain(alice, hub.Logs.AllText, StringComparison.Ordinal);
    }

    [RabbitMqFact]
    public async Task A_gateway_and_a_subsidy_service_in_separate_hosts_work_together_over_RabbitMq()
    {
        await Broker.PurgeAsync();
        var gatewayDb = TestServers.NewPostgresDatabase("pmh_it_gateway");
        var subsidyDb = TestServers.NewPostgresDatabase("pmh_it_subsidy");
        var connectionStrings = new Dictionary<string, string> { ["Gateway"] = gatewayDb, ["Subsidy"] = subsidyDb };
        await using var subsidy = new PmhHubFactory(TestTransport.RabbitMq, TestStorage.PostgreSql, services: "subsidy", connectionStrings: connectionStrings);
        await using var gateway = new PmhHubFactory(
            TestTransport.RabbitMq,
            TestStorage.PostgreSql,
            services: "gateway",
            settings: new Dictionary<string, string?> { ["Pmh:Gateway:BatchPartRows"] = "4" },
            connectionStrings: connectionStrings);
        _ = subsidy.Server; // start the subsidy host and its consumers
        var client = gateway.ClientFor(PmhHubFactory.ChiyodaKey);
        var rows = Enumerable.Range(0, 25).Select(i => TestData.CertificateRow(TestData.MyNumber(100 + i), $"H-{i}")).ToArray();

        // Small parts, so that the batch crosses the broker as several messages applied together.
        var response = await PublishAsync(client, TestData.Batch("it-split", rows));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var batch = await WaitForBatchAsync(client, "it-split");
        Assert.Equal("completed", (string?)batch["status"]);
        Assert.Equal(25, (int?)batch["acceptedCount"]);
        var eligible = await EligibleAsync(gateway, TestData.MyNumber(107));
        Assert.Equal(["H-7"], eligible.Select(c => c.HistoryKey));
        // The gateway-only host has no subsidy database; the subsidy-only host has no API.
        Assert.Equal(HttpStatusCode.NotFound, (await subsidy.CreateClient().GetAsync("/api/v1/batches/it-split")).StatusCode);
    }

    [RabbitMqFact]
    public async Task A_part_the_subsidy_service_cannot_handle_goes_to_the_error_queue_and_the_batch_shows_failed()
    {
        await Broker.PurgeAsync();
        await using var hub = new PmhHubFactory(TestTransport.RabbitMq, TestStorage.PostgreSql);
        var client = hub.ClientFor(PmhHubFactory.ChiyodaKey);
        await PublishAsync(client, TestData.Batch("it-ok", TestData.CertificateRow(TestData.MyNumber(3), "H-1")));
        await WaitForBatchAsync(client, "it-ok");

        // A part whose rows belong to another municipality than it claims: refused, not retried, not lost.
        var send = await hub.Services.GetRequiredService<ISendEndpointProvider>().GetSendEndpoint(Pmh.Hosting.Messaging.CommandQueue.Address(SubsidyQueues.PublishCertificates));
        var certificate = (await EligibleAsync(hub, TestData.MyNumber(3))).Single();
        await send.Send(new PublishSubsidyCertificates
        {
            MunicipalityCode = TestData.Chiyoda,
            BatchId = "it-poison",
            PartIndex = 0,
            PartCount = 1,
            RowCount = 1,
            Rows = [new PublishedCertificateRow(0, certificate with { MunicipalityCode = TestData.Hachioji })],
        });

        await Eventually.UntilAsync(ErrorCountAsync, count => count > 0, "a message in subsidy-publish-certificates_error", interval: TimeSpan.FromMilliseconds(100));

        Assert.Equal(1u, await ErrorCountAsync());
    }

    private static async Task<uint> ErrorCountAsync()
    {
        try
        {
            return await Broker.MessageCountAsync(SubsidyQueues.PublishCertificates + "_error");
        }
        catch (RabbitMQ.Client.Exceptions.OperationInterruptedException)
        {
            return 0; // not declared yet
        }
    }

    private static Task<HttpResponseMessage> PublishAsync(HttpClient client, JsonObject body) =>
        client.PostAsync($"/api/v1/municipalities/{TestData.Chiyoda}/subsidy-certificates", new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"));

    private static Task<JsonObject> WaitForBatchAsync(HttpClient client, string batchId) =>
        Eventually.UntilAsync(
            async () => (await client.GetFromJsonAsync<JsonObject>($"/api/v1/batches/{batchId}"))!,
            b => (string?)b["status"] != "accepted",
            $"batch {batchId} to be applied",
            TimeSpan.FromSeconds(60));

    private static async Task<IReadOnlyList<SubsidyCertificate>> EligibleAsync(PmhHubFactory hub, string myNumber)
    {
        using var scope = hub.Services.CreateScope();
        var personKey = scope.ServiceProvider.GetRequiredService<PersonKeys>().For(Contracts.Identifiers.MyNumber.Parse(myNumber));
        var client = scope.ServiceProvider.GetRequiredService<IRequestClient<CheckSubsidyEligibility>>();
        var response = await client.GetResponse<SubsidyEligibility>(new CheckSubsidyEligibility { PersonKey = personKey, ServiceDate = ServiceDate });
        return response.Message.Certificates;
    }
}
