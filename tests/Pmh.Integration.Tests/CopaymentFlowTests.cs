using System.Net.Http.Json;
using System.Text.Json.Nodes;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Pmh.Contracts.Subsidy;
using Pmh.Hosting.Privacy;
using Pmh.Testing;

namespace Pmh.Integration.Tests;

/// <summary>The co-payment cap under concurrency with two subsidy service instances consuming one RabbitMQ queue.</summary>
public sealed class CopaymentFlowTests
{
    [RabbitMqFact]
    public async Task Hundred_concurrent_receipts_through_two_consumer_instances_never_pass_the_cap()
    {
        await Broker.PurgeAsync();
        var databases = new Dictionary<string, string>
        {
            ["Gateway"] = TestServers.NewPostgresDatabase("pmh_it_gateway"),
            ["Subsidy"] = TestServers.NewPostgresDatabase("pmh_it_subsidy"),
        };
        var oneAtATime = new Dictionary<string, string?> { ["Pmh:Bus:PrefetchCount"] = "1" };
        await using var subsidyA = new PmhHubFactory(TestTransport.RabbitMq, TestStorage.PostgreSql, services: "subsidy", settings: oneAtATime, connectionStrings: databases);
        await using var subsidyB = new PmhHubFactory(TestTransport.RabbitMq, TestStorage.PostgreSql, services: "subsidy", settings: oneAtATime, connectionStrings: databases);
        await using var gateway = new PmhHubFactory(TestTransport.RabbitMq, TestStorage.PostgreSql, services: "gateway", connectionStrings: databases);
        _ = subsidyA.Server;
        _ = subsidyB.Server;
        var myNumber = TestData.MyNumber(900);
        var chiyoda = gateway.ClientFor(PmhHubFactory.ChiyodaKey);
        await chiyoda.PostAsJsonAsync($"/api/v1/municipalities/{TestData.Chiyoda}/subsidy-certificates",
            TestData.Batch("it-cap", TestData.CertificateRow(myNumber, "H-cap", monthlyCapYen: 10_000)));
        await Eventually.UntilAsync(
            async () => (await chiyoda.GetFromJsonAsync<JsonObject>("/api/v1/batches/it-cap"))!,
            b => (string?)b["status"] != "accepted",
            "batch it-cap to be applied",
            TimeSpan.FromSeconds(60));

        var personKey = gateway.Services.GetRequiredService<PersonKeys>().For(Contracts.Identifiers.MyNumber.Parse(myNumber));
        var client = gateway.Services.GetRequiredService<IRequestClient<RecordCopayment>>();
        var receipts = Enumerable.Range(0, 100).Select(i => new RecordCopayment
        {
            ReceiptId = $"it-r{i}",
            InstitutionCode = $"institution-{i % 10}",
            CheckId = Guid.NewGuid(),
            PersonKey = personKey,
            MunicipalityCode = TestData.Chiyoda,
            HistoryKey = "H-cap",
            ServiceDate = new DateOnly(2026, 4, 15),
            AmountYen = 150 + (i % 5 * 50),
        }).ToList();

        var answers = await Task.WhenAll(receipts.Select(r => client.GetResponse<CopaymentRecorded>(r)));

        Assert.Equal(Math.Min(receipts.Sum(r => r.AmountYen), 10_000), answers.Sum(a => a.Message.ChargedYen));
        Assert.Equal(10_000, answers.Max(a => a.Message.Ledger.TotalYen));
    }
}
