using System.Diagnostics;
using System.Globalization;

namespace Pmh.Benchmarks;

/// <summary>The hub as its own process (the built Pmh.Host), on a free loopback port, in Development (demo participants).</summary>
internal sealed class HubProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly List<string> _postgresDatabases;

    private HubProcess(Process process, int port, string dataFolder, List<string> postgresDatabases)
    {
        _process = process;
        _postgresDatabases = postgresDatabases;
        Port = port;
        DataFolder = dataFolder;
        Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromMinutes(10) };
    }

    public int Port { get; }

    public string DataFolder { get; }

    public HttpClient Http { get; }

    public TimeSpan StartToReady { get; private set; }

    public long PeakWorkingSetMiB
    {
        get
        {
            _process.Refresh();
            return _process.PeakWorkingSet64 / 1024 / 1024;
        }
    }

    public static async Task<HubProcess> StartAsync(string storage, IDictionary<string, string>? extra = null)
    {
        var dataFolder = Path.Combine(Path.GetTempPath(), "pmh-bench", Guid.NewGuid().ToString("N"));
        var port = 5190 + Random.Shared.Next(0, 500);
        var environment = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}",
            ["Pmh__Storage__DataFolder"] = dataFolder,
            ["Logging__LogLevel__Default"] = "Warning",
            // The load generator is one clinic doing the work of hundreds of desks.
            ["Pmh__Gateway__RateLimit__PermitsPerSecond"] = "1000000",
            ["Pmh__Gateway__RateLimit__Burst"] = "1000000",
        };
        var databases = new List<string>();
        if (storage == "postgres")
        {
            environment["Pmh__Storage__Provider"] = "PostgreSql";
            foreach (var name in new[] { "Gateway", "Identity", "Subsidy", "Vaccination", "MaternalChild", "Audit" })
            {
                var cs = Testing.TestServers.NewPostgresDatabase("pmh_bench_" + name.ToLowerInvariant());
                environment[$"ConnectionStrings__{name}"] = cs;
                databases.Add(cs);
            }
        }

        foreach (var (key, value) in extra ?? new Dictionary<string, string>())
        {
            environment[key] = value;
        }

        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "Pmh.Host.dll")])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        var clock = Stopwatch.StartNew();
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                Console.Error.WriteLine("hub: " + e.Data);
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var hub = new HubProcess(process, port, dataFolder, databases);
        while (true)
        {
            try
            {
                if ((await hub.Http.GetAsync("/health/ready")).IsSuccessStatusCode)
                {
                    break;
                }
            }
            catch (HttpRequestException)
            {
            }

            if (clock.Elapsed > TimeSpan.FromSeconds(60) || process.HasExited)
            {
                await hub.DisposeAsync();
                throw new InvalidOperationException("the hub did not become ready within 60 s");
            }

            await Task.Delay(10);
        }

        hub.StartToReady = clock.Elapsed;
        return hub;
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
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
