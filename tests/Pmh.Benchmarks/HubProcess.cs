using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using Pmh.Identity.Simulator;

namespace Pmh.Benchmarks;

/// <summary>How the hub under test runs.</summary>
/// <param name="Storage"><c>sqlite</c> or <c>postgres</c>.</param>
/// <param name="Distributed">Every service as its own process (<c>--services</c>) on RabbitMQ; else all in one process on the in-memory bus.</param>
internal sealed record HubSetup(string Storage, bool Distributed)
{
    public static readonly HubSetup Embedded = new("sqlite", Distributed: false);

    public static readonly HubSetup DistributedPostgres = new("postgres", Distributed: true);

    public static readonly string[] Services = [.. Pmh.Host.HubServices.Names];

    public override string ToString() => Distributed ? $"distributed ({Services.Length} processes, RabbitMQ, {Storage})" : $"embedded ({Storage}, in-memory bus)";
}

/// <summary>
/// The hub as its own process or processes (the built Pmh.Host), on free loopback ports, in Development (demo
/// participants). The benchmark's own card-issuer CA is trusted, so that it can issue as many cards as it has desks.
/// </summary>
internal sealed class HubProcess : IAsyncDisposable
{
    private static readonly IReadOnlyList<string> DatabaseNames = Pmh.Host.HubServices.Databases;

    private readonly List<(string Service, Process Process, int Port)> _processes = [];
    private readonly Dictionary<string, string> _environment;
    private readonly List<string> _postgresDatabases;
    private bool _stopped;

    private HubProcess(HubSetup setup, string dataFolder, Dictionary<string, string> environment, List<string> postgresDatabases, X509Certificate2 issuerCa)
    {
        Setup = setup;
        DataFolder = dataFolder;
        _environment = environment;
        _postgresDatabases = postgresDatabases;
        IssuerCa = issuerCa;
    }

    public HubSetup Setup { get; }

    public string DataFolder { get; }

    /// <summary>The benchmark's card-issuer CA, with its private key, trusted by the identity service.</summary>
    public X509Certificate2 IssuerCa { get; }

    /// <summary>The gateway's (or the one process's) address.</summary>
    public Uri BaseAddress { get; private set; } = null!;

    public HttpClient Http { get; private set; } = null!;

    public TimeSpan StartToReady { get; private set; }

    /// <summary>The database connection string (PostgreSQL) or file (SQLite) of one service's database.</summary>
    public string DatabaseOf(string name) =>
        Setup.Storage == "postgres" ? _environment[$"ConnectionStrings__{name}"] : Path.Combine(DataFolder, name.ToLowerInvariant() + ".db");

    /// <summary>Peak working set per process, in MiB.</summary>
    public IReadOnlyDictionary<string, long> PeakWorkingSetMiB()
    {
        var peaks = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var (service, process, _) in _processes)
        {
            if (!process.HasExited)
            {
                process.Refresh();
                peaks[service] = process.PeakWorkingSet64 / 1024 / 1024;
            }
        }

        return peaks;
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
        var dataFolder = Path.Combine(Path.GetTempPath(), "pmh-bench", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dataFolder);
        var now = DateTimeOffset.UtcNow;
        var ca = CardReaderSimulator.CreateIssuerCa("CN=PMH Benchmark Card Issuer CA, O=PMH Hub Benchmarks, C=JP", now.AddDays(-1));
        var caPath = Path.Combine(dataFolder, "benchmark-issuer-ca.pem");
        await File.WriteAllTextAsync(caPath, ca.ExportCertificatePem());

        var environment = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["Pmh__Storage__DataFolder"] = dataFolder,
            ["Pmh__Identity__TrustedIssuers__0"] = caPath,
            ["Logging__LogLevel__Default"] = "Warning",
            // The load generator is one clinic doing the work of hundreds of desks.
            ["Pmh__Gateway__RateLimit__PermitsPerSecond"] = "1000000",
            ["Pmh__Gateway__RateLimit__Burst"] = "1000000",
        };
        var databases = new List<string>();
        if (setup.Storage == "postgres")
        {
            environment["Pmh__Storage__Provider"] = "PostgreSql";
            foreach (var name in DatabaseNames)
            {
                var cs = Testing.TestServers.NewPostgresDatabase("pmh_bench_" + name.ToLowerInvariant());
                environment[$"ConnectionStrings__{name}"] = cs;
                databases.Add(cs);
            }
        }

        if (setup.Distributed)
        {
            environment["Pmh__Bus__Transport"] = "RabbitMq";
            environment["ConnectionStrings__RabbitMq"] = Testing.TestServers.RabbitMq;
        }

        foreach (var (key, value) in extra ?? new Dictionary<string, string>())
        {
            environment[key] = value;
        }

        var hub = new HubProcess(setup, dataFolder, environment, databases, ca);
        await hub.StartProcessesAsync();
        return hub;
    }

    /// <summary>Stops the processes and keeps the data (files, databases) for <see cref="RestartAsync"/>.</summary>
    public async Task StopAsync()
    {
        Http?.Dispose();
        foreach (var (_, process, _) in _processes)
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }

            process.Dispose();
        }

        _processes.Clear();
        _stopped = true;
    }

    /// <summary>Starts the processes again on the same data.</summary>
    public async Task RestartAsync()
    {
        if (!_stopped)
        {
            await StopAsync();
        }

        await StartProcessesAsync();
    }

    private async Task StartProcessesAsync()
    {
        _stopped = false;
        var clock = Stopwatch.StartNew();
        var services = Setup.Distributed ? HubSetup.Services : ["all"];
        foreach (var service in services)
        {
            var port = FreePort();
            var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "Pmh.Host.dll"), "--services", service])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var (key, value) in _environment)
            {
                start.Environment[key] = value;
            }

            start.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
            var process = Process.Start(start)!;
            process.OutputDataReceived += (_, _) => { };
            process.ErrorDataReceived += (_, e) =>
            {
                if (e.Data is not null)
                {
                    Console.Error.WriteLine($"{service}: {e.Data}");
                }
            };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            _processes.Add((service, process, port));
        }

        using var probe = new HttpClient();
        foreach (var (service, process, port) in _processes)
        {
            while (true)
            {
                try
                {
                    if ((await probe.GetAsync(new Uri($"http://127.0.0.1:{port}/health/ready"))).IsSuccessStatusCode)
                    {
                        break;
                    }
                }
                catch (HttpRequestException)
                {
                }

                if (clock.Elapsed > TimeSpan.FromSeconds(90) || process.HasExited)
                {
                    await DisposeAsync();
                    throw new InvalidOperationException($"the hub's {service} process did not become ready within 90 s");
                }

                await Task.Delay(10);
            }
        }

        StartToReady = clock.Elapsed;
        var gateway = _processes.First(p => p.Service is "all" or "gateway");
        BaseAddress = new Uri($"http://127.0.0.1:{gateway.Port}");
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
        await StopAsync();
        IssuerCa.Dispose();
        foreach (var cs in _postgresDatabases)
        {
            Testing.TestServers.DropPostgresDatabases(cs);
        }

        try
        {
            Directory.Delete(DataFolder, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    public static string Format(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
