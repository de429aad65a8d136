using System.Globalization;
using System.Text;
using Pmh.Benchmarks;
using Pmh.Testing;

// Benchmarks print figures and write them to benchmark-results/; they never assert. Usage:
//   dotnet run -c Release --project tests/Pmh.Benchmarks -- publish   [--rows 100000] [--storage sqlite,postgres] [--parts-rows 2000]
//   dotnet run -c Release --project tests/Pmh.Benchmarks -- register  [--rows 100000] [--storage sqlite,postgres]   (vaccination register upload)
//   dotnet run -c Release --project tests/Pmh.Benchmarks -- reception [--desks 32] [--seconds 30] [--warmup 5] [--storage sqlite]
//   dotnet run -c Release --project tests/Pmh.Benchmarks -- echo      [--concurrency 32] [--seconds 10] [--warmup 3]   (bus round trips, raw vs the hub's bus)
// PostgreSQL comes from PMH_TEST_POSTGRES, RabbitMQ from PMH_TEST_RABBITMQ (default: the infra scripts' loopback servers).

var command = args.FirstOrDefault();
var options = ParseOptions(args.Skip(1).ToArray());
string Option(string name, string fallback) => options.TryGetValue(name, out var value) ? value : fallback;
int IntOption(string name, int fallback) => int.Parse(Option(name, fallback.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);

if (command is not ("publish" or "register" or "reception" or "echo"))
{
    Console.Error.WriteLine("usage: publish|register [--rows N] [--storage sqlite,postgres] [--parts-rows N] | reception [--desks N] [--seconds N] [--warmup N] [--storage sqlite] | echo [--concurrency N] [--seconds N] [--warmup N]");
    return 2;
}

var report = new StringBuilder();
report.AppendLine(CultureInfo.InvariantCulture, $"PMH Hub {command} benchmark, {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, {Environment.OSVersion}");
if (command == "echo")
{
    var line = TestServers.WhyNoRabbitMq is { } why
        ? $"bus echo: skipped ({why})"
        : await BusEchoBenchmark.RunAsync(
            TestServers.RabbitMq, IntOption("--concurrency", 32), TimeSpan.FromSeconds(IntOption("--seconds", 10)), TimeSpan.FromSeconds(IntOption("--warmup", 3)));
    Console.WriteLine(line);
    report.AppendLine(line);
}

var storages = command == "echo" ? [] : Option("--storage", command == "reception" ? "sqlite" : "sqlite,postgres").Split(',');
foreach (var storage in storages)
{
    if (storage == "postgres" && TestServers.WhyNoPostgres is { } why)
    {
        report.AppendLine(CultureInfo.InvariantCulture, $"{storage}: skipped ({why})");
        continue;
    }

    var line = command != "reception"
        ? await PublishBenchmark.RunAsync(storage, IntOption("--rows", 100_000), IntOption("--parts-rows", 2_000), command == "register" ? "vaccination" : "subsidy")
        : (await ReceptionBenchmark.RunAsync(
            new HubSetup(storage, Option("--distributed", "no") == "yes"), IntOption("--desks", 32), TimeSpan.FromSeconds(IntOption("--seconds", 30)), TimeSpan.FromSeconds(IntOption("--warmup", 5)))).Describe();
    Console.WriteLine(line);
    report.AppendLine(line);
}

Console.WriteLine();
Console.Write(report);
var folder = Path.Combine(Environment.CurrentDirectory, "benchmark-results");
Directory.CreateDirectory(folder);
var file = Path.Combine(folder, $"{command}-{DateTimeOffset.UtcNow:yyyyMMdd-HHmmss}.txt");
await File.WriteAllTextAsync(file, report.ToString());
Console.WriteLine($"results written to {file}");
return 0;

static Dictionary<string, string> ParseOptions(string[] args)
{
    var options = new Dictionary<string, string>(StringComparer.Ordinal);
    for (var i = 0; i + 1 < args.Length; i += 2)
    {
        options[args[i]] = args[i + 1];
    }

    return options;
}
