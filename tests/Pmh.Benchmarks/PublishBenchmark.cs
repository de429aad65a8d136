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
    /// <param name="kind"><c>subsidy</c> (certificates) or <c>vaccination</c> (register records).</param>
    public static async Task<string> RunAsync(string storage, int rows, int partRows, string kind = "subsidy")
    {
        Console.WriteLine($"building a batch of {rows} {kind} rows...");
        var body = kind == "vaccination" ? BuildVaccinationBatch(rows) : BuildBatch(rows);
        var path = kind == "vaccination" ? "vaccination-records" : "subsidy-certificates";
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
        var response = await http.PostAsync($"/api/v1/municipalities/{TestData.Chiyoda}/{path}", content);
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
            $"publish {kind,-11} {storage,-8} start to /health/ready {hub.StartToReady.TotalSeconds:F2} s | POST answered 202 after {accepted.TotalSeconds:F2} s | {count} rows stored and queryable after {stored.TotalSeconds:F2} s = {count / stored.TotalSeconds:F0} rows/s | status {batch["status"]} | hub peak working set {hub.PeakWorkingSetMiB} MiB");
    }

    public static string MunicipalityKey => DemoParticipants.All.Single(p => p.Participant.Role == ParticipantRole.Municipality).ApiKey;

    public static byte[] BuildVaccinationBatch(int rows)
    {
        string[] vaccines = ["HIB", "PCV", "HEPB", "DPT-IPV", "BCG", "MR"];
        var records = new JsonArray();
        for (var i = 0; i < rows; i++)
        {
            records.Add(new JsonObject
            {
                ["recordKey"] = $"V-{i:D7}",
                ["myNumber"] = TestData.MyNumber(i / 4),
                ["localPersonId"] = $"A{i / 4:D8}",
                ["vaccine"] = vaccines[i % vaccines.Length],
                ["doseNumber"] = 1 + (i % 3),
                ["date"] = "2025-06-01",
                ["lotNumber"] = "LOT" + (i % 97),
                ["institutionCode"] = "1310123458",
                ["programme"] = "routineA",
            });
        }

        return Encoding.UTF8.GetBytes(new JsonObject { ["batchId"] = "bench-1", ["records"] = records }.ToJsonString());
    }

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
