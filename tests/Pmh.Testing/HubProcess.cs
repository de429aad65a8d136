using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Security.Cryptography.X509Certificates;
using Pmh.Identity.Simulator;

namespace Pmh.Testing;

/// <summary>How the hub under test runs.</summary>
/// <param name="Storage"><c>sqlite</c> or <c>postgres</c>.</param>
/// <param name="Distributed">The services as processes of their own (<c>--services</c>) on RabbitMQ; else all in one process on the in-memory bus.</param>
public sealed record HubSetup(string Storage, bool Distributed)
{
    /// <summary>Every service of the hub, by its <c>--services</c> name.</summary>
    public static readonly IReadOnlyList<string> Services = [.. Pmh.Host.HubServices.Names];

    public static readonly HubSetup Embedded = new("sqlite", Distributed: false);

    /// <summary>Each service its own process, on RabbitMQ and PostgreSQL.</summary>
    public static readonly HubSetup DistributedPostgres = new("postgres", Distributed: true);

    /// <summary>
    /// Two processes on RabbitMQ and PostgreSQL: the gateway with identity and audit (what every check passes through),
    /// and the three lookups together.
    /// </summary>
    public static readonly HubSetup TwoProcessesPostgres = new("postgres", Distributed: true)
    {
        Processes = ["gateway,identity,audit", "subsidy,vaccination,maternal-child"],
    };

    /// <summary>A distributed set-up by its number of processes: <c>six</c> (each service alone) or <c>two</c>.</summary>
    public static HubSetup DistributedTopology(string topology, string storage = "postgres") => topology switch
    {
        "six" => DistributedPostgres with { Storage = storage },
        "two" => TwoProcessesPostgres with { Storage = storage },
        _ => throw new ArgumentException($"unknown topology '{topology}' (two or six)", nameof(topology)),
    };

    /// <summary>The processes, each a <c>--services</c> value (<c>all</c>, <c>subsidy</c>, <c>gateway,identity</c>, …).</summary>
    public IReadOnlyList<string> Processes { get; init; } = Distributed ? Services : ["all"];

    /// <summary>
    /// Development: the demo participants (<c>DemoParticipants</c>) and the development hub secret. Otherwise
    /// Production, with a test hub secret and <see cref="PmhHubFactory.TestParticipants"/> (plus
    /// <see cref="ExtraParticipants"/>), configured by the hashes of their keys as an operator would.
    /// </summary>
    public bool Development { get; init; } = true;

    public IReadOnlyList<TestParticipant> ExtraParticipants { get; init; } = [];

    /// <summary>Prefix of the PostgreSQL databases made for the hub (dropped with it).</summary>
    public string DatabasePrefix { get; init; } = "pmh_bench_";

    /// <summary>The broker (with the hub's own vhost); <see cref="TestServers.RabbitMq"/> when null.</summary>
    public string? RabbitMq { get; init; }

    /// <summary>
    /// The connection string the hub is given for a database (its name, e.g. <c>Audit</c>, and the server's own
    /// connection string): to put a <see cref="FaultProxy"/> in between. The server's own when null.
    /// </summary>
    public Func<string, string, string>? RouteDatabase { get; init; }

    /// <summary>When set, each process's output goes to <c>{process}.log</c> there instead of the console.</summary>
    public string? LogFolder { get; init; }

    public override string ToString() => Distributed ? $"distributed ({Processes.Count} processes, RabbitMQ, {Storage})" : $"embedded ({Storage}, in-memory bus)";
}

/// <summary>
/// The hub as its own process or processes (the built Pmh.Host), on free loopback ports kept for the hub's life (a
/// process killed and started again listens where it did). Its own card-issuer CA is trusted, so that a load can
/// issue as many cards as it has desks.
/// </summary>
public sealed class HubProcess : IAsyncDisposable
{
    private static readonly IReadOnlyList<string> DatabaseNames = Pmh.Host.HubServices.Databases;

    private readonly Dictionary<string, (Process? Process, int Port)> _processes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _environment;
    private readonly Dictionary<string, string> _databases;
    private readonly Lock _logLock = new();
    private bool _stopped;

