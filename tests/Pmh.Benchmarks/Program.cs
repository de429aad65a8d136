using System.Globalization;
using System.Text;
using Pmh.Benchmarks;
using Pmh.Testing;

// Benchmarks print figures and write them to benchmark-results/; they never assert. Usage:
//   dotnet run -c Release --project tests/Pmh.Benchmarks -- suite     [--mode quick|full]   (everything, against the targets; README "Benchmark results")
//   dotnet run -c Release --project tests/Pmh.Benchmarks -- reception [--desks 32] [--seconds 30] [--warmup 15] [--storage sqlite] [--distributed no|yes] [--topology six|two]   (distributed: six processes, or two: gateway+identity+audit and the lookups)
//   dotnet run -c Release --project tests/Pmh.Benchmarks -- rawreception [--desks 32] [--seconds 30] [--warmup 15] [--hub no|yes]   (the raw reception baseline; with --hub yes the embedded hub's load first, and hub ÷ raw)
//   dotnet run -c Release --project tests/Pmh.Benchmarks -- echo      [--concurrency 32] [--seconds 10] [--warmup 3]   (bus round trips, raw vs the hub's bus)
//   dotnet run -c Release --project tests/Pmh.Benchmarks -- publish   [--rows 100000] [--batch-rows N] [--storage sqlite,postgres] [--parts-rows 2000]
//   dotnet run -c Release --project tests/Pmh.Benchmarks -- publish   … --raw yes   (and the raw load of the same rows in the same run: hub ÷ raw)
//   dotnet run -c Release --project tests/Pmh.Benchmarks -- register  [--rows 100000] [--storage sqlite,postgres]   (vaccination register upload)
//   dotnet run -c Release --project tests/Pmh.Benchmarks -- pregnancies [--rows 100000] [--storage sqlite,postgres]   (pregnancy register upload)
//   dotnet run -c Release --project tests/Pmh.Benchmarks -- rawload   [--rows 100000] [--storage sqlite,postgres]   (the raw-load baseline alone)
//   dotnet run -c Release --project tests/Pmh.Benchmarks -- badinput  [--requests 20000] [--in-flight 8] [--settle 30] [--env NAME=VALUE,…]   (hub memory under malformed and hostile requests)
//   dotnet run -c Release --project tests/Pmh.Benchmarks -- claim     [--doses 100000] [--storage sqlite,postgres]   (a month's vaccination claim closed, decided and exported)
//   dotnet run -c Release --project tests/Pmh.Benchmarks -- datasize  [--rows 10000,10000000] [--storage sqlite] [--desks 8] [--seconds 20]
// PostgreSQL comes from PMH_TEST_POSTGRES, RabbitMQ from PMH_TEST_RABBITMQ (default: the infra scripts' loopback servers).

