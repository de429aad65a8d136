using System.Diagnostics;
using System.Net.Http.Headers;
using Pmh.Testing;
using Pmh.Testing.BadInput;

namespace Pmh.Benchmarks;

/// <summary>
/// The generated bad-input run against a hub process on Kestrel (the suite's test runs it in process): the hub's working
/// set before, at its peak, right after, and once it has settled, and what the run found.
/// </summary>
internal static class BadInputBenchmark
{
    public static async Task<string> RunAsync(int requests, int inFlight, TimeSpan settle, IDictionary<string, string> environment, Action<string> progress)
    {
        await using var hub = await HubProcess.StartAsync(new HubSetup("sqlite", Distributed: false) { Development = false }, environment).ConfigureAwait(false);
        var cards = new TestCards(hub.IssuerCa);
        var target = new BadInputTarget(
            key =>
            {
                var client = new HttpClient { BaseAddress = hub.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
                if (key is not null)
                {
                    client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
                }

                return client;
            },
            cards,
            cardsValidFrom: DateTimeOffset.UtcNow.AddHours(-1));
        long Now() => hub.WorkingSetMiB().Values.Sum();
        var idle = Now();
        var session = await BadInputSession.PrepareAsync(target, DateTime.UtcNow.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)).ConfigureAwait(false);
        var clock = Stopwatch.StartNew();
        var report = await BadInputRun.RunAsync(session, requests, inFlight, progress).ConfigureAwait(false);
        var elapsed = clock.Elapsed;
        var after = Now();
        var peak = hub.PeakWorkingSetMiB().Values.Sum();
        var samples = new List<long>();
        var settleClock = Stopwatch.StartNew();
        while (settleClock.Elapsed < settle)
        {
            await Task.Delay(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
            samples.Add(Now());
        }

        var healthy = (await target.ClientFor(null).GetAsync(new Uri("/health/ready", UriKind.Relative)).ConfigureAwait(false)).IsSuccessStatusCode;
        var samplesText = string.Join(" ", samples);
        var last = samples.LastOrDefault(after);
        return HubProcess.Format(
            $"bad input (embedded hub on Kestrel): {report.Cases:N0} generated requests ({report.Requests:N0} in all) in {elapsed.TotalSeconds:F1} s, {report.Failures.Count} failures; working set idle {idle} MiB, peak {peak} MiB, right after {after} MiB, after {settle.TotalSeconds:F0} s {last} MiB (samples {samplesText}); ready afterwards: {(healthy ? "yes" : "NO")}")
            + Environment.NewLine + report.Describe();
    }
}