    private HubProcess(HubSetup setup, string dataFolder, Dictionary<string, string> environment, Dictionary<string, string> databases, X509Certificate2 issuerCa)
    {
        Setup = setup;
        DataFolder = dataFolder;
        _environment = environment;
        _databases = databases;
        IssuerCa = issuerCa;
        foreach (var process in setup.Processes)
        {
            _processes[process] = (null, FreePort());
        }

        var gateway = setup.Processes.First(p => p == "all" || p.Split(',').Contains("gateway", StringComparer.Ordinal));
        BaseAddress = AddressOf(gateway);
        Http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromMinutes(30) };
    }

    public HubSetup Setup { get; }

    public string DataFolder { get; }

    /// <summary>The hub's card-issuer CA, with its private key, trusted by the identity service.</summary>
    public X509Certificate2 IssuerCa { get; }

    /// <summary>The gateway's (or the one process's) address.</summary>
    public Uri BaseAddress { get; }

    public HttpClient Http { get; private set; }

    public TimeSpan StartToReady { get; private set; }

    public IReadOnlyList<string> Processes => Setup.Processes;

    /// <summary>
    /// One service's database: its PostgreSQL connection string (straight to the server, even when the hub is
    /// configured to reach it some other way) or its SQLite file.
    /// </summary>
    public string DatabaseOf(string name) =>
        Setup.Storage == "postgres" ? _databases[name] : Path.Combine(DataFolder, name.ToLowerInvariant() + ".db");

    public Uri AddressOf(string process) => new(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{_processes[process].Port}"));

    /// <summary>False once the process has exited (or was never started).</summary>
    public bool IsRunning(string process) => _processes[process].Process is { HasExited: false };

    /// <summary>Peak working set per process, in MiB.</summary>
    public IReadOnlyDictionary<string, long> PeakWorkingSetMiB()
    {
        var peaks = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var (service, (process, _)) in _processes)
        {
            if (process is { HasExited: false })
            {
                process.Refresh();
                peaks[service] = process.PeakWorkingSet64 / 1024 / 1024;
            }
        }

        return peaks;
    }

    /// <summary>Working set per process now, in MiB.</summary>
    public IReadOnlyDictionary<string, long> WorkingSetMiB()
    {
        var sets = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var (service, (process, _)) in _processes)
        {
            if (process is { HasExited: false })
            {
                process.Refresh();
                sets[service] = process.WorkingSet64 / 1024 / 1024;
            }
        }

        return sets;
    }

    /// <summary>"240 MiB", or for several processes "total 900 MiB (gateway 200, identity 150, …)".</summary>
    public string DescribeMemory()
    {
        var peaks = PeakWorkingSetMiB();
        return peaks.Count == 1
            ? Format($"{peaks.Values.Single()} MiB")
            : Format($"total {peaks.Values.Sum()} MiB ({string.Join(", ", peaks.Select(p => Format($"{p.Key} {p.Value}")))})");
    }

    public static Task<HubProcess> StartAsync(string storage, IDictionary<string, string>? extra = null) =>
        StartAsync(new HubSetup(storage, Distributed: false), extra);

    public static async Task<HubProcess> StartAsync(HubSetup setup, IDictionary<string, string>? extra = null)
    {
        ArgumentNullException.ThrowIfNull(setup);
        var dataFolder = Path.Combine(Path.GetTempPath(), "pmh-bench", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dataFolder);
        var now = DateTimeOffset.UtcNow;
        var ca = CardReaderSimulator.CreateIssuerCa("CN=PMH Benchmark Card Issuer CA, O=PMH Hub Benchmarks, C=JP", now.AddDays(-1));
        var caPath = Path.Combine(dataFolder, "benchmark-issuer-ca.pem");
        await File.WriteAllTextAsync(caPath, ca.ExportCertificatePem()).ConfigureAwait(false);

        var environment = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = setup.Development ? "Development" : "Production",
            ["Pmh__Storage__DataFolder"] = dataFolder,
            ["Pmh__Identity__TrustedIssuers__0"] = caPath,
            ["Logging__LogLevel__Default"] = "Warning",
            // The load generator is one clinic doing the work of hundreds of desks.
            ["Pmh__Gateway__RateLimit__PermitsPerSecond"] = "1000000",
            ["Pmh__Gateway__RateLimit__Burst"] = "1000000",
        };
        if (!setup.Development)
        {
            environment["Pmh__HubSecret"] = PmhHubFactory.HubSecret;
            foreach (var (key, value) in PmhHubFactory.ParticipantSettings([.. PmhHubFactory.TestParticipants, .. setup.ExtraParticipants]))
            {
                environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
            }
        }

        var databases = new Dictionary<string, string>(StringComparer.Ordinal);
        if (setup.Storage == "postgres")
        {
            environment["Pmh__Storage__Provider"] = "PostgreSql";
            foreach (var name in DatabaseNames)
            {
                var cs = TestServers.NewPostgresDatabase(setup.DatabasePrefix + name.ToLowerInvariant());
                environment[$"ConnectionStrings__{name}"] = setup.RouteDatabase?.Invoke(name, cs) ?? cs;
                databases[name] = cs;
            }
        }

        if (setup.Distributed)
        {
            environment["Pmh__Bus__Transport"] = "RabbitMq";
            environment["ConnectionStrings__RabbitMq"] = setup.RabbitMq ?? TestServers.RabbitMq;
        }

        foreach (var (key, value) in extra ?? new Dictionary<string, string>())
        {
            environment[key] = value;
        }

        if (setup.LogFolder is not null)
        {
            Directory.CreateDirectory(setup.LogFolder);
        }

        var hub = new HubProcess(setup, dataFolder, environment, databases, ca);
        try
        {
            await hub.StartProcessesAsync().ConfigureAwait(false);
        }
        catch
        {
            await hub.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return hub;
    }

    /// <summary>Stops the processes and keeps the data (files, databases) for <see cref="RestartAsync"/>.</summary>
    public async Task StopAsync()
    {
        foreach (var process in _processes.Keys.ToList())
        {
            await KillAsync(process).ConfigureAwait(false);
        }

        _stopped = true;
    }

    /// <summary>Starts the processes again on the same data.</summary>
    public async Task RestartAsync()
    {
        if (!_stopped)
        {
            await StopAsync().ConfigureAwait(false);
        }

        await StartProcessesAsync().ConfigureAwait(false);
    }

    /// <summary>Ends one process at once (SIGKILL: no shutdown, no flush), and waits until it has exited.</summary>
    public async Task KillAsync(string process)
    {
        var (running, port) = _processes[process];
        if (running is null)
        {
            return;
        }

        if (!running.HasExited)
        {
            running.Kill(entireProcessTree: true);
            await running.WaitForExitAsync().ConfigureAwait(false);
        }

        running.Dispose();
        _processes[process] = (null, port);
    }

    /// <summary>Starts one process (again) on its port and configuration, without waiting for it.</summary>
    public void Launch(string process)
    {
        var (previous, port) = _processes[process];
        if (previous is { HasExited: false })
        {
            throw new InvalidOperationException($"the hub's {process} process is still running");
        }

        previous?.Dispose();
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "Pmh.Host.dll"), "--services", process])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var (key, value) in _environment)
        {
            start.Environment[key] = value;
        }

        start.Environment["ASPNETCORE_URLS"] = Format($"http://127.0.0.1:{port}");
        var started = Process.Start(start)!;
        var log = Setup.LogFolder is null ? null : Path.Combine(Setup.LogFolder, process.Replace(',', '+') + ".log");
        void Write(string? line, bool error)
        {
            if (line is null)
            {
                return;
            }

            if (log is null)
            {
                if (error)
                {
                    Console.Error.WriteLine($"{process}: {line}");
                }

                return;
            }

            lock (_logLock)
            {
                File.AppendAllText(log, Format($"{DateTimeOffset.UtcNow:HH:mm:ss.fff} {line}{Environment.NewLine}"));
            }
        }

        started.OutputDataReceived += (_, e) => Write(e.Data, error: false);
        started.ErrorDataReceived += (_, e) => Write(e.Data, error: true);
        started.BeginOutputReadLine();
        started.BeginErrorReadLine();
        _processes[process] = (started, port);
    }

    /// <summary>Waits until the process answers 200 on <c>/health/ready</c>; false when it did not within <paramref name="within"/> or exited.</summary>
    public async Task<bool> WaitReadyAsync(string process, TimeSpan within)
    {
        using var probe = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var clock = Stopwatch.StartNew();
        var ready = new Uri(AddressOf(process), "/health/ready");
        while (true)
        {
            try
            {
                using var response = await probe.GetAsync(ready).ConfigureAwait(false);
                if (response.IsSuccessStatusCode)
                {
                    return true;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
            }

            if (clock.Elapsed > within || !IsRunning(process))
            {
                return false;
            }

            await Task.Delay(10).ConfigureAwait(false);
        }
    }

    /// <summary>Issues a card per seed from the hub's issuer CA and registers it to <c>TestData.MyNumber(seed)</c> with the card issuer's key.</summary>
    public async Task<List<SimulatedCard>> RegisterCardsAsync(IReadOnlyList<int> seeds, string cardIssuerKey)
    {
        ArgumentNullException.ThrowIfNull(seeds);
        using var issuer = new HttpClient { BaseAddress = BaseAddress };
        issuer.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", cardIssuerKey);
        var now = DateTimeOffset.UtcNow;
        var cards = new List<SimulatedCard>();
        foreach (var seed in seeds)
        {
            var card = CardReaderSimulator.IssueCard(IssuerCa, Format($"bench card {seed}"), now.AddHours(-1), now.AddYears(1));
            using var registered = await ReceptionDesk.RegisterCardAsync(issuer, card, TestData.MyNumber(seed)).ConfigureAwait(false);
            if (!registered.IsSuccessStatusCode)
            {
                throw new InvalidOperationException($"card registration failed: {await registered.Content.ReadAsStringAsync().ConfigureAwait(false)}");
            }

            cards.Add(card);
        }

        return cards;
    }

    /// <summary>Publishes a subsidy certificate for each seed's holder with the municipality's key and waits until the batch is applied.</summary>
    public async Task PublishCertificatesAsync(IReadOnlyList<int> seeds, string batchId, string municipalityKey)
    {
        using var municipality = new HttpClient { BaseAddress = BaseAddress };
        municipality.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", municipalityKey);
        using var content = new ByteArrayContent(TestData.CertificateBatchJson(seeds, batchId));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var posted = await municipality.PostAsync(new Uri($"/api/v1/municipalities/{TestData.Chiyoda}/subsidy-certificates", UriKind.Relative), content).ConfigureAwait(false);
        posted.EnsureSuccessStatusCode();
        while ((string?)(await municipality.GetFromJsonAsync<JsonObject>(new Uri($"/api/v1/batches/{batchId}", UriKind.Relative)).ConfigureAwait(false))!["status"] == "accepted")
        {
            await Task.Delay(20).ConfigureAwait(false);
        }
    }

    private async Task StartProcessesAsync()
    {
        _stopped = false;
        var clock = Stopwatch.StartNew();
        foreach (var process in Setup.Processes)
        {
            Launch(process);
        }

        foreach (var process in Setup.Processes)
        {
            var left = TimeSpan.FromSeconds(90) - clock.Elapsed;
            if (!await WaitReadyAsync(process, left > TimeSpan.Zero ? left : TimeSpan.Zero).ConfigureAwait(false))
            {
                await StopAsync().ConfigureAwait(false);
                throw new InvalidOperationException($"the hub's {process} process did not become ready within 90 s");
            }
        }

        StartToReady = clock.Elapsed;
        Http.Dispose();
        Http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromMinutes(30) };
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        Http.Dispose();
        IssuerCa.Dispose();
        foreach (var cs in _databases.Values)
        {
            TestServers.DropPostgresDatabases(cs);
        }

        try
        {
            Directory.Delete(DataFolder, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    public static string Format(FormattableString text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.ToString(CultureInfo.InvariantCulture);
    }
}
