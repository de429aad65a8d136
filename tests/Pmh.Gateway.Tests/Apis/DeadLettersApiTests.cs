using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using MassTransit;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Pmh.Hosting.Messaging.DeadLetters;
using Pmh.Testing;

namespace Pmh.Gateway.Tests.Apis;

/// <summary>
/// The operator's dead-letter endpoints on the embedded hub: a consumer that throws a plain (non-transient)
/// exception puts its message into the dead letters; the operator lists it (never its body), inspects it, replays it
/// once the cause is fixed, or discards it; nobody else may.
/// </summary>
public sealed class DeadLettersApiTests : IDisposable
{
    private const string Secret = "123456789018";
    private const string ErrorQueue = "gateway-dead-letter-probe_error";

    private readonly PmhHubFactory _hub = new();
    private readonly WebApplicationFactory<Program> _app;
    private readonly GatewayDeadLetterProbeState _state = new();

    public DeadLettersApiTests() =>
        _app = _hub.WithWebHostBuilder(builder => builder.ConfigureTestServices(services =>
        {
            services.AddSingleton(_state);
            // The hub's consumers and this one, on the test harness's in-memory bus.
            services.AddMassTransitTestHarness(bus => bus.AddConsumer<GatewayDeadLetterProbeConsumer>());
        }));

    public void Dispose()
    {
        _app.Dispose();
        _hub.Dispose();
    }