var command = args.FirstOrDefault();
var options = ParseOptions(args.Skip(1).ToArray());
string Option(string name, string fallback) => options.TryGetValue(name, out var value) ? value : fallback;
int IntOption(string name, int fallback) => int.Parse(Option(name, fallback.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);
TimeSpan Seconds(string name, int fallback) => TimeSpan.FromSeconds(IntOption(name, fallback));

// The raw reception baseline's server, started by the rawreception benchmark as a child process on a hub's files.
if (command == "rawserver")
{
    return await RawReceptionServer.RunAsync(Option("--data", ""), IntOption("--port", 0));
}

if (command is not ("suite" or "publish" or "register" or "pregnancies" or "reception" or "rawreception" or "echo" or "rawload" or "datasize" or "badinput" or "claim"))
{
    Console.Error.WriteLine("usage: suite [--mode quick|full] | reception | rawreception | echo | publish | register | pregnancies | rawload | datasize | badinput | claim (options: see tests/Pmh.Benchmarks/Program.cs)");
    return 2;
}

var report = new StringBuilder();
void Report(string line)
{
    Console.WriteLine(line);
    report.AppendLine(line);
}

Report(HubProcess.Format($"PMH Hub {command} benchmark{(command == "suite" ? $" ({Option("--mode", "full")})" : "")}, {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, {Environment.OSVersion}, .NET {Environment.Version}"));
var storages = Option("--storage", command is "reception" or "datasize" ? "sqlite" : "sqlite,postgres").Split(',');
switch (command)
{
    case "suite":
        await Suite.RunAsync(Option("--mode", "full") == "quick", Report);
        break;
    case "badinput":
        Report(await BadInputBenchmark.RunAsync(
            IntOption("--requests", 20_000),
            IntOption("--in-flight", 8),
            Seconds("--settle", 30),
            Option("--env", "").Split(',', StringSplitOptions.RemoveEmptyEntries).Select(e => e.Split('=', 2)).ToDictionary(e => e[0], e => e[1]),
            Console.WriteLine));
        break;
    case "rawreception":
        // --hub yes: the embedded hub's load first, as the suite runs it, and hub ÷ raw.
        var hubFirst = Option("--hub", "no") == "yes"
            ? await ReceptionBenchmark.RunAsync(HubSetup.Embedded, IntOption("--desks", 32), Seconds("--seconds", 30), Seconds("--warmup", 15))
            : null;
        if (hubFirst is not null)
        {
            Report(hubFirst.Describe());
        }

        var (raw, faithfulness) = await RawReception.RunAsync(IntOption("--desks", 32), Seconds("--seconds", 30), Seconds("--warmup", 15));
        Report(faithfulness);
        Report(raw.Describe());
        if (hubFirst is not null)
        {
            Report(RawReception.Compare(hubFirst, raw).Line);
        }

        break;
    case "echo":
        Report(TestServers.WhyNoRabbitMq is { } noBroker
            ? $"bus echo: skipped ({noBroker})"
            : (await BusEchoBenchmark.RunAsync(TestServers.RabbitMq, IntOption("--concurrency", 32), Seconds("--seconds", 10), Seconds("--warmup", 3))).Line);
        break;
    default:
        foreach (var storage in storages)
        {
            if (Suite.WhyNot(storage, distributed: Option("--distributed", "no") == "yes") is { } why)
            {
                Report($"{command} {storage}: skipped ({why})");
                continue;
            }

            switch (command)
            {
                case "reception":
                    var setup = Option("--distributed", "no") == "yes"
                        ? HubSetup.DistributedTopology(Option("--topology", "six"), storage)
                        : new HubSetup(storage, Distributed: false);
                    Report((await ReceptionBenchmark.RunAsync(setup, IntOption("--desks", 32), Seconds("--seconds", 30), Seconds("--warmup", 15))).Describe());
                    break;
                case "claim":
                    Report(await ClaimBenchmark.RunAsync(storage, IntOption("--doses", 100_000)));
                    break;
                case "rawload":
                    Report((await RawCertificateLoad.RunAsync(storage, IntOption("--rows", 100_000))).Line);
                    break;
                case "datasize":
                    foreach (var size in Option("--rows", "10000,10000000").Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)))
                    {
                        var result = await StorageBenchmarks.LookupAtSizeAsync(storage, size, IntOption("--desks", 8), Seconds("--seconds", 20), Seconds("--warmup", 10));
                        Report(HubProcess.Format($"data size {storage} {size:N0} certificates: subsidy lookup p50 {result.LookupP("subsidy", 0.5):F2} ms, p99 {result.LookupP("subsidy", 0.99):F2} ms | {result.Describe()}"));
                    }

                    break;
                default:
                    var (publishLine, published) = await PublishBenchmark.RunAsync(
                        storage,
                        IntOption("--rows", 100_000),
                        IntOption("--parts-rows", 2_000),
                        command switch { "register" => "vaccination", "pregnancies" => "pregnancies", _ => "subsidy" },
                        options.ContainsKey("--batch-rows") ? IntOption("--batch-rows", 100_000) : null);
                    Report(publishLine);
                    if (command == "publish" && Option("--raw", "no") == "yes")
                    {
                        // The raw load of the same rows in the same run, and the hub's share of it.
                        var (rawLine, rawPerSecond) = await RawCertificateLoad.RunAsync(storage, IntOption("--rows", 100_000));
                        Report(rawLine);
                        Report(HubProcess.Format($"publish {storage}: hub {published:F0}/s ÷ raw {rawPerSecond:F0}/s = {published / rawPerSecond:F2}"));
                    }

                    break;
            }
        }

        break;
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
