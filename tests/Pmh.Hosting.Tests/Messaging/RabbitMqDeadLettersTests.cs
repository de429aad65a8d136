using System.Text.Json;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Pmh.Hosting.Messaging.DeadLetters;
using Pmh.Testing;

namespace Pmh.Hosting.Tests.Messaging;

/// <summary>
/// The distributed set-up's dead letters on a real broker: the hub's bus (<c>AddPmhBus</c> on RabbitMQ) in a vhost
/// of its own, a consumer that throws a plain exception, and <see cref="RabbitMqDeadLetters"/> reading its
/// <c>_error</c> queue through the management API and basic.get.
/// </summary>
public sealed class RabbitMqDeadLettersTests : IAsyncLifetime
{
    private const string ErrorQueue = "dead-letter-probe_error";
    private const string Secret = "123456789018";

    private readonly DeadLetterProbeState _state = new();
    private readonly string _vhost = "pmh-dead-letters-" + Guid.NewGuid().ToString("N")[..8];
    private IHost? _host;

    private IDeadLetters DeadLetters => _host!.Services.GetRequiredService<IDeadLetters>();

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
            ("Pmh:Bus:ManagementUrl", RabbitMqManagement.Url!.ToString()));
        builder.Services.AddLogging();
        builder.Services.AddSingleton(_state);
        builder.AddPmhHub(ServiceSelection.Parse("all", ["probe"]))
            .AddConsumers(bus => bus.AddConsumer<DeadLetterProbeConsumer>())
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

    private async Task<Guid> PublishAsync(string note)
    {
        var messageId = NewId.NextGuid();
        await _host!.Services.GetRequiredService<IBus>().Publish(new DeadLetterProbe(note, Secret), c => c.MessageId = messageId);
        return messageId;
    }

    private Task<DeadLetterListing> DeadLettersUntilAsync(int count) =>
        Eventually.UntilAsync(() => DeadLetters.ListAsync(null, 100, default), l => l.Total == count, $"{count} dead letter(s) in {ErrorQueue}");

    [RabbitMqManagementFact]
    public async Task A_poison_message_is_listed_from_its_error_queue_and_stays_there()
    {
        var messageId = await PublishAsync("listed");

        var listing = await DeadLettersUntilAsync(1);

        Assert.Equal([new DeadLetterQueue(ErrorQueue, 1)], listing.Queues);
        var letter = Assert.Single(listing.Messages);
        Assert.Equal(messageId.ToString(), letter.Id);
        Assert.Equal(messageId, letter.MessageId);
        Assert.Equal("dead-letter-probe", letter.InputQueue);
        Assert.Equal("urn:message:Pmh.Hosting.Tests.Messaging:DeadLetterProbe", letter.MessageType);
        Assert.Equal("System.InvalidOperationException", letter.FaultType);
        Assert.Equal(DeadLetterProbeState.Reason, letter.FaultReason);
        Assert.NotNull(letter.FaultedAt);

        var inspected = Assert.Single(await DeadLetters.FindAsync(letter.Id, null, default));
        Assert.StartsWith("rabbitmq://", inspected.Headers!["MT-Fault-InputAddress"], StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, JsonSerializer.Serialize(listing) + JsonSerializer.Serialize(inspected), StringComparison.Ordinal);
        // Reading is not taking: the message is still there, for the next reader and for a replay.
        Assert.Equal(1, (await DeadLetters.ListAsync(ErrorQueue, 100, default)).Total);
        Assert.Empty(await DeadLetters.FindAsync(Guid.NewGuid().ToString(), null, default));
    }

    [RabbitMqManagementFact]
    public async Task A_replay_after_the_cause_is_fixed_reaches_the_consumer_and_empties_the_error_queue()
    {
        var messageId = await PublishAsync("replay me");
        var letter = Assert.Single((await DeadLettersUntilAsync(1)).Messages);

        _state.Broken = false;
        Assert.Equal(1, await DeadLetters.ReplayAsync(letter.Id, null, default));

        var consumed = await Eventually.UntilAsync(() => _state.Consumed.ToList(), c => c.Count == 1, "the replayed message consumed");
        Assert.Equal((messageId, "replay me", 1), consumed[0]);
        Assert.Equal(0, (await DeadLetters.ListAsync(null, 100, default)).Total);
        Assert.Equal(0, await DeadLetters.ReplayAsync(letter.Id, null, default));
    }

    [RabbitMqManagementFact]
    public async Task A_discarded_message_leaves_the_error_queue_and_is_never_consumed()
    {
        await PublishAsync("keep");
        await PublishAsync("discard");
        var listing = await DeadLettersUntilAsync(2);
        var discard = listing.Messages[1].Id;

        Assert.Equal(1, await DeadLetters.DiscardAsync(discard, ErrorQueue, default));

        var left = Assert.Single((await DeadLetters.ListAsync(null, 100, default)).Messages);
        Assert.NotEqual(discard, left.Id);
        Assert.Equal(0, await DeadLetters.DiscardAsync(discard, null, default));
        Assert.Empty(_state.Consumed);
    }

    [RabbitMqManagementFact]
    public async Task Replay_all_sends_every_message_of_the_queue_back_once()
    {
        for (var i = 0; i < 3; i++)
        {
            await PublishAsync("all " + i);
        }

        await DeadLettersUntilAsync(3);
        _state.Broken = false;

        Assert.Equal(3, await DeadLetters.ReplayAllAsync(ErrorQueue, default));

        var consumed = await Eventually.UntilAsync(() => _state.Consumed.ToList(), c => c.Count == 3, "the three replayed messages consumed");
        Assert.Equal(["all 0", "all 1", "all 2"], consumed.Select(c => c.Note).Order(StringComparer.Ordinal));
        Assert.Equal(0, (await DeadLetters.ListAsync(null, 100, default)).Total);
    }

    [Fact]
    public async Task An_unreachable_management_api_is_reported_as_unavailable_not_as_a_crash()
    {
        using var deadLetters = new RabbitMqDeadLetters(new Uri("amqp://guest:guest@127.0.0.1:1/"), new Uri("http://guest:guest@127.0.0.1:1/"));

        var e = await Assert.ThrowsAsync<DeadLettersUnavailableException>(() => deadLetters.ListAsync(null, 10, default));

        Assert.Contains("cannot be reached", e.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<DeadLettersUnavailableException>(() => deadLetters.ReplayAllAsync(null, default));
    }
}
