using System.Text.Json;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Pmh.Hosting.Messaging.DeadLetters;
using Pmh.Testing;

namespace Pmh.Hosting.Tests.Messaging;

/// <summary>
/// The embedded set-up's dead letters on the hub's own in-memory bus (<c>AddPmhBus</c>): a consumer that throws a
/// plain exception leaves its message here, not in an unreadable in-memory <c>_error</c> queue.
/// </summary>
public sealed class InMemoryDeadLettersTests : IAsyncLifetime
{
    private const string ErrorQueue = "dead-letter-probe_error";
    private const string Secret = "123456789018";

    private readonly DeadLetterProbeState _state = new();
    private IHost _host = null!;

    private IDeadLetters DeadLetters => _host.Services.GetRequiredService<IDeadLetters>();

    public async Task InitializeAsync()
    {
        var builder = HostBuilders.With("Testing", ("Pmh:HubSecret", HostBuilders.Secret));
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
        await _host.StopAsync();
        _host.Dispose();
    }

    private async Task<Guid> PublishAsync(string note)
    {
        var messageId = NewId.NextGuid();
        await _host.Services.GetRequiredService<IBus>().Publish(new DeadLetterProbe(note, Secret), c => c.MessageId = messageId);
        return messageId;
    }

    private Task<DeadLetterListing> DeadLettersUntilAsync(int count) =>
        Eventually.UntilAsync(() => DeadLetters.ListAsync(null, 100, default), l => l.Total == count, $"{count} dead letter(s)");

    [Fact]
    public async Task A_message_its_consumer_gives_up_on_is_listed_with_its_fault_and_without_its_body()
    {
        var messageId = await PublishAsync("first");

        var listing = await DeadLettersUntilAsync(1);

        Assert.Equal([new DeadLetterQueue(ErrorQueue, 1)], listing.Queues);
        var letter = Assert.Single(listing.Messages);
        Assert.Equal(messageId.ToString(), letter.Id);
        Assert.Equal(messageId, letter.MessageId);
        Assert.Equal(ErrorQueue, letter.Queue);
        Assert.Equal("dead-letter-probe", letter.InputQueue);
        Assert.Equal("urn:message:Pmh.Hosting.Tests.Messaging:DeadLetterProbe", letter.MessageType);
        Assert.Equal("System.InvalidOperationException", letter.FaultType);
        Assert.Equal(DeadLetterProbeState.Reason, letter.FaultReason);
        Assert.NotNull(letter.FaultedAt);
        Assert.Null(letter.Headers);

        var inspected = Assert.Single(await DeadLetters.FindAsync(letter.Id, null, default));
        Assert.Equal("System.InvalidOperationException", inspected.Headers!["MT-Fault-ExceptionType"]);
        Assert.Contains("loopback://", inspected.Headers["MT-Fault-InputAddress"], StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, JsonSerializer.Serialize(listing) + JsonSerializer.Serialize(inspected), StringComparison.Ordinal);
        Assert.Empty(_state.Consumed);
    }

    [Fact]
    public async Task A_replay_after_the_cause_is_fixed_reaches_the_consumer_with_the_same_message_id()
    {
        var messageId = await PublishAsync("replay me");
        var letter = Assert.Single((await DeadLettersUntilAsync(1)).Messages);

        _state.Broken = false;
        var replayed = await DeadLetters.ReplayAsync(letter.Id, null, default);

        Assert.Equal(1, replayed);
        var consumed = await Eventually.UntilAsync(() => _state.Consumed.ToList(), c => c.Count == 1, "the replayed message consumed");
        Assert.Equal((messageId, "replay me", 1), consumed[0]);
        Assert.Equal(0, (await DeadLetters.ListAsync(null, 100, default)).Total);
    }

    [Fact]
    public async Task A_replay_that_faults_again_comes_back_counted()
    {
        await PublishAsync("still broken");
        var letter = Assert.Single((await DeadLettersUntilAsync(1)).Messages);

        Assert.Equal(1, await DeadLetters.ReplayAsync(letter.Id, ErrorQueue, default));

        var again = await Eventually.UntilAsync(() => DeadLetters.FindAsync(letter.Id, null, default), f => f.Count == 1, "the replay back in the dead letters");
        Assert.Equal(1, again[0].Replays);
        Assert.Empty(_state.Consumed);
    }

    [Fact]
    public async Task A_discarded_message_is_gone_and_never_consumed()
    {
        await PublishAsync("discard me");
        var letter = Assert.Single((await DeadLettersUntilAsync(1)).Messages);

        Assert.Equal(1, await DeadLetters.DiscardAsync(letter.Id, null, default));

        _state.Broken = false;
        Assert.Equal(0, (await DeadLetters.ListAsync(null, 100, default)).Total);
        Assert.Equal(0, await DeadLetters.ReplayAsync(letter.Id, null, default));
        Assert.Equal(0, await DeadLetters.DiscardAsync(letter.Id, null, default));
        Assert.Empty(_state.Consumed);
    }

    [Fact]
    public async Task Replay_all_sends_every_dead_letter_of_the_queue_back()
    {
        for (var i = 0; i < 3; i++)
        {
            await PublishAsync("all " + i);
        }

        await DeadLettersUntilAsync(3);
        _state.Broken = false;

        Assert.Equal(0, await DeadLetters.ReplayAllAsync("other-queue_error", default));
        Assert.Equal(3, await DeadLetters.ReplayAllAsync(ErrorQueue, default));

        var consumed = await Eventually.UntilAsync(() => _state.Consumed.ToList(), c => c.Count == 3, "the three replayed messages consumed");
        Assert.Equal(["all 0", "all 1", "all 2"], consumed.Select(c => c.Note).Order(StringComparer.Ordinal));
        Assert.Equal(0, (await DeadLetters.ListAsync(null, 100, default)).Total);
    }

    [Fact]
    public async Task The_listing_shows_at_most_the_limit_but_counts_every_dead_letter()
    {
        for (var i = 0; i < 3; i++)
        {
            await PublishAsync("limit " + i);
        }

        await DeadLettersUntilAsync(3);
        var listing = await DeadLetters.ListAsync(ErrorQueue, 2, default);

        Assert.Equal(3, listing.Total);
        Assert.Equal(2, listing.Messages.Count);
        Assert.Equal(0, (await DeadLetters.ListAsync("other-queue_error", 100, default)).Total);
    }

    [Fact]
    public async Task Beyond_its_capacity_the_oldest_dead_letter_is_dropped()
    {
        var letters = new InMemoryDeadLetters(new ServiceCollection().BuildServiceProvider(), NullLogger<InMemoryDeadLetters>.Instance, capacity: 2);
        Guid[] ids = [Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid()];
        foreach (var id in ids)
        {
            letters.Add(new InMemoryDeadLetters.Captured(id, "q_error", new Uri("loopback://localhost/q"), [], null, []));
        }

        var listing = await letters.ListAsync(null, 10, default);

        Assert.Equal(2, listing.Total);
        Assert.Equal(ids[1..], listing.Messages.Select(m => m.MessageId!.Value));
    }
}
