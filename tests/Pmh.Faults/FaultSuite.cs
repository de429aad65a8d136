using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Dapper;
using Npgsql;
using Pmh.Identity.Simulator;
using Pmh.Testing;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace Pmh.Faults;

/// <summary>What one scenario measured, and whether it held.</summary>
internal sealed record ScenarioResult(int Number, string Name, bool Passed, string Reason);

/// <summary>
/// The distributed hub the scenarios run against (four processes: gateway with identity, subsidy, audit, vaccination
/// with maternal-child; RabbitMQ on the suite's own vhost; PostgreSQL, one database each made for the suite, the audit
/// database reached through a <see cref="FaultProxy"/>), the servers' scripts, and the clients of the participants.
/// </summary>
internal sealed class FaultSuite : IAsyncDisposable
{
    public const string GatewayProcess = "gateway,identity";
    public const string SubsidyProcess = "subsidy";
    public const string AuditProcess = "audit";
    public const string OthersProcess = "vaccination,maternal-child";

    public static readonly IReadOnlyList<string> Layout = [GatewayProcess, SubsidyProcess, AuditProcess, OthersProcess];

    public const string PoisonKey = "test-key-faults-poison";
    public static readonly TestParticipant PoisonParticipant = new("faults-poison", "MedicalInstitution", PmhHubFactory.ClinicCode, PoisonKey);

    /// <summary>Desks of the reception loads: one card each, each holder with a subsidy certificate.</summary>
    public const int Desks = 4;

    private readonly List<HttpClient> _clients = [];

    private FaultSuite(HubProcess hub, FaultProxy auditProxy, string rabbitMq, string infra, List<SimulatedCard> cards)
    {
        Hub = hub;
        AuditProxy = auditProxy;
        RabbitMq = rabbitMq;
        InfraFolder = infra;
        Cards = cards;
        Municipality = Client(PmhHubFactory.ChiyodaKey);
        Operator = Client(PmhHubFactory.OperatorKey);
        Poison = Client(PoisonKey);
        ClinicAdmin = Client(PmhHubFactory.ClinicKey);
    }

    public HubProcess Hub { get; }

    public FaultProxy AuditProxy { get; }

    public string RabbitMq { get; }

    public string InfraFolder { get; }

    public IReadOnlyList<SimulatedCard> Cards { get; }

    public HttpClient Municipality { get; }

    public HttpClient Operator { get; }

    public HttpClient Poison { get; }

    /// <summary>The clinic, for single calls (the desks of a load have their own clients).</summary>
    public HttpClient ClinicAdmin { get; }

    public string SubsidyDb => Hub.DatabaseOf("Subsidy");

    public string AuditDb => Hub.DatabaseOf("Audit");

    public string VaccinationDb => Hub.DatabaseOf("Vaccination");

    /// <param name="management">The broker's management API (the operator's dead-letter endpoints read the error queues through it), when known.</param>
    /// <param name="environment">More settings of every hub process (the cluster run's <c>Pmh__Bus__ClusterNodes__N</c>).</param>
    public static async Task<FaultSuite> StartAsync(string rabbitMq, string? management, string infra, string logFolder, IReadOnlyDictionary<string, string>? environment = null)
    {
        var admin = new NpgsqlConnectionStringBuilder(TestServers.Postgres);
        var proxy = new FaultProxy(admin.Host ?? "127.0.0.1", admin.Port);
        HubProcess? hub = null;
        try
        {
            hub = await HubProcess.StartAsync(
                new HubSetup("postgres", Distributed: true)
                {
                    Processes = Layout,
                    Development = false,
                    ExtraParticipants = [PoisonParticipant],
                    DatabasePrefix = "pmh_faults_",
                    RabbitMq = rabbitMq,
                    LogFolder = logFolder,
                    RouteDatabase = (name, cs) => name == "Audit" ? new NpgsqlConnectionStringBuilder(cs) { Port = proxy.Port }.ConnectionString : cs,
                },
                Settings(management, environment)).ConfigureAwait(false);
            var seeds = Enumerable.Range(900_000, Desks).ToList();
            var cards = await hub.RegisterCardsAsync(seeds, PmhHubFactory.CardIssuerKey).ConfigureAwait(false);
            await hub.PublishCertificatesAsync(seeds, "faults-desk-cards", PmhHubFactory.ChiyodaKey).ConfigureAwait(false);
            return new FaultSuite(hub, proxy, rabbitMq, infra, cards);
        }
        catch
        {
            if (hub is not null)
            {
                await hub.DisposeAsync().ConfigureAwait(false);
            }

            await proxy.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private static Dictionary<string, string>? Settings(string? management, IReadOnlyDictionary<string, string>? environment)
    {
        var settings = new Dictionary<string, string>(environment ?? new Dictionary<string, string>(), StringComparer.Ordinal);
        if (management is not null)
        {
            settings["Pmh__Bus__ManagementUrl"] = management;
        }

        return settings.Count == 0 ? null : settings;
    }

    public HttpClient Client(string key, TimeSpan? timeout = null)
    {
        var client = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromSeconds(30) })
        {
            BaseAddress = Hub.BaseAddress,
            Timeout = timeout ?? TimeSpan.FromSeconds(60),
        };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        _clients.Add(client);
        return client;
    }

