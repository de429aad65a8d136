using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Pmh.Gateway.Participants;
using Pmh.Modules.Participants;
using Pmh.Testing;

namespace Pmh.Benchmarks;

/// <summary>One batch of N certificates through the API: time until the hub answers 202, and until all are queryable.</summary>
internal static class PublishBenchmark
{
    /// <param name="kind"><c>subsidy</c> (certificates) or <c>vaccination</c> (register records).</param>
    /// <param name="batchRows">Rows per published batch; the batches are posted one after another, each as soon as the hub answered 202 for the one before.</param>
    public static async Task<(string Line, double RowsPerSecond)> RunAsync(string storage, int rows, int partRows, string kind = "subsidy", int? batchRows = null)
    {
        var perBatch = Math.Min(rows, batchRows ?? rows);
        var batches = (rows + perBatch - 1) / perBatch;
        var path = kind switch { "vaccination" => "vaccination-records", "pregnancies" => "pregnancies", _ => "subsidy-certificates" };
        Console.WriteLine($"publishing {rows} {kind} rows in {batches} batch(es) of up to {perBatch} to a hub on {storage}...");
        await using var hub = await HubProcess.StartAsync(storage, new Dictionary<string, string>
        {
            ["Pmh__Gateway__BatchPartRows"] = partRows.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Pmh__Gateway__MaxBatchRows"] = Math.Max(1_000_000, perBatch).ToString(System.Globalization.CultureInfo.InvariantCulture),
            // A batch of 10,000,000 rows takes longer to apply than the default deadline of 30 minutes on a busy machine.
            ["Pmh__Gateway__BatchDeadline"] = "04:00:00",
        });
        var http = hub.Http;
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", MunicipalityKey);

        var building = TimeSpan.Zero;
        var posted = Stopwatch.StartNew();
        var lastAccepted = TimeSpan.Zero;
        var batchIds = new List<string>();
        for (var b = 0; b < batches; b++)
        {
            var batchId = $"bench-{b + 1}";
            var first = b * perBatch;
            var count = Math.Min(perBatch, rows - first);
            HttpContent content;
            if (count > StreamAbove)
            {
                // Larger than one array can hold: written as it is sent (the generator's time counts as the hub's here).
                content = new GeneratedBatchContent(kind, first, count, batchId);
            }
            else
            {
                var built = Stopwatch.StartNew();
                var body = kind switch
                {
                    "vaccination" => BuildVaccinationBatch(first, count, batchId),
                    "pregnancies" => BuildPregnancyBatch(first, count, batchId),
                    _ => BuildBatch(Enumerable.Range(first, count).ToList(), batchId),
                };
                building += built.Elapsed;
                content = new ByteArrayContent(body);
            }

            content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            var response = await http.PostAsync($"/api/v1/municipalities/{TestData.Chiyoda}/{path}", content);
            if (!response.IsSuccessStatusCode)
            {
                throw new InvalidOperationException($"publish failed: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            }

            lastAccepted = posted.Elapsed - building;
            batchIds.Add(batchId);
        }

        var stored = 0;
        var statuses = new List<string>();
        foreach (var batchId in batchIds)
        {
            JsonObject batch;
            while ((string?)(batch = (await http.GetFromJsonAsync<JsonObject>($"/api/v1/batches/{batchId}"))!)["status"] == "accepted")
            {
                await Task.Delay(20);
            }

            stored += (int?)batch["acceptedCount"] ?? 0;
            statuses.Add((string)batch["status"]!);
        }

        // The load generator's own time building the JSON bodies is not the hub's.
        var elapsed = posted.Elapsed - building;
        return (HubProcess.Format(
            $"publish {kind,-11} {storage,-8} {batches} batch(es) of {perBatch} | start to /health/ready {hub.StartToReady.TotalSeconds:F2} s | last POST answered 202 after {lastAccepted.TotalSeconds:F2} s | {stored} rows stored and queryable after {elapsed.TotalSeconds:F2} s = {stored / elapsed.TotalSeconds:F0} rows/s | status {string.Join(",", statuses.Distinct())} | hub peak working set {hub.DescribeMemory()}"), stored / elapsed.TotalSeconds);
    }

    public static string MunicipalityKey => DemoParticipants.All.Single(p => p.Participant.Role == ParticipantRole.Municipality).ApiKey;

    /// <summary>Batches of more rows than this are generated while they are sent rather than built first.</summary>
    private const int StreamAbove = 2_000_000;

    private static readonly string[] Vaccines = ["HIB", "PCV", "HEPB", "DPT-IPV", "BCG", "MR"];

    private static JsonObject VaccinationRow(int i) => new()
    {
        ["recordKey"] = $"V-{i:D7}",
        ["myNumber"] = TestData.MyNumber(i / 4),
        ["localPersonId"] = $"A{i / 4:D8}",
        ["vaccine"] = Vaccines[i % Vaccines.Length],
        ["doseNumber"] = 1 + (i % 3),
        ["date"] = "2025-06-01",
        ["lotNumber"] = "LOT" + (i % 97),
        ["institutionCode"] = "1310123458",
        ["programme"] = "routineA",
    };

    private static JsonObject PregnancyRow(int i, DateOnly today) => new()
    {
        ["recordKey"] = $"P-{i:D8}",
        ["myNumber"] = TestData.MyNumber(i),
        ["localPersonId"] = $"A{i:D8}",
        ["dueDate"] = today.AddDays(30 + (i % 200)).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
        ["registrationDate"] = today.AddDays(-100 - (i % 100)).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
    };

    /// <summary>A batch body written row by row as it is sent: the same rows the Build methods make, for any count.</summary>
    private sealed class GeneratedBatchContent(string kind, int first, int count, string batchId) : HttpContent
    {
        protected override async Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context)
        {
            var today = DateOnly.FromDateTime(DateTime.UtcNow);
            var field = kind switch { "vaccination" => "records", "pregnancies" => "pregnancies", _ => "certificates" };
            await using var writer = new System.Text.Json.Utf8JsonWriter(stream);
            writer.WriteStartObject();
            writer.WriteString("batchId", batchId);
            writer.WriteStartArray(field);
            for (var i = first; i < first + count; i++)
            {
                var row = kind switch
                {
                    "vaccination" => VaccinationRow(i),
                    "pregnancies" => PregnancyRow(i, today),
                    _ => TestData.CertificateRow(TestData.MyNumber(i), string.Create(System.Globalization.CultureInfo.InvariantCulture, $"H-{i:D7}")),
                };
                row.WriteTo(writer);
                if (writer.BytesPending > 64 * 1024)
                {
                    await writer.FlushAsync();
                }
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
            await writer.FlushAsync();
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }

    public static byte[] BuildVaccinationBatch(int first, int rows, string batchId)
    {
        string[] vaccines = Vaccines;
        var records = new JsonArray();
        for (var i = first; i < first + rows; i++)
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

        return Encoding.UTF8.GetBytes(new JsonObject { ["batchId"] = batchId, ["records"] = records }.ToJsonString());
    }

    public static byte[] BuildPregnancyBatch(int first, int rows, string batchId)
    {
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var records = new JsonArray();
        for (var i = first; i < first + rows; i++)
        {
            records.Add(new JsonObject
            {
                ["recordKey"] = $"P-{i:D8}",
                ["myNumber"] = TestData.MyNumber(i),
                ["localPersonId"] = $"A{i:D8}",
                ["dueDate"] = today.AddDays(30 + (i % 200)).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
                ["registrationDate"] = today.AddDays(-100 - (i % 100)).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            });
        }

        return Encoding.UTF8.GetBytes(new JsonObject { ["batchId"] = batchId, ["pregnancies"] = records }.ToJsonString());
    }

    public static byte[] BuildBatch(IReadOnlyList<int> seeds, string batchId) => TestData.CertificateBatchJson(seeds, batchId);
}
