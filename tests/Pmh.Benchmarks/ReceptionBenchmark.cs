using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using Pmh.Gateway.Participants;
using Pmh.Identity.Simulator;
using Pmh.Testing;

namespace Pmh.Benchmarks;

/// <summary>
/// N desks doing whole reception checks (challenge, real card signature, check with every kind consented) against
/// the hub over HTTP on loopback, for a set time after a warm-up. Each desk has its own card, registered through the
/// card issuer API and holding a subsidy certificate, so every check verifies a card and finds a certificate.
/// </summary>
internal static class ReceptionBenchmark
{
    private static readonly object Consent = new { subsidy = true, vaccination = true, maternalChild = true };

    public static async Task<string> RunAsync(string storage, int desks, TimeSpan duration, TimeSpan warmup)
    {
        await using var hub = await HubProcess.StartAsync(storage);
        var cards = await PrepareCardsAsync(hub, desks);
        var clinicKey = DemoParticipants.All.Single(p => p.Participant.Role == ParticipantRole.MedicalInstitution).ApiKey;

        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = desks * 2 };
        using var http = new HttpClient(handler) { BaseAddress = hub.Http.BaseAddress };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", clinicKey);

        var latencies = new ConcurrentBag<double>();
        var verify = new ConcurrentBag<double>();
        var vaccination = new ConcurrentBag<double>();
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
                    response = await ReceptionDesk.CheckAsync(http, card, Consent);
                }
                catch (HttpRequestException)
                {
                    Interlocked.Increment(ref errors);
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
                    verify.Add(Timing(timing.Single(), "verify"));
                    vaccination.Add(Timing(timing.Single(), "lookup-vaccination"));
                }
            }
        })).ToList();

        await Task.Delay(warmup);
        Volatile.Write(ref measuring, true);
        var clock = Stopwatch.StartNew();
        await Task.Delay(duration);
        Volatile.Write(ref measuring, false);
        var measured = clock.Elapsed;
        await stop.CancelAsync();
        await Task.WhenAll(desksRunning);

        var sorted = latencies.Order().ToArray();
        double P(double q) => sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(q * sorted.Length) - 1)];
        var verifyShare = verify.Sum() / latencies.Sum();
        var vaccinationShare = vaccination.Sum() / latencies.Sum();
        foreach (var card in cards)
        {
            card.Dispose();
        }

        return HubProcess.Format(
            $"reception {storage,-7} {desks} desks, {measured.TotalSeconds:F0} s after {warmup.TotalSeconds:F0} s warm-up: {sorted.Length / measured.TotalSeconds:F0} checks/s | latency (challenge + signature + check) p50 {P(0.50):F1} ms, p95 {P(0.95):F1} ms, p99 {P(0.99):F1} ms, max {sorted.LastOrDefault():F1} ms | {errors} errors | card verification {verifyShare:P0} of the time (mean {verify.DefaultIfEmpty().Average():F2} ms per check), vaccination lookup {vaccinationShare:P0} (mean {vaccination.DefaultIfEmpty().Average():F2} ms, in parallel with the other lookups) | hub peak working set {hub.PeakWorkingSetMiB} MiB");
    }

    /// <summary>Issues a card per desk from the demo issuer CA, registers it and publishes a certificate for its holder.</summary>
    private static async Task<List<SimulatedCard>> PrepareCardsAsync(HubProcess hub, int desks)
    {
        var demo = Path.Combine(hub.DataFolder, "demo");
        var caPem = await File.ReadAllTextAsync(Path.Combine(demo, "issuer-ca.pem"));
        var caKeyPem = await File.ReadAllTextAsync(Path.Combine(demo, "issuer-ca.key.pem"));
        using var ca = X509Certificate2.CreateFromPem(caPem, caKeyPem);
        var issuerKey = DemoParticipants.All.Single(p => p.Participant.Role == ParticipantRole.CardIssuer).ApiKey;
        using var issuer = new HttpClient { BaseAddress = hub.Http.BaseAddress };
        issuer.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", issuerKey);
        var now = DateTimeOffset.UtcNow;
        var cards = new List<SimulatedCard>();
        for (var i = 0; i < desks; i++)
        {
            var card = CardReaderSimulator.IssueCard(ca, $"bench card {i}", now.AddHours(-1), now.AddYears(1));
            var registered = await ReceptionDesk.RegisterCardAsync(issuer, card, TestData.MyNumber(900_000 + i));
            if (!registered.IsSuccessStatusCode)
            {
                throw new InvalidOperationException($"card registration failed: {await registered.Content.ReadAsStringAsync()}");
            }

            cards.Add(card);
        }

        using var municipality = new HttpClient { BaseAddress = hub.Http.BaseAddress };
        municipality.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", PublishBenchmark.MunicipalityKey);
        var content = new ByteArrayContent(PublishBenchmark.BuildBatch(desks, firstSeed: 900_000, batchId: "bench-cards"));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        (await municipality.PostAsync($"/api/v1/municipalities/{TestData.Chiyoda}/subsidy-certificates", content)).EnsureSuccessStatusCode();
        while ((string?)(await municipality.GetFromJsonAsync<JsonObject>("/api/v1/batches/bench-cards"))!["status"] == "accepted")
        {
            await Task.Delay(20);
        }

        return cards;
    }

    private static double Timing(string serverTiming, string name)
    {
        foreach (var metric in serverTiming.Split(','))
        {
            var parts = metric.Trim().Split(";dur=");
            if (parts.Length == 2 && parts[0] == name)
            {
                return double.Parse(parts[1], CultureInfo.InvariantCulture);
            }
        }

        return 0;
    }
}