    private HttpClient Client(string key)
    {
        var client = _app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    private HttpClient Operator => Client(PmhHubFactory.OperatorKey);

    private async Task<Guid> PublishAsync(string note)
    {
        var messageId = NewId.NextGuid();
        await _app.Services.GetRequiredService<IBus>().Publish(new GatewayDeadLetterProbe(note, Secret), c => c.MessageId = messageId);
        return messageId;
    }

    private Task<JsonObject> ListingUntilAsync(int total) =>
        Eventually.UntilAsync(
            async () => await (await Operator.GetAsync("/api/v1/operator/dead-letters")).JsonAsync(),
            listing => (int?)listing["total"] == total,
            $"{total} dead letter(s) listed");

    [Fact]
    public async Task A_poison_message_is_listed_with_its_fault_and_never_its_body()
    {
        var messageId = await PublishAsync("listed");

        var listing = await ListingUntilAsync(1);

        var queue = Assert.Single(listing["queues"]!.AsArray())!;
        Assert.Equal(ErrorQueue, (string?)queue["queue"]);
        Assert.Equal(1, (int?)queue["count"]);
        var message = Assert.Single(listing["messages"]!.AsArray())!;
        Assert.Equal(messageId.ToString(), (string?)message["id"]);
        Assert.Equal(messageId.ToString(), (string?)message["messageId"]);
        Assert.Equal(ErrorQueue, (string?)message["queue"]);
        Assert.Equal("urn:message:Pmh.Gateway.Tests.Apis:GatewayDeadLetterProbe", (string?)message["messageType"]);
        Assert.Equal("System.InvalidOperationException", (string?)message["faultType"]);
        Assert.Equal(GatewayDeadLetterProbeState.Reason, (string?)message["faultReason"]);
        Assert.True(DateTimeOffset.TryParse((string?)message["faultedAt"], System.Globalization.CultureInfo.InvariantCulture, out _));
        Assert.Null(message["headers"]);

        var inspected = await Operator.GetAsync($"/api/v1/operator/dead-letters/{messageId}");
        Assert.Equal(HttpStatusCode.OK, inspected.StatusCode);
        var one = await inspected.JsonAsync();
        Assert.Equal("System.InvalidOperationException", (string?)one["headers"]!["MT-Fault-ExceptionType"]);
        Assert.DoesNotContain(Secret, listing.ToJsonString() + one.ToJsonString(), StringComparison.Ordinal);
        Assert.DoesNotContain("\"listed\"", listing.ToJsonString() + one.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_replay_after_the_fault_is_fixed_succeeds_and_empties_the_dead_letters()
    {
        var messageId = await PublishAsync("replay me");
        await ListingUntilAsync(1);

        _state.Broken = false;
        var replay = await Operator.PostAsync($"/api/v1/operator/dead-letters/{messageId}/replay", null);

        Assert.Equal(HttpStatusCode.OK, replay.StatusCode);
        Assert.Equal(1, (int?)(await replay.JsonAsync())["replayed"]);
        var consumed = await Eventually.UntilAsync(() => _state.Consumed.ToList(), c => c.Count == 1, "the replayed message consumed");
        Assert.Equal((messageId, "replay me"), consumed[0]);
        await ListingUntilAsync(0);
        Assert.Equal(HttpStatusCode.NotFound, (await Operator.PostAsync($"/api/v1/operator/dead-letters/{messageId}/replay", null)).StatusCode);
    }

    [Fact]
    public async Task Replay_all_of_a_queue_answers_how_many_went_back()
    {
        await PublishAsync("one");
        await PublishAsync("two");
        await ListingUntilAsync(2);
        _state.Broken = false;

        var replay = await Operator.PostAsync($"/api/v1/operator/dead-letters/replay?queue={ErrorQueue}", null);

        Assert.Equal(HttpStatusCode.OK, replay.StatusCode);
        Assert.Equal(2, (int?)(await replay.JsonAsync())["replayed"]);
        await Eventually.UntilAsync(() => _state.Consumed.Count, c => c == 2, "both replayed messages consumed");
        Assert.Equal(0, (int?)(await (await Operator.PostAsync("/api/v1/operator/dead-letters/replay", null)).JsonAsync())["replayed"]);
    }

    [Fact]
    public async Task A_discarded_message_is_gone_and_never_consumed()
    {
        var messageId = await PublishAsync("discard me");
        await ListingUntilAsync(1);

        var discard = await Operator.DeleteAsync($"/api/v1/operator/dead-letters/{messageId}");

        Assert.Equal(HttpStatusCode.NoContent, discard.StatusCode);
        await ListingUntilAsync(0);
        Assert.Equal(HttpStatusCode.NotFound, (await Operator.DeleteAsync($"/api/v1/operator/dead-letters/{messageId}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Operator.GetAsync($"/api/v1/operator/dead-letters/{messageId}")).StatusCode);
        Assert.Empty(_state.Consumed);
    }

    [Fact]
    public async Task An_unknown_dead_letter_is_a_404_problem_and_a_bad_query_a_400()
    {
        var unknown = await Operator.PostAsync($"/api/v1/operator/dead-letters/{Guid.NewGuid()}/replay", null);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("application/problem+json", unknown.Content.Headers.ContentType?.MediaType);

        var queue = await Operator.GetAsync("/api/v1/operator/dead-letters?queue=access-recorded");
        Assert.Equal(HttpStatusCode.BadRequest, queue.StatusCode);
        Assert.Contains("queue", (await queue.JsonAsync()).Errors(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, (await Operator.GetAsync("/api/v1/operator/dead-letters?limit=0")).StatusCode);
    }

    [Fact]
    public async Task Only_the_operator_may_see_or_touch_dead_letters()
    {
        var messageId = await PublishAsync("not yours");
        await ListingUntilAsync(1);

        foreach (var key in new[] { PmhHubFactory.ClinicKey, PmhHubFactory.ChiyodaKey, PmhHubFactory.CardIssuerKey })
        {
            var client = Client(key);
            Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/api/v1/operator/dead-letters")).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await client.PostAsync($"/api/v1/operator/dead-letters/{messageId}/replay", null)).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await client.DeleteAsync($"/api/v1/operator/dead-letters/{messageId}")).StatusCode);
        }

        Assert.Equal(HttpStatusCode.Unauthorized, (await _app.CreateClient().GetAsync("/api/v1/operator/dead-letters")).StatusCode);
        await ListingUntilAsync(1);
    }

    [Fact]
    public async Task An_unreachable_broker_is_a_503_with_retry_after_not_a_500()
    {
        using var app = _hub.WithWebHostBuilder(builder => builder.ConfigureTestServices(services =>
            services.AddSingleton<IDeadLetters>(new RabbitMqDeadLetters(new Uri("amqp://guest:guest@127.0.0.1:1/"), new Uri("http://127.0.0.1:1/")))));
        var client = app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", PmhHubFactory.OperatorKey);

        var response = await client.GetAsync("/api/v1/operator/dead-letters");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(5), response.Headers.RetryAfter?.Delta);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await client.PostAsync("/api/v1/operator/dead-letters/replay", null)).StatusCode);
    }
}

/// <summary>A message for the dead-letter endpoint tests; <see cref="Secret"/> stands for personal data in a body.</summary>
public sealed record GatewayDeadLetterProbe(string Note, string Secret);

public sealed class GatewayDeadLetterProbeState
{
    public const string Reason = "The probe cannot be handled until the operator fixes the cause";

    public volatile bool Broken = true;

    public ConcurrentQueue<(Guid? MessageId, string Note)> Consumed { get; } = new();
}

/// <summary>Throws a plain non-transient exception while broken; records what it consumed once fixed.</summary>
public sealed class GatewayDeadLetterProbeConsumer(GatewayDeadLetterProbeState state) : IConsumer<GatewayDeadLetterProbe>
{
    public Task Consume(ConsumeContext<GatewayDeadLetterProbe> context)
    {
        if (state.Broken)
        {
            throw new InvalidOperationException(GatewayDeadLetterProbeState.Reason);
        }

        state.Consumed.Enqueue((context.MessageId, context.Message.Note));
        return Task.CompletedTask;
    }
}
