using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Pmh.Gateway.Participants;
using Pmh.Testing;

namespace Pmh.Benchmarks;

/// <summary>One batch of N certificates through the API: time until the hub answers 202, and until all are queryable.</summary>
internal static class PublishBenchmark
{
    public static async Task<string> RunAsync(string storage, int rows, int partRows)
    {
        Console.WriteLine($"building a batch of {rows} rows...");
        var body = BuildBatch(rows);
        Console.WriteLine($"batch body: {body.Length / 1024.0 / 1024.0:F1} MiB; starting the hub on {storage}...");
        await using var hub = await HubProcess.StartAsync(storage, new Dictionary<string, string>
        {
            ["Pmh__Gateway__BatchPartRows"] = partRows.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        var http = hub.Http;
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", MunicipalityKey);

        var posted = Stopwatch.StartNew();
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        var response = await http.PostAsync($"/api/v1/municipalities/{TestData.Chiyoda}/subsidy-certificates", content);
        var accepted = posted.Elapsed;
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"publish failed: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }

        JsonObject batch;
        while ((string?)(batch = (await http.GetFromJsonAsync<JsonObject>("/api/v1/batches/bench-1"))!)["status"] == "accepted")
        {
            await Task.Delay(20);
        }

        var stored = posted.Elapsed;
        var count = (int?)batch["acceptedCount"] ?? 0;
        return HubProcess.Format(
            $"publish  {storage,-8} start to /health/ready {hub.StartToReady.TotalSeconds:F2} s | POST answered 202 after {accepted.TotalSeconds:F2} s | {count} certificates stored and queryable after {stored.TotalSeconds:F2} s = {count / stored.TotalSeconds:F0} certificates/s | status {batch["status"]} | hub peak working set {hub.PeakWorkingSetMiB} MiB");
    }

    public static string MunicipalityKey => DemoParticipants.All.Single(p => p.Participant.Role == ParticipantRole.Municipality).ApiKey;

    public static byte[] BuildBatch(int rows, int firstSeed = 0, string batchId = "bench-1")
    {
        var certificates = new JsonArray();
        for (var i = 0; i < rows; i++)
        {
            certificates.Add(TestData.CertificateRow(TestData.MyNumber(firstSeed + i), $"H-{firstSeed + i:D7}"));
        }

        return Encoding.UTF8.GetBytes(new JsonObject { ["batchId"] = batchId, ["certificates"] = certificates }.ToJsonString());
    }
}