    public static void Say(string line) => Console.WriteLine("  " + line);

    public static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    /// <summary>Runs <c>infra/{script} {command}</c> (rabbitmq.sh, postgres.sh) with this process's environment; returns how long it took.</summary>
    public async Task<TimeSpan> InfraAsync(string script, string command)
    {
        var clock = Stopwatch.StartNew();
        var start = new ProcessStartInfo("bash", [Path.Combine(InfraFolder, script), command])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().ConfigureAwait(false);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"infra/{script} {command} exited {process.ExitCode}: {(await output.ConfigureAwait(false)).Trim()} {(await error.ConfigureAwait(false)).Trim()}");
        }

        return clock.Elapsed;
    }

    /// <summary>
    /// Before a scenario: broker and PostgreSQL up, the audit database reachable, every process running (started
    /// again if an earlier scenario left it dead) and ready. Null when so, else why not.
    /// </summary>
    public async Task<string?> HealAsync()
    {
        await InfraAsync("rabbitmq.sh", "start").ConfigureAwait(false);
        await InfraAsync("postgres.sh", "start").ConfigureAwait(false);
        AuditProxy.Restore();
        foreach (var process in Layout)
        {
            if (!Hub.IsRunning(process))
            {
                Say($"(before the scenario: the {process} process was not running; started it again)");
                Hub.Launch(process);
            }
        }

        foreach (var process in Layout)
        {
            if (!await Hub.WaitReadyAsync(process, TimeSpan.FromSeconds(60)).ConfigureAwait(false))
            {
                return $"the {process} process was not ready within 60 s before the scenario";
            }
        }

        return null;
    }

    /// <summary>Kills one process (SIGKILL) and starts it again on the same configuration; true when it was ready again within <paramref name="within"/>.</summary>
    public async Task<(TimeSpan Down, bool Ready)> KillAndRestartAsync(string process, TimeSpan within, bool waitReady = true)
    {
        var clock = Stopwatch.StartNew();
        await Hub.KillAsync(process).ConfigureAwait(false);
        Hub.Launch(process);
        var ready = !waitReady || await Hub.WaitReadyAsync(process, within).ConfigureAwait(false);
        return (clock.Elapsed, ready);
    }

    /// <summary>A batch's status document, or null when the gateway did not answer 200.</summary>
    public async Task<JsonObject?> BatchAsync(string batchId)
    {
        try
        {
            using var response = await Municipality.GetAsync(new Uri($"/api/v1/batches/{batchId}", UriKind.Relative)).ConfigureAwait(false);
            return response.IsSuccessStatusCode ? await response.Content.ReadFromJsonAsync<JsonObject>().ConfigureAwait(false) : null;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return null;
        }
    }

    public static string? Status(JsonObject? batch) => (string?)batch?["status"];

    /// <summary>Waits until every batch is final (not <c>accepted</c>), or the deadline; returns the last status of each.</summary>
    public async Task<Dictionary<string, JsonObject?>> WaitFinalAsync(IReadOnlyList<string> batchIds, TimeSpan within)
    {
        var clock = Stopwatch.StartNew();
        var last = batchIds.ToDictionary(b => b, _ => (JsonObject?)null, StringComparer.Ordinal);
        while (true)
        {
            foreach (var id in batchIds)
            {
                if (Status(last[id]) is not ("completed" or "failed"))
                {
                    last[id] = await BatchAsync(id).ConfigureAwait(false);
                }
            }

            if (last.Values.All(b => Status(b) is "completed" or "failed") || clock.Elapsed > within)
            {
                return last;
            }

            await Task.Delay(250).ConfigureAwait(false);
        }
    }

    /// <summary>Posts a batch body until it is accepted (202, or 200 for a batch already known): 5xx, 429 and failed connections are retried, as a municipality would (posting again is safe).</summary>
    /// <returns>POSTs made, of which answered 503/429 and otherwise failed, the last status (0: none), and how long the last POST took.</returns>
    public async Task<(int Posts, int Unavailable, int OtherErrors, int Status, TimeSpan LastTook)> PostBatchAsync(string path, byte[] body, TimeSpan within)
    {
        var clock = Stopwatch.StartNew();
        int posts = 0, unavailable = 0, errors = 0;
        while (true)
        {
            posts++;
            TimeSpan? wait = null;
            var started = clock.Elapsed;
            try
            {
                using var content = new ByteArrayContent(body);
                content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                using var response = await Municipality.PostAsync(new Uri(path, UriKind.Relative), content).ConfigureAwait(false);
                var status = (int)response.StatusCode;
                if (status is 200 or 202)
                {
                    return (posts, unavailable, errors, status, clock.Elapsed - started);
                }

                if (status is 503 or 429)
                {
                    unavailable++;
                    wait = response.Headers.RetryAfter?.Delta;
                }
                else if (status >= 500)
                {
                    errors++;
                }
                else
                {
                    return (posts, unavailable, errors, status, clock.Elapsed - started);
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                errors++;
            }

            if (clock.Elapsed > within)
            {
                return (posts, unavailable, errors, 0, clock.Elapsed - started);
            }

            await Task.Delay(wait is { } w && w < TimeSpan.FromSeconds(10) ? w : TimeSpan.FromSeconds(1)).ConfigureAwait(false);
        }
    }

    /// <summary>One scalar from one database (a connection of its own, no pool: the server may have restarted since).</summary>
    public static async Task<T> ScalarAsync<T>(string database, string sql, object? parameters = null)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(database) { Pooling = false, Timeout = 10 }.ConnectionString);
        await connection.OpenAsync().ConfigureAwait(false);
        return await connection.ExecuteScalarAsync<T>(sql, parameters).ConfigureAwait(false) ?? throw new InvalidOperationException("no value: " + sql);
    }

    public static async Task<List<T>> QueryAsync<T>(string database, string sql, object? parameters = null)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(database) { Pooling = false, Timeout = 10 }.ConnectionString);
        await connection.OpenAsync().ConfigureAwait(false);
        return [.. await connection.QueryAsync<T>(sql, parameters).ConfigureAwait(false)];
    }

    public static async Task ExecuteAsync(string database, string sql)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(database) { Pooling = false, Timeout = 10 }.ConnectionString);
        await connection.OpenAsync().ConfigureAwait(false);
        await connection.ExecuteAsync(sql).ConfigureAwait(false);
    }

    /// <summary>Messages waiting in a queue of the suite's vhost; 0 when the queue does not exist (yet).</summary>
    public async Task<uint> QueueDepthAsync(string queue)
    {
        var factory = new ConnectionFactory { Uri = new Uri(RabbitMq) };
        await using var connection = await factory.CreateConnectionAsync().ConfigureAwait(false);
        await using var channel = await connection.CreateChannelAsync().ConfigureAwait(false);
        try
        {
            return (await channel.QueueDeclarePassiveAsync(queue).ConfigureAwait(false)).MessageCount;
        }
        catch (OperationInterruptedException)
        {
            return 0;
        }
    }

    /// <summary>Stored rows of these batches in the subsidy database: current rows, revision rows, and revisions beyond one per certificate.</summary>
    public async Task<(long Current, long Revisions, long Duplicates)> StoredAsync(IReadOnlyList<string> batchIds)
    {
        var ids = batchIds.ToArray();
        var current = await ScalarAsync<long>(SubsidyDb, "SELECT COUNT(*) FROM subsidy_certificates WHERE batch_id = ANY(@ids)", new { ids }).ConfigureAwait(false);
        var revisions = await ScalarAsync<long>(SubsidyDb, "SELECT COUNT(*) FROM subsidy_certificate_revisions WHERE batch_id = ANY(@ids)", new { ids }).ConfigureAwait(false);
        var distinct = await ScalarAsync<long>(
            SubsidyDb,
            "SELECT COUNT(*) FROM (SELECT DISTINCT municipality_code, history_key, batch_id FROM subsidy_certificate_revisions WHERE batch_id = ANY(@ids)) d",
            new { ids }).ConfigureAwait(false);
        return (current, revisions, revisions - distinct);
    }

    public async ValueTask DisposeAsync()
    {
        _clients.ForEach(c => c.Dispose());
        foreach (var card in Cards)
        {
            card.Dispose();
        }

        await Hub.DisposeAsync().ConfigureAwait(false);
        await AuditProxy.DisposeAsync().ConfigureAwait(false);
    }
}
