using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Trace;
using Pmh.Hosting.Privacy;
using Pmh.Hosting.Telemetry;
using Pmh.Identity.Simulator;
using Pmh.Testing;

namespace Pmh.Gateway.Tests.Telemetry;

public sealed class TelemetryTests : IDisposable
{
    private static readonly object AllKinds = new { subsidy = true, vaccination = true, maternalChild = true };
    private static readonly string[] Kinds = ["subsidy", "vaccination", "maternalChild"];

    private readonly PmhHubFactory _hub = new();
    private readonly ConcurrentQueue<Activity> _spans = new();
    private readonly WebApplicationFactory<Program> _traced;

    public TelemetryTests()
    {
        var exported = new InMemoryQueue(_spans);
        _traced = _hub.WithWebHostBuilder(builder => builder.ConfigureTestServices(services =>
            services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddInMemoryExporter(exported))));
    }

    public void Dispose()
    {
        _traced.Dispose();
        _hub.Dispose();
    }

    private HttpClient ClientFor(string key, string? traceParent = null)
    {
        var client = _traced.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        if (traceParent is not null)
        {
            client.DefaultRequestHeaders.Add("traceparent", traceParent);
        }

        return client;
    }

    private async Task<(SimulatedCard Card, string MyNumber)> PersonWithCardAsync(int seed)
    {
        var myNumber = TestData.MyNumber(seed);
        var card = _hub.Cards.Issue();
        Assert.Equal(HttpStatusCode.Created, (await ReceptionDesk.RegisterCardAsync(ClientFor(PmhHubFactory.CardIssuerKey), card, myNumber)).StatusCode);
        var chiyoda = ClientFor(PmhHubFactory.ChiyodaKey);
        await chiyoda.PublishAsync(TestData.Chiyoda, TestData.Batch("t-" + seed, TestData.CertificateRow(myNumber, "H-1")));
        await chiyoda.WaitForBatchAsync("t-" + seed);
        return (card, myNumber);
    }

    private async Task<HttpResponseMessage> TracedCheckAsync(SimulatedCard card, ActivityTraceId traceId)
    {
        var (challengeId, nonce) = await ReceptionDesk.ChallengeAsync(ClientFor(PmhHubFactory.ClinicKey));
        var desk = ClientFor(PmhHubFactory.ClinicKey, $"00-{traceId.ToHexString()}-{ActivitySpanId.CreateRandom().ToHexString()}-01");
        return await ReceptionDesk.SendCheckAsync(desk, challengeId, card.CertificateDer, card.Sign(nonce), AllKinds);
    }

    private List<Activity> Trace(ActivityTraceId traceId) => _spans.Where(s => s.TraceId == traceId).ToList();

    private static bool Descends(Activity span, Activity ancestor, IReadOnlyDictionary<ActivitySpanId, Activity> bySpan)
    {
        var current = span;
        while (current.ParentSpanId != default)
        {
            if (current.ParentSpanId == ancestor.SpanId)
            {
                return true;
            }

            if (!bySpan.TryGetValue(current.ParentSpanId, out var parent))
            {
                return false;
            }

            current = parent;
        }

        return false;
    }

    [Fact]
    public async Task A_reception_check_is_one_trace_with_the_verification_and_each_lookup_as_a_span_down_to_its_consumer()
    {
        var (card, _) = await PersonWithCardAsync(901);
        var traceId = ActivityTraceId.CreateRandom();

        var response = await TracedCheckAsync(card, traceId);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var check = Assert.Single(Trace(traceId), s => s.DisplayName == PmhTelemetry.ReceptionCheckSpan);
        Assert.Equal("completed", check.GetTagItem("pmh.outcome"));
        var children = Trace(traceId).Where(s => s.ParentSpanId == check.SpanId).Select(s => s.DisplayName).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(
            new[] { PmhTelemetry.VerificationSpan }.Concat(Kinds.Select(k => PmhTelemetry.LookupSpanPrefix + k)).Order(StringComparer.Ordinal),
            children);
        // Each lookup and the verification crossed the bus inside the trace: its request sent, and consumed, below its span.
        var parents = new[] { PmhTelemetry.VerificationSpan }.Concat(Kinds.Select(k => PmhTelemetry.LookupSpanPrefix + k)).ToList();
        await Eventually.UntilAsync(
            () => Task.FromResult(Trace(traceId)),
            spans =>
            {
                var bySpan = spans.ToDictionary(s => s.SpanId);
                return parents.All(name =>
                {
                    var parent = spans.Single(s => s.DisplayName == name);
                    return spans.Any(s => s.Source.Name == "MassTransit" && s.Kind == ActivityKind.Producer && Descends(s, parent, bySpan))
                           && spans.Any(s => s.Source.Name == "MassTransit" && s.Kind == ActivityKind.Consumer && Descends(s, parent, bySpan));
                });
            },
            "a MassTransit send and consume span under the verification and under every lookup");
        var server = Trace(traceId).Where(s => s.Kind == ActivityKind.Server && s.Source.Name == "Microsoft.AspNetCore");
        Assert.All(server, s => Assert.Equal("/api/v1/reception/checks", s.GetTagItem("url.path")));
    }

    [Fact]
    public async Task Two_reception_checks_are_two_traces_and_no_span_names_the_person()
    {
        var (card, myNumber) = await PersonWithCardAsync(902);
        var first = ActivityTraceId.CreateRandom();
        var second = ActivityTraceId.CreateRandom();

        Assert.Equal(HttpStatusCode.OK, (await TracedCheckAsync(card, first)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await TracedCheckAsync(card, second)).StatusCode);

        Assert.Single(Trace(first), s => s.DisplayName == PmhTelemetry.ReceptionCheckSpan);
        Assert.Single(Trace(second), s => s.DisplayName == PmhTelemetry.ReceptionCheckSpan);
        Assert.Equal(Kinds.Length, Trace(first).Count(s => s.DisplayName.StartsWith(PmhTelemetry.LookupSpanPrefix, StringComparison.Ordinal)));
        var personKey = _traced.Services.GetRequiredService<PersonKeys>().For(Contracts.Identifiers.MyNumber.Parse(myNumber));
        var text = string.Join('\n', _spans.Select(s => s.DisplayName + " " + string.Join(' ', s.TagObjects.Select(t => t.Key + "=" + t.Value))));
        Assert.DoesNotContain(myNumber, text, StringComparison.Ordinal);
        Assert.DoesNotContain(personKey, text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_metrics_endpoint_answers_operators_only_with_checks_by_outcome_and_lookup_latency_by_kind()
    {
        var (card, _) = await PersonWithCardAsync(903);
        Assert.Equal(HttpStatusCode.OK, (await TracedCheckAsync(card, ActivityTraceId.CreateRandom())).StatusCode);

        Assert.Equal(HttpStatusCode.Unauthorized, (await _traced.CreateClient().GetAsync("/metrics")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await ClientFor(PmhHubFactory.ClinicKey).GetAsync("/metrics")).StatusCode);
        var scrape = await ClientFor(PmhHubFactory.OperatorKey).GetAsync("/metrics");

        Assert.Equal(HttpStatusCode.OK, scrape.StatusCode);
        var text = await scrape.Content.ReadAsStringAsync();
        Assert.Matches("pmh_reception_checks_total\\{[^}]*outcome=\"completed\"", text);
        foreach (var kind in Kinds)
        {
            Assert.Matches($"pmh_reception_lookup_duration_seconds_bucket\\{{[^}}]*kind=\"{kind}\"", text);
        }

        Assert.Matches("pmh_batch_rows_total\\{[^}]*stage=\"applied\"", text);
        Assert.Matches("pmh_outbox_lag_seconds_count\\{[^}]*database=\"Gateway\"", text);
    }

    /// <summary>The in-memory exporter's list, thread-safe (lookups end on several threads at once).</summary>
    private sealed class InMemoryQueue(ConcurrentQueue<Activity> queue) : ICollection<Activity>
    {
        public int Count => queue.Count;

        public bool IsReadOnly => false;

        public void Add(Activity item) => queue.Enqueue(item);

        public void Clear() => queue.Clear();

        public bool Contains(Activity item) => queue.Contains(item);

        public void CopyTo(Activity[] array, int arrayIndex) => queue.CopyTo(array, arrayIndex);

        public bool Remove(Activity item) => throw new NotSupportedException();

        public IEnumerator<Activity> GetEnumerator() => queue.GetEnumerator();

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
