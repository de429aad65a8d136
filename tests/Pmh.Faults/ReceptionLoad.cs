using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Pmh.Identity.Simulator;
using Pmh.Testing;

namespace Pmh.Faults;

/// <summary>One request a desk made: when it started and ended on the load's clock, and what came back.</summary>
/// <param name="Kind"><c>challenge</c>, <c>check</c> or <c>dose</c>.</param>
/// <param name="Status">The HTTP status, or 0 when no answer came (connection failed, or the client's 30 s timeout).</param>
/// <param name="Provided">For a 200 check: the kinds whose part is <c>provided</c>.</param>
internal sealed record DeskCall(string Kind, TimeSpan Started, TimeSpan Ended, int Status, string? CheckId, IReadOnlyList<string> Provided, string? SubmissionId)
{
    public TimeSpan Took => Ended - Started;

    /// <summary>A check that showed the desk personal data.</summary>
    public bool IsDisclosure => Kind == "check" && Status == 200 && Provided.Count > 0;
}

/// <summary>
/// Desks doing whole reception checks as fast as they can (challenge, the card signs, check; and with doses, a
/// vaccination dose submitted for the check), each request recorded. A desk whose request failed waits 100 ms
/// before its next one, as a real desk would not hammer a dead hub.
/// </summary>
internal sealed class ReceptionLoad : IAsyncDisposable
{
    public static readonly TimeSpan ClientTimeout = TimeSpan.FromSeconds(30);

    private readonly ConcurrentQueue<DeskCall> _calls = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _desks;
    private readonly object _consent;
    private readonly bool _doses;
    private readonly string _run = Guid.NewGuid().ToString("N")[..8];
    private int _submissions;

    public ReceptionLoad(FaultSuite suite, object consent, bool doses)
    {
        ArgumentNullException.ThrowIfNull(suite);
        _consent = consent;
        _doses = doses;
        Clock = Stopwatch.StartNew();
        _desks = [.. suite.Cards.Select(card =>
        {
            var client = suite.Client(PmhHubFactory.ClinicKey, ClientTimeout);
            return Task.Run(() => DeskAsync(client, card));
        })];
    }

    /// <summary>The load's clock: every <see cref="DeskCall"/> time is on it.</summary>
    public Stopwatch Clock { get; }

    public TimeSpan Now => Clock.Elapsed;

    public IReadOnlyList<DeskCall> Calls => [.. _calls.OrderBy(c => c.Started)];

    public async Task StopAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(_desks).ConfigureAwait(false);
    }

    private async Task DeskAsync(HttpClient desk, SimulatedCard card)
    {
        while (!_stop.IsCancellationRequested)
        {
            var challenge = await CallAsync(desk, "challenge", "/api/v1/reception/challenges", null).ConfigureAwait(false);
            if (challenge.Call.Status != 200 || challenge.Body is null)
            {
                await PauseAsync().ConfigureAwait(false);
                continue;
            }

            var nonce = Convert.FromBase64String((string)challenge.Body["nonce"]!);
            var check = await CallAsync(desk, "check", "/api/v1/reception/checks", new JsonObject
            {
                ["challengeId"] = (string)challenge.Body["challengeId"]!,
                ["certificate"] = Convert.ToBase64String(card.CertificateDer),
                ["signature"] = Convert.ToBase64String(card.Sign(nonce)),
                ["consent"] = System.Text.Json.JsonSerializer.SerializeToNode(_consent),
                ["serviceDate"] = "2026-04-01",
            }).ConfigureAwait(false);
            if (check.Call.Status != 200 || check.Call.CheckId is null)
            {
                await PauseAsync().ConfigureAwait(false);
                continue;
            }

            if (_doses)
            {
                var submission = $"faults-{_run}-{Interlocked.Increment(ref _submissions)}";
                var dose = await CallAsync(desk, "dose", "/api/v1/vaccinations", new JsonObject
                {
                    ["checkId"] = check.Call.CheckId,
                    ["submissionId"] = submission,
                    ["vaccine"] = "FLU",
                    ["doseNumber"] = "1",
                    ["date"] = "2026-04-01",
                    ["lotNumber"] = "F1",
                    ["programme"] = "voluntary",
                    ["municipalityCode"] = TestData.Chiyoda,
                }, submission).ConfigureAwait(false);
                if (dose.Call.Status is < 200 or >= 300)
                {
                    await PauseAsync().ConfigureAwait(false);
                }
            }
        }
    }

    private async Task PauseAsync()
    {
        try
        {
            await Task.Delay(100, _stop.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task<(DeskCall Call, JsonObject? Body)> CallAsync(HttpClient desk, string kind, string path, JsonObject? body, string? submission = null)
    {
        var started = Clock.Elapsed;
        var status = 0;
        JsonObject? answer = null;
        try
        {
            using var content = body is null ? null : new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
            using var response = await desk.PostAsync(new Uri(path, UriKind.Relative), content).ConfigureAwait(false);
            status = (int)response.StatusCode;
            if (response.IsSuccessStatusCode)
            {
                answer = await response.Content.ReadFromJsonAsync<JsonObject>().ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or System.Text.Json.JsonException or IOException)
        {
            // No answer: the gateway is down or the client's timeout passed.
            status = status == 0 ? 0 : status;
        }

        string? checkId = null;
        var provided = new List<string>();
        if (kind == "check" && status == 200 && answer is not null)
        {
            checkId = (string?)answer["checkId"];
            foreach (var part in new[] { "subsidy", "vaccination", "maternalChild" })
            {
                if (answer[part] is JsonObject p && (string?)p["status"] == "provided")
                {
                    provided.Add(part);
                }
            }
        }

        var call = new DeskCall(kind, started, Clock.Elapsed, status, checkId, provided, submission);
        _calls.Enqueue(call);
        return (call, answer);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_stop.IsCancellationRequested)
        {
            await StopAsync().ConfigureAwait(false);
        }

        _stop.Dispose();
    }
}
