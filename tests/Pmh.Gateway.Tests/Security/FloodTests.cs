using System.Net;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Pmh.Contracts.Audit;
using Pmh.Gateway.Audit;
using Pmh.Testing;

namespace Pmh.Gateway.Tests.Security;

/// <summary>What many quick requests may not do: starve the health probes, or fill the audit log.</summary>
public sealed class FloodTests
{
    private static PmhHubFactory Limited() => new(settings: new Dictionary<string, string?>
    {
        ["Pmh:Gateway:RateLimit:PermitsPerSecond"] = "1",
        ["Pmh:Gateway:RateLimit:Burst"] = "3",
    });

    [Fact]
    public async Task A_hundred_and_fifty_quick_health_probes_are_never_rate_limited_and_leave_the_address_its_api_budget()
    {
        await using var hub = Limited();
        var probe = hub.CreateClient();

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 150; i++)
        {
            statuses.Add((await probe.GetAsync(i % 2 == 0 ? "/health/ready" : "/health/live")).StatusCode);
        }

        Assert.DoesNotContain(HttpStatusCode.TooManyRequests, statuses);
        // The same address still has its whole burst for the API, and past it the limit holds (the positive control).
        var api = new List<HttpStatusCode>();
        for (var i = 0; i < 6; i++)
        {
            api.Add((await probe.GetAsync("/api/v1/batches/none")).StatusCode);
        }

        Assert.Equal(HttpStatusCode.Unauthorized, api[0]);
        Assert.Contains(HttpStatusCode.TooManyRequests, api);
    }

    [Fact]
    public async Task Anonymous_401s_write_no_audit_rows_while_an_authenticated_refusal_still_does()
    {
        await using var hub = new PmhHubFactory();
        var stranger = hub.CreateClient();
        var wrongKey = hub.ClientFor("not-a-key");
        for (var i = 0; i < 25; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await stranger.GetAsync("/api/v1/participants")).StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, (await wrongKey.GetAsync("/api/v1/batches/none")).StatusCode);
        }

        // The positive control: a participant refused is audited, and once its row is out, so would the others be.
        Assert.Equal(HttpStatusCode.Forbidden, (await hub.ClientFor(PmhHubFactory.ClinicKey).GetAsync("/api/v1/participants")).StatusCode);
        var harness = hub.Services.GetTestHarness();
        await Eventually.UntilAsync(
            () => harness.Published.Select<AccessRecorded>().Any(a => a.Context.Message.ParticipantId == "clinic" && a.Context.Message.Outcome == AccessOutcomes.Denied),
            "the clinic's refusal to be audited");

        Assert.DoesNotContain(harness.Published.Select<AccessRecorded>(), a => a.Context.Message.Detail == "401");
        var reports = hub.Logs.Lines.Where(l => l.Contains("anonymous request(s) refused with 401", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(reports);
        Assert.True(reports.Count < 50, $"{reports.Count} log lines for 50 anonymous refusals: the report is not rate-limited");
    }

    [Fact]
    public void Anonymous_refusals_are_reported_at_most_once_a_minute_with_the_count_since_the_last_report()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 4, 1, 9, 0, 0, TimeSpan.Zero));
        var logs = new LogCapture();
        using var factory = LoggerFactory.Create(b => b.AddProvider(logs));
        var refusals = new AnonymousRefusals(time, factory.CreateLogger<AnonymousRefusals>());

        refusals.Count("GET /api/v1/participants");
        for (var i = 0; i < 99; i++)
        {
            refusals.Count("GET /api/v1/participants");
        }

        time.Advance(AnonymousRefusals.LogInterval);
        refusals.Count("GET /api/v1/batches/{batchId}");

        var reports = logs.Lines.Where(l => l.StartsWith("Warning", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, reports.Count);
        Assert.StartsWith("Warning Pmh.Gateway.Audit.AnonymousRefusals: 1 anonymous request(s)", reports[0], StringComparison.Ordinal);
        Assert.Contains(": 100 anonymous request(s) refused with 401", reports[1], StringComparison.Ordinal);
        Assert.EndsWith("the latest: GET /api/v1/batches/{batchId} ", reports[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_check_with_200_long_consent_keys_is_refused_with_400_naming_consent_before_anything_is_audited()
    {
        await using var hub = new PmhHubFactory();
        var clinic = hub.ClientFor(PmhHubFactory.ClinicKey);
        using var card = hub.Cards.Issue();
        var consent = Enumerable.Range(0, 200).ToDictionary(i => i.ToString("D4", System.Globalization.CultureInfo.InvariantCulture) + new string('k', 250), _ => true); // 50 KB: under the 64 KiB read limit, so the consent rule itself answers

        var flood = await ReceptionDesk.CheckAsync(clinic, card, consent);
        var unknown = await ReceptionDesk.CheckAsync(clinic, card, new { subsidy = true, nope = true });
        var badName = await ReceptionDesk.CheckAsync(clinic, card, new Dictionary<string, bool> { ["sub sidy\u0000"] = true });

        var reasons = new List<string?>();
        foreach (var response in new[] { flood, unknown, badName })
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            reasons.Add((string?)(await response.JsonAsync())["errors"]!["consent"]![0]);
        }

        Assert.Equal("must name at most 16 kinds", reasons[0]);
        Assert.Contains("nope", reasons[1], StringComparison.Ordinal);
        // The positive control: the same card with a known kind is refused (unregistered) and that refusal is audited.
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await ReceptionDesk.CheckAsync(clinic, card, new { subsidy = true })).StatusCode);
        var harness = hub.Services.GetTestHarness();
        await Eventually.UntilAsync(
            () => harness.Published.Select<AccessRecorded>().Any(a => a.Context.Message.Outcome == AccessOutcomes.CardRejected),
            "the rejected card to be audited");
        var rejected = Assert.Single(harness.Published.Select<AccessRecorded>(), a => a.Context.Message.Outcome == AccessOutcomes.CardRejected);
        Assert.Equal(["subsidy"], rejected.Context.Message.Kinds);
    }

    [Fact]
    public void Text_copied_into_an_audit_entry_is_capped()
    {
        Assert.Equal("short", Pmh.Modules.Audit.AccessAudit.Cap("short"));
        Assert.Null(Pmh.Modules.Audit.AccessAudit.Cap(null));
        var capped = Pmh.Modules.Audit.AccessAudit.Cap(new string('x', 100_000))!;
        Assert.Equal(Pmh.Modules.Audit.AccessAudit.MaxText, capped.Length);
        Assert.EndsWith("…", capped, StringComparison.Ordinal);
    }
}
