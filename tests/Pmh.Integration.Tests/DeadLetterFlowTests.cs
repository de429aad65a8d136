using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Pmh.Contracts.Subsidy;
using Pmh.Testing;

namespace Pmh.Integration.Tests;

/// <summary>
/// The operator's dead letters over a real RabbitMQ (with its management API) and PostgreSQL: a batch part the
/// subsidy service can never apply is found through the gateway in its error queue, inspected without its rows, and
/// discarded.
/// </summary>
public sealed class DeadLetterFlowTests
{
    private const string ErrorQueue = SubsidyQueues.PublishCertificates + "_error";

    [DeadLetterFlowFact]
    public async Task A_poison_batch_part_is_listed_through_the_gateway_without_its_rows_and_discarded()
    {
        await Broker.PurgeAsync();
        await using var hub = new PmhHubFactory(TestTransport.RabbitMq, TestStorage.PostgreSql,
            settings: new Dictionary<string, string?> { ["Pmh:Bus:ManagementUrl"] = RabbitMqManagement.Url!.ToString() });
        var chiyoda = hub.ClientFor(PmhHubFactory.ChiyodaKey);
        var @operator = hub.ClientFor(PmhHubFactory.OperatorKey);
        var batch = TestData.Batch("it-dl-ok", TestData.CertificateRow(TestData.MyNumber(31), "H-1"));
        (await chiyoda.PostAsync($"/api/v1/municipalities/{TestData.Chiyoda}/subsidy-certificates",
            new StringContent(batch.ToJsonString(), System.Text.Encoding.UTF8, "application/json"))).EnsureSuccessStatusCode();
        await Eventually.UntilAsync(
            async () => (string?)(await chiyoda.GetFromJsonAsync<JsonObject>("/api/v1/batches/it-dl-ok"))!["status"],
            status => status == "completed",
            "batch it-dl-ok completed");
        SubsidyCertificate certificate;
        using (var scope = hub.Services.CreateScope())
        {
            var personKey = scope.ServiceProvider.GetRequiredService<Pmh.Hosting.Privacy.PersonKeys>().For(Contracts.Identifiers.MyNumber.Parse(TestData.MyNumber(31)));
            var eligibility = await scope.ServiceProvider.GetRequiredService<IRequestClient<CheckSubsidyEligibility>>()
                .GetResponse<SubsidyEligibility>(new CheckSubsidyEligibility { PersonKey = personKey, ServiceDate = new DateOnly(2026, 4, 1) });
            certificate = eligibility.Message.Certificates.Single();
        }

        // A part whose rows belong to another municipality than it claims: refused, not retried, not lost.
        var messageId = NewId.NextGuid();
        var send = await hub.Services.GetRequiredService<ISendEndpointProvider>().GetSendEndpoint(Pmh.Hosting.Messaging.CommandQueue.Address(SubsidyQueues.PublishCertificates));
        await send.Send(new PublishSubsidyCertificates
        {
            MunicipalityCode = TestData.Chiyoda,
            BatchId = "it-dl-poison",
            PartIndex = 0,
            PartCount = 1,
            RowCount = 1,
            Rows = [new PublishedCertificateRow(0, certificate with { MunicipalityCode = TestData.Hachioji })],
        }, c => c.MessageId = messageId);

        var listing = await Eventually.UntilAsync(
            async () => (await @operator.GetFromJsonAsync<JsonObject>($"/api/v1/operator/dead-letters?queue={ErrorQueue}"))!,
            l => (int?)l["total"] == 1,
            $"the poison part listed in {ErrorQueue}");

        var message = Assert.Single(listing["messages"]!.AsArray())!;
        Assert.Equal(messageId.ToString(), (string?)message["id"]);
        Assert.Equal("urn:message:Pmh.Contracts.Subsidy:PublishSubsidyCertificates", (string?)message["messageType"]);
        Assert.NotNull((string?)message["faultType"]);
        var inspected = await @operator.GetFromJsonAsync<JsonObject>($"/api/v1/operator/dead-letters/{messageId}");
        Assert.EndsWith("/" + SubsidyQueues.PublishCertificates, (string?)inspected!["headers"]!["MT-Fault-InputAddress"], StringComparison.Ordinal);
        var shown = listing.ToJsonString() + inspected.ToJsonString();
        Assert.DoesNotContain(certificate.PersonKey, shown, StringComparison.Ordinal);
        Assert.DoesNotContain(certificate.HistoryKey, shown, StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.NoContent, (await @operator.DeleteAsync($"/api/v1/operator/dead-letters/{messageId}")).StatusCode);
        Assert.Equal(0u, await Broker.MessageCountAsync(ErrorQueue));
        Assert.Equal(0, (int?)(await @operator.GetFromJsonAsync<JsonObject>("/api/v1/operator/dead-letters"))!["total"]);
    }
}

/// <summary>Runs only when PostgreSQL, RabbitMQ and its management API answer; otherwise says which is missing.</summary>
public sealed class DeadLetterFlowFactAttribute : FactAttribute
{
    public DeadLetterFlowFactAttribute()
    {
        if ((TestServers.WhyNoPostgres ?? RabbitMqManagement.WhyNot) is { } why)
        {
            Skip = why;
        }
    }
}
