using System.Diagnostics;
using System.Security.Cryptography;
using Pmh.Testing;

namespace Pmh.Benchmarks;

/// <summary>
/// Every benchmark in one run, each figure next to its target (issue 8): quick (under 2 minutes, small sizes, short
/// runs) or full (the sizes and durations the targets name).
/// </summary>
internal static class Suite
{
    private sealed record Sizes(
        TimeSpan Warmup, TimeSpan Duration, TimeSpan EchoWarmup, TimeSpan EchoDuration, int BulkRows, string[] BulkStorages,
        int SmallSize, int LargeSize, string[] SizeStorages, TimeSpan SizeWarmup, TimeSpan SizeDuration);

    // Warm-ups are long in full mode: the JIT's tiered compilation of MassTransit, ASP.NET Core and the hub keeps a
    // 2-core machine busy for tens of seconds after a start (the bus echo gave 1,000 round trips/s after 4 s of
    // warm-up and 2,200 after 25 s), and the targets are about a hub that has been running.
    private static readonly Sizes Quick = new(
        TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), 20_000, ["sqlite"],
        10_000, 50_000, ["sqlite"], TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(3));

    private static readonly Sizes Full = new(
        TimeSpan.FromSeconds(45), TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(20), 1_000_000, ["sqlite", "postgres"],
        10_000, 10_000_000, ["sqlite", "postgres"], TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(30));

    public const int Desks = 32;

    public const int SizeDesks = 8;

    /// <summary>Why a set-up cannot run here, or null.</summary>
    public static string? WhyNot(string storage, bool distributed) =>
        (storage == "postgres" ? TestServers.WhyNoPostgres : null) ?? (distributed ? TestServers.WhyNoRabbitMq : null);

    public static async Task RunAsync(bool quick, Action<string> report)
    {
        var sizes = quick ? Quick : Full;
        var verdicts = new List<string>();
        void Target(string what, bool met, string figure, string target) =>
            verdicts.Add($"{(met ? "met    " : "NOT met")}  {what}: {figure} (target {target})");

        var clock = Stopwatch.StartNew();
        var partStarted = TimeSpan.Zero;
        void Took(string part)
        {
            report(HubProcess.Format($"({part} took {(clock.Elapsed - partStarted).TotalSeconds:F0} s)"));
            partStarted = clock.Elapsed;
        }

        report(SigningCost());

        // 1. Reception load, embedded and distributed.
        foreach (var setup in new[] { HubSetup.Embedded, HubSetup.TwoProcessesPostgres, HubSetup.DistributedPostgres })
        {
            if (WhyNot(setup.Storage, setup.Distributed) is { } why)
            {
                report($"reception {setup}: skipped ({why})");
                continue;
            }

            var result = await ReceptionBenchmark.RunAsync(setup, Desks, sizes.Duration, sizes.Warmup);
            report(result.Describe());
            var (minimum, p99) = setup.Distributed ? (600, 100) : (2_000, 25);
            var name = setup.Distributed ? HubProcess.Format($"distributed ({setup.Processes.Count} processes)") : "embedded";
            Target($"{name} reception checks/s", result.ChecksPerSecond >= minimum, HubProcess.Format($"{result.ChecksPerSecond:F0}"), HubProcess.Format($">= {minimum:N0}"));
            Target($"{name} reception p99", result.P(0.99) < p99, HubProcess.Format($"{result.P(0.99):F1} ms"), HubProcess.Format($"< {p99} ms"));
            if (!setup.Distributed)
            {
                Target("hub memory during the reception load", result.PeakTotalMiB < 400, result.Memory, "< 400 MB");
                Target("embedded hub CPU per check", result.CpuPerCheckMs <= 0.6, HubProcess.Format($"{result.CpuPerCheckMs:F2} ms"), "<= 0.6 ms");

                // The raw baseline right after, on the same kind of files, with the same desks (issue 16).
                var (raw, faithfulness) = await RawReception.RunAsync(Desks, sizes.Duration, sizes.Warmup);
                report(faithfulness);
                report(raw.Describe());
                var (line, ratio) = RawReception.Compare(result, raw);
                report(line);
                Target("embedded hub / raw baseline checks/s", ratio >= 0.7, HubProcess.Format($"{ratio:F2}"), ">= 0.70");
            }
        }

        Took("reception");

        // 2. Bus round trips against the raw broker.
        if (TestServers.WhyNoRabbitMq is { } noBroker)
        {
            report($"bus echo: skipped ({noBroker})");
        }
        else
        {
            var (line, ratio) = await BusEchoBenchmark.RunAsync(TestServers.RabbitMq, Desks, sizes.EchoDuration, sizes.EchoWarmup);
            report(line);
            Target("bus round trips / raw broker round trips", ratio >= 0.5, HubProcess.Format($"{ratio:F2}"), ">= 0.50");
        }

        Took("bus echo");

        // 3. Bulk publishing against the raw-load baseline.
        foreach (var storage in sizes.BulkStorages)
        {
            if (WhyNot(storage, distributed: false) is { } why)
            {
                report($"bulk publishing {storage}: skipped ({why})");
                continue;
            }

            var (line, perSecond) = await PublishBenchmark.RunAsync(storage, sizes.BulkRows, partRows: 2_000, "subsidy", batchRows: 100_000);
            report(line);
            var (rawLine, rawPerSecond) = await RawCertificateLoad.RunAsync(storage, sizes.BulkRows);
            report(rawLine);
            Target($"bulk publishing {storage} certificates/s", perSecond >= 50_000, HubProcess.Format($"{perSecond:F0}"), ">= 50,000");
            Target($"bulk publishing {storage} / raw load", perSecond / rawPerSecond >= 0.5, HubProcess.Format($"{perSecond / rawPerSecond:F2}"), ">= 0.50");
        }

        Took("bulk publishing");

        // 4. Lookup latency against the number of stored certificates.
        foreach (var storage in sizes.SizeStorages)
        {
            if (WhyNot(storage, distributed: false) is { } why)
            {
                report($"data size {storage}: skipped ({why})");
                continue;
            }

            var small = await StorageBenchmarks.LookupAtSizeAsync(storage, sizes.SmallSize, SizeDesks, sizes.SizeDuration, sizes.SizeWarmup);
            var large = await StorageBenchmarks.LookupAtSizeAsync(storage, sizes.LargeSize, SizeDesks, sizes.SizeDuration, sizes.SizeWarmup);
            foreach (var (size, result) in new[] { (sizes.SmallSize, small), (sizes.LargeSize, large) })
            {
                report(HubProcess.Format(
                    $"data size {storage} {size:N0} certificates, {SizeDesks} desks, subsidy only: subsidy lookup p50 {result.LookupP("subsidy", 0.5):F2} ms, p99 {result.LookupP("subsidy", 0.99):F2} ms | whole check p99 {result.P(0.99):F1} ms, {result.ChecksPerSecond:F0} checks/s, {result.Errors} errors"));
            }

            var ratio = large.LookupP("subsidy", 0.99) / small.LookupP("subsidy", 0.99);
            Target(
                HubProcess.Format($"lookup p99 {storage} at {sizes.LargeSize:N0} / at {sizes.SmallSize:N0}"),
                ratio <= 1.5,
                HubProcess.Format($"{ratio:F2} ({large.LookupP("subsidy", 0.99):F2} ms / {small.LookupP("subsidy", 0.99):F2} ms)"),
                "<= 1.50");
        }

        Took("data size");
        report(HubProcess.Format($"suite ({(quick ? "quick" : "full")}) took {clock.Elapsed.TotalMinutes:F1} minutes"));
        report("");
        report("targets:");
        verdicts.ForEach(report);
    }

    /// <summary>What the load generator's real RSA-2048 card signatures cost this machine, before the hub does anything.</summary>
    private static string SigningCost()
    {
        using var key = RSA.Create(2048);
        var nonce = RandomNumberGenerator.GetBytes(32);
        for (var i = 0; i < 50; i++)
        {
            key.SignData(nonce, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        }

        const int Signatures = 500;
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < Signatures; i++)
        {
            key.SignData(nonce, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        }

        var perSignature = clock.Elapsed.TotalMilliseconds / Signatures;
        return HubProcess.Format(
            $"load generator: one RSA-2048 card signature costs {perSignature:F2} ms of one core; 2,000 checks/s would spend {2_000 * perSignature / 1_000 / Environment.ProcessorCount:P0} of this machine's {Environment.ProcessorCount} cores on signatures alone");
    }
}
