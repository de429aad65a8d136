using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Pmh.Gateway.Participants;
using Pmh.Testing;

// Benchmarks print figures; they never assert. Usage:
//   dotnet run -c Release --project tests/Pmh.Benchmarks -- publish [--rows 100000] [--storage sqlite,postgres]
// PostgreSQL comes from PMH_TEST_POSTGRES (default: the infra script's loopback server).

var options = Options.Parse(args);
if (options.Command != "publish")
{
    Console.Error.WriteLine("usage: publish [--rows N] [--storage sqlite,postgres] [--parts-rows N]");
    return 2;
}

var hostDll = Path.Combine(AppContext.BaseDirectory, "Pmh.Host.dll");
var report = new StringBuilder();
report.AppendLine(CultureInfo.InvariantCulture, $"PMH Hub publish benchmark, {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, {options.Rows} certificates in one batch");

Console.WriteLine($"building a batch of {options.Rows} rows...");
var body = BuildBatch(options.Rows);
Console.WriteLine($"batch body: {body.Length / 1024.0 / 1024.0:F1} MiB");

foreach (var storage in options.Storages)
{
    if (storage == "postgres" && TestServers.WhyNoPostgres is { } why)
    {
        report.AppendLine(CultureInfo.InvariantCulture, $"postgres: skipped ({why})");
        continue;
    }

    var result = await RunAsync(hostDll, storage, body, options);
    report.AppendLine(result);
    Console.WriteLine(result);
}

Console.WriteLine();
Console.WriteLine(report);
var resultsFolder = Path.Combine(Environment.CurrentDirectory, "benchmark-results");
Directory.CreateDirectory(resultsFolder);
var file = Path.Combine(resultsFolder, $"publish-{DateTimeOffset.UtcNow:yyyyMMdd-HHmmss}.txt");
await File.WriteAllTextAsync(file, report.ToString());
Console.WriteLine($"results written to {file}");
return 0;

static async Task<string> RunAsync(string hostDll, string storage, byte[] body, Options options)
{
    var dataFolder = Path.Combine(Path.GetTempPath(), "pmh-bench", Guid.NewGuid().ToString("N"));
    var port = 5190 + Random.Shared.Next(0, 500);
    var environment = new Dictionary<string, string>
    {
        ["ASPNETCORE_ENVIRONMENT"] = "Development",
        ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}",
        ["Pmh__Storage__DataFolder"] = dataFolder,
        ["Pmh__Gateway__BatchPartRows"] = options.PartRows.ToString(CultureInfo.InvariantCulture),
        ["Logging__LogLevel__Default"] = "Warning",
    };
    var databases = new List<string>();
    if (storage == "postgres")
    {
        environment["Pmh__Storage__Provider"] = "PostgreSql";
        foreach (var name in new[] { "Gateway", "Subsidy" })
        {
            var cs = TestServers.NewPostgresDatabase("pmh_bench_" + name.ToLowerInvariant());
            environment[$"ConnectionStrings__{name}"] = cs;
            databases.Add(cs);
        }
    }

    var start = new ProcessStartInfo("dotnet", [hostDll]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
    foreach (var (key, value) in environment)
    {
        start.Environment[key] = value;
    }

    using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromMinutes(10) };
    var clock = Stopwatch.StartNew();
    using var host = Process.Start(start)!;
    host.OutputDataReceived += (_, _) => { };
    host.ErrorDataReceived += (_, e) => { if (e.Data is not null) Console.Error.WriteLine("host: " + e.Data); };
    host.BeginOutputReadLine();
    host.BeginErrorReadLine();
    try
    {
        while (true)
        {
            try
            {
                if ((await http.GetAsync("/health/ready")).IsSuccessStatusCode)
                {
                    break;
                }
            }
            catch (HttpRequestException)
            {
            }

            if (clock.Elapsed > TimeSpan.FromSeconds(60) || host.HasExited)
            {
                throw new InvalidOperationException("the hub did not become ready within 60 s");
            }

            await Task.Delay(10);
        }

        var ready = clock.Elapsed;
        var key = DemoParticipants.All.Single(p => p.Participant.Role == ParticipantRole.Municipality).ApiKey;
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);

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
        while (true)
        {
            batch = (await http.GetFromJsonAsync<JsonObject>("/api/v1/batches/bench-1"))!;
            if ((string?)batch["status"] != "accepted")
            {
                break;
            }

            await Task.Delay(20);
        }

        var stored = posted.Elapsed;
        host.Refresh();
        var acceptedCount = (int?)batch["acceptedCount"] ?? 0;
        return string.Create(CultureInfo.InvariantCulture,
            $"{storage,-9} start to /health/ready {ready.TotalSeconds:F2} s | POST answered 202 after {accepted.TotalSeconds:F2} s | " +
            $"{acceptedCount} certificates stored and queryable after {stored.TotalSeconds:F2} s = {acceptedCount / stored.TotalSeconds:F0} certificates/s " +
            $"| status {batch["status"]} | hub peak working set {host.PeakWorkingSet64 / 1024 / 1024} MiB");
    }
    finally
    {
        host.Kill(entireProcessTree: true);
        await host.WaitForExitAsync();
        foreach (var cs in databases)
        {
            TestServers.DropPostgresDatabases(cs);
        }

        try
        {
            Directory.Delete(dataFolder, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

static byte[] BuildBatch(int rows)
{
    var certificates = new JsonArray();
    for (var i = 0; i < rows; i++)
    {
        certificates.Add(TestData.CertificateRow(TestData.MyNumber(i), $"H-{i:D7}"));
    }

    return Encoding.UTF8.GetBytes(new JsonObject { ["batchId"] = "bench-1", ["certificates"] = certificates }.ToJsonString());
}

internal sealed record Options(string Command, int Rows, IReadOnlyList<string> Storages, int PartRows)
{
    public static Options Parse(string[] args)
    {
        var command = args.FirstOrDefault() ?? "publish";
        var rows = 100_000;
        var storages = new[] { "sqlite", "postgres" };
        var partRows = 2_000;
        for (var i = 1; i < args.Length - 1; i += 2)
        {
            switch (args[i])
            {
                case "--rows": rows = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                case "--storage": storages = args[i + 1].Split(','); break;
                case "--parts-rows": partRows = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                default: throw new ArgumentException($"unknown option {args[i]}");
            }
        }

        return new Options(command, rows, storages, partRows);
    }
}
