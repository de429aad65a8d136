using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using MassTransit.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Pmh.Testing;

namespace Pmh.Gateway.Tests.Apis;

public sealed class PrivacyAndLimitsTests
{
    [Fact]
    public async Task No_raw_My_Number_reaches_the_databases_the_logs_or_the_bus()
    {
        var myNumbers = Enumerable.Range(100, 25).Select(i => TestData.MyNumber(i)).ToList();
        string dataFolder;
        string logs;
        string busMessages;
        await using (var hub = new PmhHubFactory())
        {
            dataFolder = hub.DataFolder;
            var client = hub.ClientFor(PmhHubFactory.ChiyodaKey);
            var rows = myNumbers.Select((n, i) => TestData.CertificateRow(n, $"H-{i}")).ToList();
            // One bad row too: a refused My Number must not be echoed anywhere either.
            var refused = TestData.CertificateRow(myNumbers[0][..11] + ((myNumbers[0][11] - '0' + 1) % 10), "H-bad");
            rows.Add(refused);
            Assert.Equal(HttpStatusCode.Accepted, (await client.PublishAsync(TestData.Chiyoda, TestData.Batch("b-privacy", rows.ToArray()))).StatusCode);
            var batch = await client.WaitForBatchAsync("b-privacy");
            Assert.Equal(25, (int?)batch["acceptedCount"]);
            Assert.DoesNotContain((string)refused["myNumber"]!, batch.ToJsonString(), StringComparison.Ordinal);

            var harness = hub.Services.GetTestHarness();
            busMessages = string.Join('\n', harness.Sent.Select(_ => true).Select(m => System.Text.Json.JsonSerializer.Serialize(m.MessageObject))
                .Concat(harness.Published.Select(_ => true).Select(m => System.Text.Json.JsonSerializer.Serialize(m.MessageObject))));
            logs = hub.Logs.AllText;
            myNumbers.Add((string)refused["myNumber"]!);
        }

        SqliteConnection.ClearAllPools();
        var files = Directory.GetFiles(dataFolder, "*", SearchOption.AllDirectories);
        Assert.Contains(files, f => f.EndsWith("subsidy.db", StringComparison.Ordinal));
        Assert.Contains("PersonKey", busMessages, StringComparison.Ordinal);
        Assert.NotEmpty(logs);
        foreach (var myNumber in myNumbers)
        {
            foreach (var file in files)
            {
                var bytes = await File.ReadAllBytesAsync(file);
                Assert.False(Contains(bytes, Encoding.ASCII.GetBytes(myNumber)), $"{Path.GetFileName(file)} contains a raw My Number");
                Assert.False(Contains(bytes, Encoding.Unicode.GetBytes(myNumber)), $"{Path.GetFileName(file)} contains a raw My Number (UTF-16)");
            }

            Assert.DoesNotContain(myNumber, logs, StringComparison.Ordinal);
            Assert.DoesNotContain(myNumber, busMessages, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task The_stored_certificates_are_found_by_person_key_not_by_number()
    {
        await using var hub = new PmhHubFactory();
        var client = hub.ClientFor(PmhHubFactory.ChiyodaKey);
        await client.PublishAsync(TestData.Chiyoda, TestData.Batch("b-key", TestData.CertificateRow(TestData.MyNumber(200), "H-1")));
        await client.WaitForBatchAsync("b-key");

        SqliteConnection.ClearAllPools();
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(hub.DataFolder, "subsidy.db")}");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT person_key FROM subsidy_certificates";
        var personKey = (string)(await command.ExecuteScalarAsync())!;
        Assert.Equal(43, personKey.Length);
        Assert.Equal(hub.Services.GetRequiredService<Hosting.Privacy.PersonKeys>().For(Contracts.Identifiers.MyNumber.Parse(TestData.MyNumber(200))), personKey);
    }

    [Fact]
    public async Task A_body_over_the_configured_size_gets_413_and_stores_nothing()
    {
        await using var hub = new PmhHubFactory(settings: new Dictionary<string, string?> { ["Pmh:Gateway:MaxBodyBytes"] = "4096" });
        var client = hub.ClientFor(PmhHubFactory.ChiyodaKey);
        var rows = Enumerable.Range(0, 10).Select(i => TestData.CertificateRow(TestData.MyNumber(300 + i), $"H-{i}")).ToArray();

        var response = await client.PublishAsync(TestData.Chiyoda, TestData.Batch("b-big", rows));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("4096", (string?)(await response.JsonAsync())["detail"], StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/api/v1/batches/b-big")).StatusCode);
    }

    [Fact]
    public async Task A_chunked_body_over_the_configured_size_gets_413_too()
    {
        await using var hub = new PmhHubFactory(settings: new Dictionary<string, string?> { ["Pmh:Gateway:MaxBodyBytes"] = "4096" });
        var client = hub.ClientFor(PmhHubFactory.ChiyodaKey);
        var body = TestData.Batch("b-big", Enumerable.Range(0, 10).Select(i => TestData.CertificateRow(TestData.MyNumber(400 + i), $"H-{i}")).ToArray());
        var content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(body.ToJsonString())));
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");

        var response = await client.PostAsync($"/api/v1/municipalities/{TestData.Chiyoda}/subsidy-certificates", content);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task Health_reports_live_and_ready_with_every_database_and_the_bus()
    {
        await using var hub = new PmhHubFactory();
        var client = hub.CreateClient();

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/live")).StatusCode);
        var ready = await client.GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        var checks = (await ready.JsonAsync())["checks"]!.AsArray().Select(c => (string?)c!["name"]).ToList();
        Assert.Contains("database-gateway", checks);
        Assert.Contains("database-subsidy", checks);
        Assert.Contains("bus", checks);
    }

    private static bool Contains(byte[] haystack, byte[] needle) => haystack.AsSpan().IndexOf(needle) >= 0;
}
