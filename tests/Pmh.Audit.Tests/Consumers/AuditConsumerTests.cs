using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Pmh.Audit.Consumers;
using Pmh.Audit.Storage;
using Pmh.Contracts.Audit;
using Pmh.Hosting;
using Pmh.Testing;

namespace Pmh.Audit.Tests.Consumers;

public sealed class AuditConsumerTests : IAsyncLifetime
{
    private readonly TestDatabase _database = TestDatabase.Create(
        StorageProvider.Sqlite, AuditServiceExtensions.DatabaseName, typeof(AuditServiceExtensions).Assembly);

    private ServiceProvider _provider = null!;
    private ITestHarness _harness = null!;

    public async Task InitializeAsync()
    {
        _provider = new ServiceCollection()
            .AddKeyedSingleton(AuditServiceExtensions.DatabaseName, _database.Database)
            .AddSingleton<TimeProvider>(new FakeTimeProvider(new DateTimeOffset(2026, 5, 1, 12, 0, 0, TimeSpan.Zero)))
            .AddSingleton<AuditStore>()
            .AddMassTransitTestHarness(bus =>
            {
                bus.SetKebabCaseEndpointNameFormatter();
                bus.AddConfigureEndpointsCallback((_, _, endpoint) => Pmh.Hosting.Messaging.ConsumerFaultPolicy.Apply(endpoint, new Pmh.Hosting.BusOptions()));
                bus.AddConsumer<AccessRecordedConsumer>();
                bus.AddConsumer<GetAccessLogConsumer>();
                bus.AddConsumer<VerifyAuditChainConsumer>();
            })
            .BuildServiceProvider(true);
        _harness = _provider.GetRequiredService<ITestHarness>();
        await _harness.Start();
    }

    public async Task DisposeAsync()
    {
        await _harness.Stop();
        await _provider.DisposeAsync();
        _database.Dispose();
    }

    private AuditStore Store => _provider.GetRequiredService<AuditStore>();

    private async Task PublishAndWaitAsync(AccessRecorded access, int consumedCount)
    {
        await _harness.Bus.Publish(access);
        var consumer = _harness.GetConsumerHarness<AccessRecordedConsumer>();
        await WaitUntilAsync(() => consumer.Consumed.Select<AccessRecorded>().Count() >= consumedCount);
    }

    [Fact]
    public async Task An_access_recorded_event_is_stored()
    {
        var access = AuditEvents.Make("alice");

        await PublishAndWaitAsync(access, 1);

        Assert.Equal([access.EventId], (await Store.ForPersonAsync("alice", 10, default)).Select(e => e.EventId));
        Assert.False(await _harness.Published.Any<Fault<AccessRecorded>>(TestContext.Current()));
    }

    [Fact]
    public async Task A_redelivered_event_is_stored_once()
    {
        var access = AuditEvents.Make("alice");

        await PublishAndWaitAsync(access, 1);
        await PublishAndWaitAsync(access, 2);

        Assert.Single(await Store.ForPersonAsync("alice", 10, default));
    }

    [Fact]
    public async Task An_event_redelivered_with_the_same_message_id_leaves_the_chain_unchanged()
    {
        var access = AuditEvents.Make("alice");
        var messageId = NewId.NextGuid();
        // The harness lists a message id once; an observer counts every delivery.
        var deliveries = new ConsumedCount();
        using var observer = _harness.Bus.ConnectConsumeMessageObserver(deliveries);
        await _harness.Bus.Publish(access, c => c.MessageId = messageId);
        await WaitUntilAsync(() => deliveries.Count >= 1);
        var before = await Store.VerifyAsync(default);

        await _harness.Bus.Publish(access, c => c.MessageId = messageId);
        await WaitUntilAsync(() => deliveries.Count >= 2);

        Assert.Single(await Store.ForPersonAsync("alice", 10, default));
        Assert.Equal(before, await Store.VerifyAsync(default));
        Assert.Equal(1, await _database.Database.RunAsync(
            (connection, ct) => Dapper.SqlMapper.ExecuteScalarAsync<long>(connection, new Dapper.CommandDefinition(
                "SELECT COUNT(*) FROM inbox_messages WHERE consumer = @Consumer AND message_id = @Id",
                new { Consumer = AccessRecordedConsumer.InboxName, Id = messageId.ToString("D") },
                cancellationToken: ct)),
            default));
    }

    [Fact]
    public async Task The_access_log_answers_with_the_persons_entries_newest_first()
    {
        var older = AuditEvents.Make("alice", minute: 1);
        var newer = AuditEvents.Make("alice", minute: 2);
        await Store.AppendAsync(older, default);
        await Store.AppendAsync(AuditEvents.Make("bob"), default);
        await Store.AppendAsync(newer, default);

        var response = await _harness.GetRequestClient<GetAccessLog>().GetResponse<AccessLog>(new GetAccessLog { PersonKey = "alice" });

        Assert.Equal([newer.EventId, older.EventId], response.Message.Entries.Select(e => e.EventId));
    }

    [Fact]
    public async Task Verifying_the_chain_answers_intact_then_the_first_broken_link()
    {
        await Store.AppendAsync(AuditEvents.Make(), default);
        await Store.AppendAsync(AuditEvents.Make(), default);
        var client = _harness.GetRequestClient<VerifyAuditChain>();

        var intact = await client.GetResponse<AuditChainVerified>(new VerifyAuditChain());
        await _database.Database.RunAsync(
            (connection, ct) => Dapper.SqlMapper.ExecuteAsync(connection, "DELETE FROM audit_entries WHERE sequence = 2"), default);
        var broken = await client.GetResponse<AuditChainVerified>(new VerifyAuditChain());

        Assert.Equal(new AuditChainVerified { IsIntact = true, EntriesChecked = 2 }, intact.Message);
        Assert.Equal((false, 2L, AuditChainBreaks.EntryMissing), (broken.Message.IsIntact, broken.Message.FirstBrokenSequence, broken.Message.Reason));
    }

    private static Task WaitUntilAsync(Func<bool> condition, [System.Runtime.CompilerServices.CallerArgumentExpression(nameof(condition))] string awaited = "") =>
        Eventually.UntilAsync(condition, awaited);
}

/// <summary>A short wait for "nothing happened" assertions (the harness otherwise waits its full inactivity timeout).</summary>
internal static class TestContext
{
    public static CancellationToken Current() => new CancellationTokenSource(TimeSpan.FromMilliseconds(500)).Token;
}

/// <summary>Counts the deliveries of <see cref="AccessRecorded"/> that consumers finished.</summary>
internal sealed class ConsumedCount : IConsumeMessageObserver<AccessRecorded>
{
    private int _count;

    public int Count => Volatile.Read(ref _count);

    public Task PreConsume(ConsumeContext<AccessRecorded> context) => Task.CompletedTask;

    public Task PostConsume(ConsumeContext<AccessRecorded> context)
    {
        Interlocked.Increment(ref _count);
        return Task.CompletedTask;
    }

    public Task ConsumeFault(ConsumeContext<AccessRecorded> context, Exception exception) => Task.CompletedTask;
}
