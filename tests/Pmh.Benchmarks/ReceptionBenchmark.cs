using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Pmh.Gateway.Participants;
using Pmh.Modules.Participants;
using Pmh.Identity.Simulator;
using Pmh.Testing;

namespace Pmh.Benchmarks;

/// <summary>What one load run measured.</summary>
internal sealed record LoadResult(
    string Setup,
    int Desks,
    TimeSpan Measured,
    TimeSpan Warmup,
    double[] Latencies,
    int Errors,
    double VerifyShare,
    double MeanVerifyMs,
    IReadOnlyDictionary<string, double[]> LookupMs,
    string Memory,
    long PeakTotalMiB,
    double CpuPerCheckMs = double.NaN)
{
    public double ChecksPerSecond => Latencies.Length / Measured.TotalSeconds;

    public double P(double q) => Percentile(Latencies, q);

    public double LookupP(string kind, double q) => LookupMs.TryGetValue(kind, out var values) ? Percentile(values, q) : double.NaN;

    /// <summary>Nearest-rank percentile of sorted values.</summary>
    public static double Percentile(double[] sorted, double q) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(q * sorted.Length) - 1, 0, sorted.Length - 1)];

    public string Describe() => HubProcess.Format(
        $"reception {Setup}, {Desks} desks, {Measured.TotalSeconds:F0} s after {Warmup.TotalSeconds:F0} s warm-up: {ChecksPerSecond:F0} checks/s | latency (challenge + signature + check) p50 {P(0.50):F1} ms, p95 {P(0.95):F1} ms, p99 {P(0.99):F1} ms, max {Latencies.LastOrDefault():F1} ms | {Errors} errors | card verification {VerifyShare:P0} of the time (mean {MeanVerifyMs:F2} ms) | lookups p99 {string.Join(", ", LookupMs.Keys.Order(StringComparer.Ordinal).Select(k => HubProcess.Format($"{k} {LookupP(k, 0.99):F1} ms")))} | server CPU {CpuPerCheckMs:F2} ms per check ({CpuPerCheckMs * ChecksPerSecond / 1000:F2} cores) | server peak working set {Memory}");
}

/// <summary>
/// What a load runs against: the server's address, its peak memory, and the CPU time its processes have used so far
/// (read at the start and the end of the measured window: CPU per check is the difference over the checks measured).
/// </summary>
internal sealed record LoadTarget(string Setup, Uri BaseAddress, Func<string> Memory, Func<long> PeakTotalMiB, Func<TimeSpan> CpuTime)
{
    /// <summary>The hub: its processes are this process's children running Pmh.Host.dll.</summary>
    public static LoadTarget Of(HubProcess hub) =>
        new(hub.Setup.ToString(), hub.BaseAddress, hub.DescribeMemory, () => hub.PeakWorkingSetMiB().Values.Sum(), () => ChildCpuTime("Pmh.Host.dll"));

