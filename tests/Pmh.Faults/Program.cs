using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using Npgsql;
using Pmh.Faults;
using Pmh.Testing;

// The fault suite (infra/faults.sh runs it; README "Fault suite"). Usage:
//   dotnet tests/Pmh.Faults/bin/Release/net10.0/Pmh.Faults.dll [--only N[,N...]]
// Environment: PMH_FAULTS_RABBITMQ (the broker URL with the suite's own vhost), PMH_FAULTS_RABBITMQ_MANAGEMENT (its
// management API, for the operator's dead-letter endpoints), PMH_TEST_POSTGRES (a superuser on the
// PostgreSQL server: the suite makes its own databases and drops them), PMH_FAULTS_INFRA (the infra/ folder whose
// rabbitmq.sh and postgres.sh stop and start those servers), PMH_FAULTS_LOGS (where the hub processes' logs go).
// Prints the counts of each scenario, a PASS or FAIL line with the reason, and last "faults: N passed, N failed";
// exits 1 when a scenario failed.

// infra/cluster.sh: the cluster run instead of the six scenarios (ClusterRun.cs). PMH_FAULTS_RABBITMQ names node 1 (the
// one killed), PMH_CLUSTER_NODES the others (host:port, comma-separated), PMH_CLUSTER_MANAGEMENT their management APIs.
if (args is ["--cluster"])
{
    static IReadOnlyList<string> List(string name) =>
        (Environment.GetEnvironmentVariable(name) ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    var nodes = List("PMH_CLUSTER_NODES");
    var managements = List("PMH_CLUSTER_MANAGEMENT");
    if (Environment.GetEnvironmentVariable("PMH_FAULTS_RABBITMQ") is not { Length: > 0 } first || nodes.Count == 0 || managements.Count == 0
        || Environment.GetEnvironmentVariable("PMH_FAULTS_INFRA") is not { Length: > 0 } infraFolder)
    {
        Console.Error.WriteLine("PMH_FAULTS_RABBITMQ, PMH_CLUSTER_NODES, PMH_CLUSTER_MANAGEMENT and PMH_FAULTS_INFRA must be set (infra/cluster.sh sets them)");
        Console.WriteLine("cluster: 0 passed, 4 failed");
        return 2;
    }

    return await ClusterRun.RunAsync(
        first,
        Environment.GetEnvironmentVariable("PMH_FAULTS_RABBITMQ_MANAGEMENT") ?? managements[0],
        nodes,
        managements,
        infraFolder,
        Environment.GetEnvironmentVariable("PMH_FAULTS_LOGS") is { Length: > 0 } clusterLogs ? clusterLogs : Path.Combine(Path.GetTempPath(), "pmh-cluster-logs"));
}

var only = new HashSet<int>();
for (var i = 0; i < args.Length; i++)
{
    if (args[i] == "--only" && i + 1 < args.Length)
    {
        foreach (var n in args[++i].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            only.Add(int.Parse(n, CultureInfo.InvariantCulture));
        }
    }
    else
    {
        Console.Error.WriteLine("usage: Pmh.Faults [--only N[,N...]]");
        return 2;
    }
}

var selected = Scenarios.All.Where(s => only.Count == 0 || only.Contains(s.Number)).ToList();
if (selected.Count == 0)
{
    Console.Error.WriteLine($"--only: no such scenario (1-{Scenarios.All.Count})");
    return 2;
}

var rabbitMq = Environment.GetEnvironmentVariable("PMH_FAULTS_RABBITMQ") is { Length: > 0 } mq ? mq : null;
var management = Environment.GetEnvironmentVariable("PMH_FAULTS_RABBITMQ_MANAGEMENT") is { Length: > 0 } m ? m : null;
var infra = Environment.GetEnvironmentVariable("PMH_FAULTS_INFRA") is { Length: > 0 } dir ? dir : null;
var logs = Environment.GetEnvironmentVariable("PMH_FAULTS_LOGS") is { Length: > 0 } l ? l : Path.Combine(Path.GetTempPath(), "pmh-faults-logs");
if (rabbitMq is null || infra is null)
{
    Console.Error.WriteLine("PMH_FAULTS_RABBITMQ and PMH_FAULTS_INFRA must be set (infra/faults.sh sets them)");
    return 2;
}

var total = Stopwatch.StartNew();
var pg = new NpgsqlConnectionStringBuilder(TestServers.Postgres);
Console.WriteLine(FaultSuite.F($"fault suite: distributed hub ({string.Join(" | ", FaultSuite.Layout)}), RabbitMQ {new Uri(rabbitMq).Host}:{new Uri(rabbitMq).Port} vhost {new Uri(rabbitMq).AbsolutePath.TrimStart('/')}, PostgreSQL {pg.Host}:{pg.Port}; process logs in {logs}"));
var results = new List<ScenarioResult>();
FaultSuite? suite = null;

// Stopped from outside (faults.sh's timeout, Ctrl-C): the hub's processes must not outlive the suite.
void KillHub(PosixSignalContext context) => suite?.Hub.StopAsync().GetAwaiter().GetResult();
using var onTerm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, KillHub);
using var onInt = PosixSignalRegistration.Create(PosixSignal.SIGINT, KillHub);
try
{
    suite = await FaultSuite.StartAsync(rabbitMq, management, infra, logs);
    Console.WriteLine(FaultSuite.F($"hub ready in {suite.Hub.StartToReady.TotalSeconds:F1} s; {FaultSuite.Desks} desk cards registered and their certificates published ({total.Elapsed.TotalSeconds:F0} s)"));
}
catch (Exception e) when (e is InvalidOperationException or HttpRequestException or NpgsqlException or IOException)
{
    Console.WriteLine($"the hub did not start: {e.Message}");
    results.AddRange(selected.Select(s => new ScenarioResult(s.Number, s.Name, false, "the hub did not start: " + e.Message)));
}

if (suite is not null)
{
    await using (suite)
    {
        foreach (var (number, name, run) in selected)
        {
            Console.WriteLine();
            Console.WriteLine($"[{number}] {name}");
            var clock = Stopwatch.StartNew();
            ScenarioResult result;
            try
            {
                result = await suite.HealAsync() is { } notReady
                    ? new ScenarioResult(number, name, false, notReady)
                    : await run(suite);
            }
#pragma warning disable CA1031 // One scenario's crash is its FAIL, reported with the reason; the others still run.
            catch (Exception e)
#pragma warning restore CA1031
            {
                result = new ScenarioResult(number, name, false, $"the scenario itself failed: {e.GetType().Name}: {e.Message}");
            }

            results.Add(result);
            Console.WriteLine(FaultSuite.F($"[{number}] {(result.Passed ? "PASS" : "FAIL")} ({clock.Elapsed.TotalSeconds:F0} s): {result.Reason}"));
        }

        // Leave the servers as the suite found them: up.
        try
        {
            await suite.HealAsync();
        }
        catch (InvalidOperationException e)
        {
            Console.WriteLine($"after the suite: {e.Message}");
        }
    }
}

Console.WriteLine();
Console.WriteLine(FaultSuite.F($"fault suite took {total.Elapsed.TotalMinutes:F1} minutes"));
var passed = results.Count(r => r.Passed);
var failed = results.Count - passed;
Console.WriteLine(FaultSuite.F($"faults: {passed} passed, {failed} failed"));
return failed == 0 ? 0 : 1;
