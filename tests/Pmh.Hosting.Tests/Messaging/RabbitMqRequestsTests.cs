using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Pmh.Contracts.Subsidy;
using Pmh.Hosting.Messaging;
using Pmh.Testing;

namespace Pmh.Hosting.Tests.Messaging;

/// <summary>
/// Request/response of the hub's bus on a real broker (<see cref="RabbitMqRequests"/>): the hub's bus
/// (<c>AddPmhBus</c> on RabbitMQ) in a vhost of its own, with consumers that write down how each message reached
/// them (its AMQP delivery mode and reply-to), and the management API for the queues and connections.
/// </summary>
public sealed class RabbitMqRequestsTests : IAsyncLifetime
{
    private readonly RequestProbeState _state = new();
    private readonly string _vhost = "pmh-requests-" + Guid.NewGuid().ToString("N")[..8];
    private IHost? _host;

    public async Task InitializeAsync()
    {
        if (RabbitMqManagement.WhyNot is not null)
        {
            return;
        }

        await RabbitMqManagement.CreateVirtualHostAsync(_vhost);
        var amqp = new UriBuilder(RabbitMqManagement.Amqp!) { Path = "/" + _vhost }.Uri;
        var builder = HostBuilders.With("Testing",
            ("Pmh:HubSecret", HostBuilders.Secret),
            ("Pmh:Bus:Transport", "RabbitMq"),
            ("ConnectionStrings:RabbitMq", amqp.ToString()),
            ("Pmh:Bus:ReconnectInterval", "00:00:01"),
            (RabbitMqRequests.DirectReplyToSetting, "true"),
            (RabbitMqRequests.TransientQueriesSetting, "true"));
        builder.Services.AddLogging();
        builder.Services.AddSingleton(_state);
        builder.Services.AddTransientMessage<QueryProbe>().AddTransientMessage<QueryProbed>();
        builder.AddPmhHub(ServiceSelection.Parse("all", ["probe"]))
            .AddConsumers(bus =>
            {
                bus.AddConsumer<QueryProbeConsumer>();
                bus.AddConsumer<CommandProbeConsumer>();
                bus.AddConsumer<EventProbeConsumer>();
                bus.AddConsumer<SilentEligibilityConsumer>();
            })
            .AddPmhBus();
        _host = builder.Build();
        await _host.StartAsync();
    }

