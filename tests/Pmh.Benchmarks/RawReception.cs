using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using Pmh.Audit.Storage;
using Pmh.Gateway.Participants;
using Pmh.Identity.Simulator;
using Pmh.Modules.Participants;

namespace Pmh.Benchmarks;

/// <summary>
/// The raw reception baseline (issue 16): the same desks (<see cref="ReceptionBenchmark.LoadAsync(LoadTarget, IReadOnlyList{SimulatedCard}, object, TimeSpan, TimeSpan)"/>)
/// against <see cref="RawReceptionServer"/>, which does a check's irreducible work with nothing of the hub's machinery.
/// An embedded hub creates and fills the files exactly as for the hub's own load (the desks' cards registered, their
/// holders' certificates published), answers one check for the first desk, and is stopped; the raw server then opens
/// those very files, and its answer for the same desk must be the hub's (but for the check's id and expiry) before
/// the load runs. The raw server is a child process, so that its CPU time per check compares with the hub's.
/// </summary>
internal static class RawReception
{
    /// <summary>The load's result and the line that says the raw server answers as the hub does.</summary>
    public static async Task<(LoadResult Result, string Faithfulness)> RunAsync(int desks, TimeSpan duration, TimeSpan warmup)
    {
        Console.WriteLine("raw reception baseline: an embedded hub creates and fills the files...");
        await using var hub = await HubProcess.StartAsync(HubSetup.Embedded);
        var seeds = Enumerable.Range(900_000, desks).ToList();
        var cards = await ReceptionBenchmark.RegisterCardsAsync(hub, seeds);
        try
        {
            await ReceptionBenchmark.PublishCertificatesAsync(hub, seeds, "bench-cards");
            var hubAnswer = await AnswerAsync(hub.BaseAddress, cards[0]);
            await hub.StopAsync();

            Console.WriteLine("hub stopped; the raw server opens its files...");
            await using var raw = await RawServerProcess.StartAsync(hub.DataFolder);
            var rawAnswer = await AnswerAsync(raw.BaseAddress, cards[0]);
            var faithfulness = Compare(hubAnswer, rawAnswer);
            var result = await ReceptionBenchmark.LoadAsync(raw.Target, cards, ReceptionBenchmark.AllKinds, duration, warmup);
            return (result, faithfulness + "; " + await AuditedAsync(hub.DataFolder, result.Latencies.Length));
        }
        finally
        {
            cards.ForEach(c => c.Dispose());
        }
    }

    /// <summary>
    /// The hub's embedded figures over the raw baseline's of the same run: checks/s (the issue's target: at least
    /// 0.7) and CPU per check (how many times the raw server's the hub spends).
    /// </summary>
    public static (string Line, double ThroughputRatio) Compare(LoadResult hub, LoadResult raw)
    {
        var throughput = hub.ChecksPerSecond / raw.ChecksPerSecond;
        return (HubProcess.Format(
            $"embedded hub ÷ raw baseline, same run: checks/s {throughput:F2} ({hub.ChecksPerSecond:F0} / {raw.ChecksPerSecond:F0}) | CPU per check {hub.CpuPerCheckMs / raw.CpuPerCheckMs:F2} ({hub.CpuPerCheckMs:F2} ms / {raw.CpuPerCheckMs:F2} ms) | p99 {hub.P(0.99):F1} ms / {raw.P(0.99):F1} ms"), throughput);
    }

