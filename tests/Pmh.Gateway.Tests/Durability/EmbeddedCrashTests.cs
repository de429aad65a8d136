using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Pmh.Contracts.Audit;
using Pmh.Identity.Simulator;
using Pmh.Testing;

namespace Pmh.Gateway.Tests.Durability;

/// <summary>
/// The embedded hub (one process, in-memory bus, SQLite) as a real child process: disclosures a desk received are
/// in the audit log even when the process is killed (SIGKILL, as <c>kill -9</c>) right after the answers went out,
/// because each audit event was committed to the gateway database's outbox before its answer; and a batch accepted
/// before the kill is completed with every row after the restart.
/// </summary>
public sealed class EmbeddedCrashTests : IAsyncLifetime
{
    private const int Cards = 4;
    private const int ChecksPerCard = 2;

    private readonly PmhHubFactory _settings = new();
    private readonly ConcurrentQueue<string> _output = new();
    private Process? _process;
    private int _port;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        Kill();
        await _settings.DisposeAsync();
        try
        {
            Directory.Delete(_settings.DataFolder, recursive: true);
        }
        catch (IOException)
        {
            // A file still open; the temp folder is cleaned by the OS.
        }
    }

    [Fact]
    public async Task Every_disclosure_a_desk_received_is_in_the_audit_log_once_after_the_process_is_killed_and_restarted()
    {
        await StartAsync();
        var issuer = Client(PmhHubFactory.CardIssuerKey);
        var chiyoda = Client(PmhHubFactory.ChiyodaKey);
        var clinic = Client(PmhHubFactory.ClinicKey);
        var cards = Enumerable.Range(0, Cards).Select(i => _settings.Cards.Issue($"crash holder {i}")).ToList();
        for (var i = 0; i < cards.Count; i++)
        {
            Assert.Equal(HttpStatusCode.Created, (await ReceptionDesk.RegisterCardAsync(issuer, cards[i], TestData.MyNumber(900 + i))).StatusCode);
        }

        // Every check at once, and a batch besides; the process killed the moment the last answer is in.
        var rows = Enumerable.Range(0, 50).Select(i => TestData.CertificateRow(TestData.MyNumber(1000 + i), $"CRASH-{i}")).ToArray();
        var batch = chiyoda.PublishAsync(TestData.Chiyoda, TestData.Batch("crash-batch", rows));
        var answers = await Task.WhenAll(cards.SelectMany(card => Enumerable.Range(0, ChecksPerCard).Select(_ =>
            ReceptionDesk.CheckAsync(clinic, card, new { subsidy = true, vaccination = true, maternalChild = true }))));
        var accepted = await batch;
        Kill();
        Assert.All(answers, a => Assert.Equal(HttpStatusCode.OK, a.StatusCode));
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);

        await StartAsync();
        for (var i = 0; i < cards.Count; i++)
        {
            var card = cards[i];
            var log = await Eventually.UntilAsync(
                () => AccessLogAsync(card),
                entries => entries.Count(e => (string?)e["outcome"] == AccessOutcomes.Disclosed) >= ChecksPerCard,
                $"the {ChecksPerCard} disclosures of card {i} in its holder's access log after the restart\n{string.Join('\n', _output.TakeLast(40))}");
            Assert.Equal(ChecksPerCard, log.Count(e => (string?)e["outcome"] == AccessOutcomes.Disclosed));
        }

        // The batch accepted before the kill reaches its final state with every row.
        var applied = await Client(PmhHubFactory.ChiyodaKey).WaitForBatchAsync("crash-batch");
        Assert.Equal(("completed", 50), ((string?)applied["status"], (int?)applied["acceptedCount"]));

        var verification = await (await Client(PmhHubFactory.OperatorKey).GetAsync("/api/v1/audit/verification")).Content.ReadFromJsonAsync<JsonObject>();
        Assert.True((bool)verification!["isIntact"]!);
        Assert.Equal(Cards * ChecksPerCard, (long)verification["entriesChecked"]!);
        cards.ForEach(c => c.Dispose());
    }

    private HttpClient Client(string? apiKey = null)
    {
        var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{_port}"), Timeout = TimeSpan.FromSeconds(60) };
        if (apiKey is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        }

        return client;
    }

    private async Task<List<JsonObject>> AccessLogAsync(SimulatedCard card)
    {
        var citizen = Client();
        var challenge = await (await citizen.PostAsync("/api/v1/me/challenges", null)).JsonAsync();
        var response = await citizen.PostAsJsonAsync("/api/v1/me/access-log", new
        {
            challengeId = (string?)challenge["challengeId"],
            certificate = Convert.ToBase64String(card.CertificateDer),
            signature = Convert.ToBase64String(card.Sign(Convert.FromBase64String((string)challenge["nonce"]!))),
        });
        response.EnsureSuccessStatusCode();
        return (await response.JsonAsync())["entries"]!.AsArray().Select(e => e!.AsObject()).ToList();
    }

    /// <summary>Starts the built Pmh.Host on the test settings and data folder, and waits until it is ready.</summary>
    private async Task StartAsync()
    {
        _port = FreePort();
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "Pmh.Host.dll"), "--services", "all"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var (key, value) in _settings.Settings)
        {
            if (key != "services" && value is not null)
            {
                start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
            }
        }

        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Testing";
        start.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{_port}";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        // What the outbox re-sent after the restart, for the failure message.
        start.Environment["Logging__LogLevel__Pmh.Hosting.Outbox"] = "Information";
        _process = Process.Start(start)!;
        _process.OutputDataReceived += (_, e) => Keep(e.Data);
        _process.ErrorDataReceived += (_, e) => Keep(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        using var probe = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        await Eventually.UntilAsync(
            async () =>
            {
                try
                {
                    return _process.HasExited || (await probe.GetAsync(new Uri($"http://127.0.0.1:{_port}/health/ready"))).IsSuccessStatusCode;
                }
                catch (HttpRequestException)
                {
                    return false;
                }
                catch (TaskCanceledException)
                {
                    return false;
                }
            },
            ready => ready,
            "the hub process to be ready",
            timeout: TimeSpan.FromSeconds(120),
            interval: TimeSpan.FromMilliseconds(100));
        Assert.False(_process.HasExited, "the hub process exited at start-up:\n" + string.Join('\n', _output.TakeLast(40)));
    }

    private void Keep(string? line)
    {
        if (line is not null)
        {
            _output.Enqueue(line);
        }
    }

    /// <summary>SIGKILL: no shutdown, no flush; what is not committed is gone.</summary>
    private void Kill()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }

        _process?.Dispose();
        _process = null;
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