    public async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.StopAsync();
            _host.Dispose();
            await RabbitMqManagement.DeleteVirtualHostAsync(_vhost);
        }
    }

    private IRequestClient<T> Client<T>()
        where T : class =>
        _host!.Services.CreateScope().ServiceProvider.GetRequiredService<IRequestClient<T>>();

    [RabbitMqManagementFact]
    public async Task A_query_is_answered_by_direct_reply_to_and_travels_non_persistent()
    {
        var response = await Client<QueryProbe>().GetResponse<QueryProbed>(new QueryProbe("ping"));

        Assert.Equal("ping", response.Message.Note);
        var seen = Assert.Single(_state.Seen, s => s.Kind == "query");
        Assert.False(seen.Persistent);
        Assert.StartsWith("amq.rabbitmq.reply-to", seen.ReplyTo, StringComparison.Ordinal);
    }

    [RabbitMqManagementFact]
    public async Task Commands_and_events_stay_persistent_on_durable_quorum_queues_while_a_reception_query_is_sent_non_persistent()
    {
        using var cancel = new CancellationTokenSource();
        var query = Client<CheckSubsidyEligibility>().GetResponse<SubsidyEligibility>(
            new CheckSubsidyEligibility { PersonKey = "probe", ServiceDate = new DateOnly(2026, 12, 3) }, cancel.Token);
        await Client<CommandProbe>().GetResponse<CommandProbed>(new CommandProbe("do it"));
        await _host!.Services.GetRequiredService<IBus>().Publish(new EventProbe("it happened"));

        var seen = await Eventually.UntilAsync(() => Task.FromResult(_state.Seen.ToList()), s => s.Count == 3, "the query, the command and the event consumed");
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => query);

        Assert.False(Assert.Single(seen, s => s.Kind == "eligibility").Persistent);
        Assert.True(Assert.Single(seen, s => s.Kind == "command").Persistent);
        Assert.True(Assert.Single(seen, s => s.Kind == "event").Persistent);
        foreach (var queue in new[] { "command-probe", "event-probe", "silent-eligibility" })
        {
            var described = await RabbitMqManagement.GetQueueAsync(_vhost, queue);
            Assert.Equal("quorum", (string?)described["type"]);
            Assert.True((bool)described["durable"]!);
        }
    }

    [RabbitMqManagementFact]
    public async Task A_request_nobody_answers_ends_at_its_callers_token_not_at_its_request_timeout()
    {
        using var cancel = new CancellationTokenSource();
        var request = Client<CheckSubsidyEligibility>().GetResponse<SubsidyEligibility>(
            new CheckSubsidyEligibility { PersonKey = "nobody answers", ServiceDate = new DateOnly(2026, 12, 3) },
            cancel.Token,
            RequestTimeout.After(m: 10));
        await Eventually.UntilAsync(() => Task.FromResult(_state.Seen.Count), c => c == 1, "the request delivered to its silent consumer");

        await cancel.CancelAsync();

        // A RequestTimeoutException would only come after ten minutes: the caller's token ends it now.
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => request);
    }

    [RabbitMqManagementFact]
    public async Task After_the_broker_drops_the_hubs_connections_requests_are_answered_again_by_direct_reply_to()
    {
        Assert.Equal("before", (await Client<QueryProbe>().GetResponse<QueryProbed>(new QueryProbe("before"))).Message.Note);

        // The management API lists a new connection only after its next statistics round (seconds): until then, nothing to close.
        await Eventually.UntilAsync(() => RabbitMqManagement.CloseConnectionsAsync(_vhost), closed => closed > 0, "the hub's connections listed and closed", interval: TimeSpan.FromMilliseconds(500));

        // Requests made while the bus reconnects may be lost (each ends at its own deadline); one is answered again.
        var answered = await Eventually.UntilAsync(
            async () =>
            {
                using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                try
                {
                    return (await Client<QueryProbe>().GetResponse<QueryProbed>(new QueryProbe("after"), deadline.Token)).Message.Note;
                }
                catch (Exception e) when (e is OperationCanceledException or RequestTimeoutException or RequestException)
                {
                    return null;
                }
            },
            note => note == "after",
            "a request answered after the connections were dropped",
            TimeSpan.FromSeconds(60));
        Assert.Equal("after", answered);
        Assert.All(_state.Seen.Where(s => s.Kind == "query"), s => Assert.StartsWith("amq.rabbitmq.reply-to", s.ReplyTo, StringComparison.Ordinal));
    }
}

/// <summary>A query of the tests, registered as transient like the reception's.</summary>
public sealed record QueryProbe(string Note);

public sealed record QueryProbed(string Note);

/// <summary>A command sent as a request (as the hub sends RecordCopayment and the like): not transient.</summary>
public sealed record CommandProbe(string Note);

public sealed record CommandProbed(string Note);

/// <summary>An event, published.</summary>
public sealed record EventProbe(string Note);

/// <summary>How each message reached its consumer: its kind, whether it was persistent, and its AMQP reply-to.</summary>
public sealed class RequestProbeState
{
    public ConcurrentQueue<(string Kind, bool Persistent, string? ReplyTo)> Seen { get; } = new();

    public void Record(string kind, ConsumeContext context)
    {
        var properties = context.ReceiveContext.TryGetPayload<RabbitMqBasicConsumeContext>(out var rabbit) ? rabbit.Properties : null;
        Seen.Enqueue((kind, properties?.Persistent ?? false, properties?.ReplyTo));
    }
}

public sealed class QueryProbeConsumer(RequestProbeState state) : IConsumer<QueryProbe>
{
    public Task Consume(ConsumeContext<QueryProbe> context)
    {
        state.Record("query", context);
        return context.RespondAsync(new QueryProbed(context.Message.Note));
    }
}

public sealed class CommandProbeConsumer(RequestProbeState state) : IConsumer<CommandProbe>
{
    public Task Consume(ConsumeContext<CommandProbe> context)
    {
        state.Record("command", context);
        return context.RespondAsync(new CommandProbed(context.Message.Note));
    }
}

public sealed class EventProbeConsumer(RequestProbeState state) : IConsumer<EventProbe>
{
    public Task Consume(ConsumeContext<EventProbe> context)
    {
        state.Record("event", context);
        return Task.CompletedTask;
    }
}

/// <summary>Takes the reception's subsidy query (a real transient type) and never answers it.</summary>
public sealed class SilentEligibilityConsumer(RequestProbeState state) : IConsumer<CheckSubsidyEligibility>
{
    public Task Consume(ConsumeContext<CheckSubsidyEligibility> context)
    {
        state.Record("eligibility", context);
        return Task.CompletedTask;
    }
}