    /// <summary>The CPU time (user + system) of this process's running children whose command line names <paramref name="program"/>.</summary>
    public static TimeSpan ChildCpuTime(string program)
    {
        var total = TimeSpan.Zero;
        foreach (var folder in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(folder), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            try
            {
                // /proc/<pid>/stat: "pid (comm) state ppid ..."; the command name may hold spaces, so read after the last ')'.
                var stat = File.ReadAllText(Path.Combine(folder, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                if (int.Parse(fields[1], CultureInfo.InvariantCulture) != Environment.ProcessId
                    || !File.ReadAllText(Path.Combine(folder, "cmdline")).Contains(program, StringComparison.Ordinal))
                {
                    continue;
                }

                using var process = Process.GetProcessById(pid);
                total += process.TotalProcessorTime;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or InvalidOperationException)
            {
                // The process ended meanwhile.
            }
        }

        return total;
    }
}

/// <summary>
/// N desks doing whole reception checks (challenge, real card signature, check) against the hub over HTTP on
/// loopback, for a set time after a warm-up. Each desk has its own card, registered through the card issuer API.
/// </summary>
internal static class ReceptionBenchmark
{
    public static readonly object AllKinds = new { subsidy = true, vaccination = true, maternalChild = true };

    public static readonly object SubsidyOnly = new { subsidy = true, vaccination = false, maternalChild = false };

    /// <summary>The reception load: every kind consented, each desk's holder has a subsidy certificate.</summary>
    public static async Task<LoadResult> RunAsync(HubSetup setup, int desks, TimeSpan duration, TimeSpan warmup)
    {
        await using var hub = await HubProcess.StartAsync(setup);
        var seeds = Enumerable.Range(900_000, desks).ToList();
        var cards = await RegisterCardsAsync(hub, seeds);
        await PublishCertificatesAsync(hub, seeds, "bench-cards");
        try
        {
            return await LoadAsync(hub, cards, AllKinds, duration, warmup);
        }
        finally
        {
            cards.ForEach(c => c.Dispose());
        }
    }

    /// <summary>Runs the desks against a prepared hub and collects what they measured.</summary>
    public static Task<LoadResult> LoadAsync(HubProcess hub, IReadOnlyList<SimulatedCard> cards, object consent, TimeSpan duration, TimeSpan warmup) =>
        LoadAsync(LoadTarget.Of(hub), cards, consent, duration, warmup);

    /// <summary>Runs the desks against a prepared server (the hub, or the raw baseline) and collects what they measured.</summary>
    public static async Task<LoadResult> LoadAsync(LoadTarget target, IReadOnlyList<SimulatedCard> cards, object consent, TimeSpan duration, TimeSpan warmup)
    {
        var clinicKey = DemoParticipants.All.Single(p => p.Participant.Role == ParticipantRole.MedicalInstitution).ApiKey;
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = cards.Count * 2 };
        using var http = new HttpClient(handler) { BaseAddress = target.BaseAddress };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", clinicKey);

        var latencies = new ConcurrentBag<double>();
        var verify = new ConcurrentBag<double>();
        var lookups = new ConcurrentDictionary<string, ConcurrentBag<double>>(StringComparer.Ordinal);
        var errors = 0;
        var measuring = false;
        using var stop = new CancellationTokenSource();
        var desksRunning = cards.Select(card => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var started = Stopwatch.GetTimestamp();
                HttpResponseMessage response;
                try
                {
                    response = await ReceptionDesk.CheckAsync(http, card, consent);
                }
                catch (HttpRequestException)
                {
                    if (Volatile.Read(ref measuring))
                    {
                        Interlocked.Increment(ref errors);
                    }

                    continue;
                }

                var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                if (!Volatile.Read(ref measuring))
                {
                    continue;
                }

                if (!response.IsSuccessStatusCode)
                {
                    Interlocked.Increment(ref errors);
                    continue;
                }

                latencies.Add(elapsed);
                if (response.Headers.TryGetValues("Server-Timing", out var timing))
                {
                    foreach (var (name, value) in Timings(timing.Single()))
                    {
                        if (name == "verify")
                        {
                            verify.Add(value);
                        }
                        else if (name.StartsWith("lookup-", StringComparison.Ordinal))
                        {
                            lookups.GetOrAdd(name["lookup-".Length..], _ => []).Add(value);
                        }
                    }
                }
            }
        })).ToList();

        await Task.Delay(warmup);
        Volatile.Write(ref measuring, true);
        var cpuBefore = target.CpuTime();
        var clock = Stopwatch.StartNew();
        await Task.Delay(duration);
        Volatile.Write(ref measuring, false);
        var measured = clock.Elapsed;
        var cpu = target.CpuTime() - cpuBefore;
        await stop.CancelAsync();
        await Task.WhenAll(desksRunning);

        var sorted = latencies.Order().ToArray();
        return new LoadResult(
            target.Setup,
            cards.Count,
            measured,
            warmup,
            sorted,
            errors,
            sorted.Length == 0 ? 0 : verify.Sum() / sorted.Sum(),
            verify.DefaultIfEmpty().Average(),
            lookups.ToDictionary(l => l.Key, l => l.Value.Order().ToArray(), StringComparer.Ordinal),
            target.Memory(),
            target.PeakTotalMiB(),
            sorted.Length == 0 ? double.NaN : cpu.TotalMilliseconds / sorted.Length);
    }

    /// <summary>Issues a card per seed from the hub's issuer CA and registers it to <c>TestData.MyNumber(seed)</c>.</summary>
    public static Task<List<SimulatedCard>> RegisterCardsAsync(HubProcess hub, IReadOnlyList<int> seeds) =>
        hub.RegisterCardsAsync(seeds, DemoParticipants.All.Single(p => p.Participant.Role == ParticipantRole.CardIssuer).ApiKey);

    /// <summary>Publishes a subsidy certificate for each seed's holder and waits until the batch is applied.</summary>
    public static Task PublishCertificatesAsync(HubProcess hub, IReadOnlyList<int> seeds, string batchId) =>
        hub.PublishCertificatesAsync(seeds, batchId, PublishBenchmark.MunicipalityKey);

    private static IEnumerable<(string Name, double Value)> Timings(string serverTiming)
    {
        foreach (var metric in serverTiming.Split(','))
        {
            var parts = metric.Trim().Split(";dur=");
            if (parts.Length == 2)
            {
                yield return (parts[0], double.Parse(parts[1], CultureInfo.InvariantCulture));
            }
        }
    }
}