    /// <summary>
    /// That the raw server did the audit's work: its outbox drains, and the chain holds an entry for at least every
    /// check measured, every link verified (<see cref="AuditChain.Verify"/>).
    /// </summary>
    private static async Task<string> AuditedAsync(string dataFolder, int checksMeasured)
    {
        static SqliteConnection Open(string file)
        {
            var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = file, Pooling = false, Mode = SqliteOpenMode.ReadOnly }.ToString());
            connection.Open();
            return connection;
        }

        var clock = Stopwatch.StartNew();
        long pending;
        using (var gateway = Open(Path.Combine(dataFolder, "gateway.db")))
        {
            using var count = gateway.CreateCommand();
            count.CommandText = "SELECT COUNT(*) FROM outbox_messages WHERE dispatched_at IS NULL";
            while ((pending = (long)count.ExecuteScalar()!) > 0 && clock.Elapsed < TimeSpan.FromSeconds(60))
            {
                await Task.Delay(100);
            }
        }

        var drained = clock.Elapsed;
        var entries = new List<AuditChainEntry>();
        using (var audit = Open(Path.Combine(dataFolder, "audit.db")))
        {
            using var select = audit.CreateCommand();
            select.CommandText = """
                SELECT sequence, event_id, occurred_at, participant_id, participant_name, participant_role, participant_code, person_key,
                       kinds, purpose, outcome, detail, recorded_at, prev_hash, hash
                FROM audit_entries ORDER BY sequence
                """;
            using var reader = select.ExecuteReader();
            while (reader.Read())
            {
                string? Text(int i) => reader.IsDBNull(i) ? null : reader.GetString(i);
                entries.Add(new AuditChainEntry
                {
                    Sequence = reader.GetInt64(0),
                    EventId = reader.GetString(1),
                    OccurredAt = reader.GetInt64(2),
                    ParticipantId = reader.GetString(3),
                    ParticipantName = reader.GetString(4),
                    ParticipantRole = reader.GetString(5),
                    ParticipantCode = Text(6),
                    PersonKey = Text(7),
                    Kinds = reader.GetString(8),
                    Purpose = reader.GetString(9),
                    Outcome = reader.GetString(10),
                    Detail = Text(11),
                    RecordedAt = reader.GetInt64(12),
                    PrevHash = reader.GetString(13),
                    Hash = reader.GetString(14),
                });
            }
        }

        var verified = AuditChain.Verify(entries);
        if (pending > 0 || !verified.IsIntact || entries.Count < checksMeasured)
        {
            throw new InvalidOperationException(HubProcess.Format(
                $"the raw server's audit is incomplete: {pending} outbox rows pending after 60 s, {entries.Count} chain entries for {checksMeasured} checks measured, chain {(verified.IsIntact ? "intact" : $"broken at {verified.FirstBrokenSequence} ({verified.Reason})")}"));
        }

        return HubProcess.Format($"its outbox drained {drained.TotalSeconds:F1} s after the load, and its audit chain holds {entries.Count:N0} entries ({checksMeasured:N0} checks measured), every link verified");
    }

    private static async Task<JsonObject> AnswerAsync(Uri server, SimulatedCard card)
    {
        var clinicKey = DemoParticipants.All.Single(p => p.Participant.Role == ParticipantRole.MedicalInstitution).ApiKey;
        using var http = new HttpClient { BaseAddress = server };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", clinicKey);
        using var response = await ReceptionDesk.CheckAsync(http, card, ReceptionBenchmark.AllKinds);
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"the reception check at {server} answered {(int)response.StatusCode}: {body}");
        }

        return JsonNode.Parse(body)!.AsObject();
    }

    /// <summary>The raw answer must be the hub's, field for field, but for the check's own id and expiry.</summary>
    private static string Compare(JsonObject hub, JsonObject raw)
    {
        static string Numbers(JsonObject answer) => string.Join(
            ", ",
            answer["subsidy"]!["certificates"]!.AsArray().Select(c => HubProcess.Format($"{(string)c!["medicalSubsidyInsurerNumber"]!}/{(string)c!["medicalSubsidyRecipientNumber"]!}")));

        var numbers = Numbers(hub);
        foreach (var answer in new[] { hub, raw })
        {
            answer.Remove("checkId");
            answer.Remove("expiresAt");
        }

        if (!JsonNode.DeepEquals(hub, raw))
        {
            throw new InvalidOperationException($"the raw server's answer is not the hub's.{Environment.NewLine}hub: {hub.ToJsonString()}{Environment.NewLine}raw: {raw.ToJsonString()}");
        }

        return HubProcess.Format(
            $"raw baseline answers as the hub: the first desk's check is the hub's, field for field, but for its id and expiry (certificate insurer/recipient numbers {numbers}; person ref {(string)hub["person"]!["ref"]!}; {hub.ToJsonString().Length:N0} characters)");
    }
}

/// <summary>The raw server as a child process (<c>dotnet Pmh.Benchmarks.dll rawserver</c>), with the hub's runtime settings.</summary>
internal sealed class RawServerProcess : IAsyncDisposable
{
    private readonly Process _process;

    private RawServerProcess(Process process, Uri baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public LoadTarget Target => new(
        "raw baseline (Kestrel, direct calls, the hub's SQLite files)",
        BaseAddress,
        () => HubProcess.Format($"{PeakMiB()} MiB"),
        PeakMiB,
        () => _process.TotalProcessorTime);

    public static async Task<RawServerProcess> StartAsync(string dataFolder)
    {
        int port;
        using (var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0))
        {
            listener.Start();
            port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        }

        var start = new ProcessStartInfo(
            "dotnet",
            [Path.Combine(AppContext.BaseDirectory, "Pmh.Benchmarks.dll"), "rawserver", "--data", dataFolder, "--port", port.ToString(CultureInfo.InvariantCulture)])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };

        // What Pmh.Host's runtimeconfig says (the Web SDK's server GC, TieredPGO off in its project), not this program's.
        start.Environment["DOTNET_gcServer"] = "1";
        start.Environment["DOTNET_TieredPGO"] = "0";
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, e) => { };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                Console.Error.WriteLine($"rawserver: {e.Data}");
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var server = new RawServerProcess(process, new Uri(HubProcess.Format($"http://127.0.0.1:{port}")));
        using var probe = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var clock = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                using var response = await probe.GetAsync(new Uri(server.BaseAddress, "/health"));
                if (response.IsSuccessStatusCode)
                {
                    return server;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
            }

            if (process.HasExited || clock.Elapsed > TimeSpan.FromSeconds(60))
            {
                await server.DisposeAsync();
                throw new InvalidOperationException("the raw reception server did not start within 60 s");
            }

            await Task.Delay(20);
        }
    }

    private long PeakMiB()
    {
        if (_process.HasExited)
        {
            return 0;
        }

        _process.Refresh();
        return _process.PeakWorkingSet64 / 1024 / 1024;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }
}
