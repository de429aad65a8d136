using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Pmh.Testing;
using Pmh.Testing.BadInput;
using Xunit.Abstractions;

namespace Pmh.BadInput.Tests;

/// <summary>
/// Ten thousand generated requests against every operation of the API (each field's wrong values, broken bodies and
/// encodings, keys, route and query values, methods, and random combinations of them from a fixed seed).
/// </summary>
public sealed class GeneratedBadInputTests(ITestOutputHelper output) : IDisposable
{
    private readonly PmhHubFactory _hub = new();

    public void Dispose() => _hub.Dispose();

    private BadInputTarget Target() => new(key => key is null ? _hub.CreateClient() : _hub.ClientFor(key), _hub.Cards);

    [Fact]
    public async Task The_run_covers_every_operation_of_the_openapi_document()
    {
        var document = (await _hub.CreateClient().GetFromJsonAsync<JsonObject>("/openapi/v1.json"))!;
        var documented = document["paths"]!.AsObject()
            .SelectMany(p => p.Value!.AsObject().Select(m => $"{m.Key.ToUpperInvariant()} {p.Key}"))
            .Order(StringComparer.Ordinal)
            .ToList();

        var covered = BadInputOperations.All.Select(o => $"{o.Method} {o.PathTemplate}").Distinct().Order(StringComparer.Ordinal).ToList();

        Assert.Equal(documented, covered);
    }

    [Fact]
    public void The_same_seed_generates_the_same_requests()
    {
        int[] counts = [40, 12, 70];

        var first = BadInputRun.Cases(counts, 2000);
        var second = BadInputRun.Cases(counts, 2000);

        Assert.Equal(2000, first.Count);
        Assert.Equal(first.Select(c => $"{c.Operation}:{string.Join(',', c.Mutations)}"), second.Select(c => $"{c.Operation}:{string.Join(',', c.Mutations)}"));
        Assert.Equal(counts.Sum(), first.Count(c => c.Mutations.Count == 1 && c.Number < counts.Sum()));
    }

    [Fact]
    public async Task Ten_thousand_malformed_and_hostile_requests_get_no_5xx_no_2xx_when_invalid_and_the_hub_stays_healthy()
    {
        var session = await BadInputSession.PrepareAsync(Target(), "2026-04-01");

        var report = await BadInputRun.RunAsync(session, total: 10_000, progress: output.WriteLine);

        output.WriteLine(report.Describe());
        Assert.True(report.Cases >= 10_000, report.Describe());
        Assert.True(report.Failures.Count == 0, report.Describe());
        Assert.Equal(HttpStatusCode.OK, (await _hub.CreateClient().GetAsync("/health/ready")).StatusCode);
        var check = await ReceptionDesk.CheckAsync(_hub.ClientFor(PmhHubFactory.ClinicKey), session.Card, new { subsidy = true, vaccination = true }, "2026-04-02");
        Assert.Equal(HttpStatusCode.OK, check.StatusCode);
        var body = (await check.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal(session.CertificateId, (string?)body["subsidy"]!["certificates"]![0]!["certificateId"]);
        var chain = (await _hub.ClientFor(PmhHubFactory.OperatorKey).GetFromJsonAsync<JsonObject>("/api/v1/audit/verification"))!;
        output.WriteLine(chain.ToJsonString());
        Assert.True((bool?)chain["isIntact"], chain.ToJsonString());
    }
}
