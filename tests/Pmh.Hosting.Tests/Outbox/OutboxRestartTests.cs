using System.Collections.Concurrent;
using MassTransit;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Pmh.Hosting.Outbox;
using Pmh.Hosting.Storage;
using Pmh.Testing;

namespace Pmh.Hosting.Tests.Outbox;

/// <summary>What a consumer of probes saw, in order: each probe's number and message id.</summary>
public sealed class ProbeLog
{
    public ConcurrentQueue<(int Number, Guid MessageId)> Received { get; } = new();
}

/// <summary>Records each probe once (inbox in its own database, in the transaction of its "state change").</summary>
public sealed class OutboxProbeConsumer(ProbeLog log, [FromKeyedServices(OutboxRestartTests.DatabaseName)] ServiceDatabase database) : IConsumer<OutboxProbe>
{
    public Task Consume(ConsumeContext<OutboxProbe> context) =>
        database.InTransactionAsync(
            async (connection, transaction, ct) =>
            {
                if (await Inbox.TryAcceptAsync(InboundMessage.From(context, "probe"), connection, transaction, ct))
                {
                    log.Received.Enqueue((context.Message.Number, context.MessageId!.Value));
                }

                return 0;
            },
            context.CancellationToken).AsTask();
}

public sealed class OutboxProbeConsumerDefinition : ConsumerDefinition<OutboxProbeConsumer>
{
    public OutboxProbeConsumerDefinition() => ConcurrentMessageLimit = 1;
}

/// <summary>
/// A hub process (its own database, its bus, the real dispatcher) that committed messages to its outbox
/// and stopped before any left (the "broker" was down): the next process on the same database delivers them all,
/// in the order they were written, with their message ids.
/// </summary>
public abstract class OutboxRestartTests : IDisposable
{
    public const string DatabaseName = "OutboxProbe";

    private readonly StorageProvider _provider;
    private readonly bool _rabbitMq;
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "pmh-tests", Guid.NewGuid().ToString("N"));
    private readonly string? _postgres;

    protected OutboxRestartTests(StorageProvider provider, bool rabbitMq = false)
    {
        _provider = provider;
        _rabbitMq = rabbitMq;
        _postgres = provider == StorageProvider.PostgreSql && WhyNotAvailable is null ? TestServers.NewPostgresDatabase("pmh_outbox_restart") : null;
    }

    private string? WhyNotAvailable =>
        (_rabbitMq ? TestServers.WhyNoRabbitMq : null) ?? (_provider == StorageProvider.PostgreSql ? TestServers.WhyNoPostgres : null);

    [SkippableFact]
    public async Task Messages_committed_by_a_process_that_stopped_before_sending_them_are_delivered_in_order_after_the_restart()
    {
        var why = WhyNotAvailable;
        Skip.If(why is not null, why);

        List<Guid> written;
        using (var crashed = Build(new RecordingTransport { FailAfter = 0 }))
        {
            await crashed.StartAsync();
            var database = crashed.Services.GetRequiredKeyedService<ServiceDatabase>(DatabaseName);
            written = await OutboxTestKit.WriteProbesAsync(database, 5);
            await crashed.StopAsync();
            Assert.Equal(5, await OutboxTestKit.CountAsync(database, "dispatched_at IS NULL"));
        }

        using var restarted = Build(transport: null);
        await restarted.StartAsync();
        var log = restarted.Services.GetRequiredService<ProbeLog>();
        // Only this run's probes count (a broker queue may hold a failed earlier run's).
        var ours = () => log.Received.Where(r => written.Contains(r.MessageId)).ToList();
        await Eventually.UntilAsync(() => ours().Count >= 5, "the five probes after the restart");

        Assert.Equal([1, 2, 3, 4, 5], ours().Select(r => r.Number));
        Assert.Equal(written, ours().Select(r => r.MessageId));
        var restartedDatabase = restarted.Services.GetRequiredKeyedService<ServiceDatabase>(DatabaseName);
        await Eventually.UntilAsync(
            () => OutboxTestKit.CountAsync(restartedDatabase, "dispatched_at IS NULL"), pending => pending == 0, "every row marked dispatched");
        await restarted.StopAsync();
    }

    private IHost Build(IOutboxTransport? transport)
    {
        var settings = new List<(string, string?)>
        {
            ("Pmh:HubSecret", HostBuilders.Secret),
            ("Pmh:Storage:Provider", _provider.ToString()),
            ("Pmh:Storage:DataFolder", _folder),
        };
        if (_postgres is not null)
        {
            settings.Add(($"ConnectionStrings:{DatabaseName}", _postgres));
        }

        if (_rabbitMq)
        {
            settings.Add(("Pmh:Bus:Transport", "RabbitMq"));
            settings.Add(("ConnectionStrings:RabbitMq", TestServers.RabbitMq));
        }

        var builder = HostBuilders.With("Testing", [.. settings]);
        builder.Services.AddLogging();
        builder.Services.AddSingleton<ProbeLog>();
        if (transport is not null)
        {
            builder.Services.AddSingleton(transport);
        }

        builder.AddPmhHub(ServiceSelection.Parse("all", ["probe"]))
            .AddServiceDatabase(DatabaseName, typeof(OutboxDispatcher).Assembly)
            .AddConsumers(bus => bus.AddConsumer<OutboxProbeConsumer, OutboxProbeConsumerDefinition>())
            .AddPmhBus();
        return builder.Build();
    }

    public void Dispose()
    {
        if (_postgres is not null)
        {
            TestServers.DropPostgresDatabases(_postgres);
        }

        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // Not made (a skipped test), or a file still open on a slow finaliser; the temp folder is cleaned by the OS.
        }

        GC.SuppressFinalize(this);
    }
}

public sealed class SqliteOutboxRestartTests() : OutboxRestartTests(StorageProvider.Sqlite);

public sealed class PostgresOutboxRestartTests() : OutboxRestartTests(StorageProvider.PostgreSql);

/// <summary>The same over RabbitMQ: the message ids survive the broker's envelope.</summary>
public sealed class RabbitMqOutboxRestartTests() : OutboxRestartTests(StorageProvider.PostgreSql, rabbitMq: true);
