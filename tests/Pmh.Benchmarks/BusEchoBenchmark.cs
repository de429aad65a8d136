using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Pmh.Hosting;
using Pmh.Hosting.Messaging;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace Pmh.Benchmarks;

/// <summary>
/// Request/reply echo against one RabbitMQ broker, twice, one after the other, with the same number of requests in
/// flight and a body the size of a hub request:
/// <list type="number">
/// <item>raw RabbitMQ.Client: direct reply-to, an echo server on its own connection consuming a non-durable exclusive
/// queue (prefetch as the hub's default), transient messages and no publisher confirms on either side — about the
/// least the broker and the client library can do for a round trip;</item>
/// <item>the hub's own bus (<see cref="PmhHubExtensions.AddPmhBus"/>: the hub's prefetch and endpoint conventions, a
/// durable quorum queue, the echo sent as the hub sends its reception queries: transient, no publisher confirm, the
/// reply by direct reply-to; Messaging/RabbitMqRequests) with a MassTransit request client.</item>
/// </list>
/// The ratio says what the hub's messaging costs a lookup over the broker's floor.
/// </summary>
internal static class BusEchoBenchmark
{
    private static readonly TimeSpan ReplyTimeout = TimeSpan.FromSeconds(30);

    public static async Task<(string Line, double Ratio)> RunAsync(string rabbitMqUri, int concurrency, TimeSpan duration, TimeSpan warmup)
    {
        var request = SampleRequest();
        var body = JsonSerializer.SerializeToUtf8Bytes(request);
        var prefetch = new BusOptions().PrefetchCount;

        var raw = await RunRawAsync(new Uri(rabbitMqUri), body, prefetch, concurrency, duration, warmup);
        // The hub's bus as shipped, and with each of issue 16's changes switched off again (the same run, the same load).
        var (before, _) = await RunHubAsync(rabbitMqUri, request, concurrency, duration, warmup, directReplyTo: false, transientQueries: false);
        var (replyToOnly, _) = await RunHubAsync(rabbitMqUri, request, concurrency, duration, warmup, directReplyTo: true, transientQueries: false);
        var (hub, hubBus) = await RunHubAsync(rabbitMqUri, request, concurrency, duration, warmup, directReplyTo: true, transientQueries: true);

        var line = string.Concat(
            HubProcess.Format($"bus echo (RabbitMQ, {concurrency} in flight, {duration.TotalSeconds:F0} s after {warmup.TotalSeconds:F0} s warm-up, {body.Length}-byte JSON body): "),
            HubProcess.Format($"raw RabbitMQ.Client direct reply-to (server: non-durable exclusive queue, prefetch {prefetch}, manual ack; transient messages, no publisher confirms either side) "),
            HubProcess.Format($"{raw.PerSecond:N0} round trips/s p50 {raw.P50:F2} ms p99 {raw.P99:F2} ms{raw.ErrorText} | "),
            HubProcess.Format($"hub bus (MassTransit request client, the hub's settings: prefetch {hubBus.PrefetchCount}, durable quorum queue, a query's transient messages without publisher confirms, replies by direct reply-to) "),
            HubProcess.Format($"{hub.PerSecond:N0}/s p50 {hub.P50:F2} ms p99 {hub.P99:F2} ms{hub.ErrorText} | ratio {hub.PerSecond / raw.PerSecond:F2} | "),
            HubProcess.Format($"switched off again: persistent, confirmed, replies via the bus's temporary queue {before.PerSecond:N0}/s p50 {before.P50:F2} ms p99 {before.P99:F2} ms{before.ErrorText} (ratio {before.PerSecond / raw.PerSecond:F2}); "),
            HubProcess.Format($"direct reply-to only {replyToOnly.PerSecond:N0}/s p50 {replyToOnly.P50:F2} ms p99 {replyToOnly.P99:F2} ms{replyToOnly.ErrorText} (ratio {replyToOnly.PerSecond / raw.PerSecond:F2})"));
        return (line, hub.PerSecond / raw.PerSecond);
    }

    private static BenchmarkEcho SampleRequest() => new(
        Guid.NewGuid(),
        "pk_0f3b9c2e7a5d41c8b6e2f19a7d3c5e8b_4a1d9e7c2b6f3a8d5c1e9b7a3f6d2c8e",
        new DateOnly(2026, 11, 30),
        "1310000001",
        ["subsidy", "vaccination", "maternalChild"],
        "Reception check: subsidy, vaccination and maternal-child lookups on the service date.");

    private static async Task<Measurement> RunRawAsync(Uri uri, byte[] body, ushort prefetch, int concurrency, TimeSpan duration, TimeSpan warmup)
    {
        const string DirectReplyTo = "amq.rabbitmq.reply-to";
        var factory = new ConnectionFactory { Uri = uri };

        // The echo server: its own connection, a queue of its own that goes when the connection does.
        await using var serverConnection = await factory.CreateConnectionAsync("pmh-bench-echo-server");
        await using var serverChannel = await serverConnection.CreateChannelAsync();
        await serverChannel.BasicQosAsync(prefetchSize: 0, prefetchCount: prefetch, global: false);
        var queue = (await serverChannel.QueueDeclareAsync(
            $"pmh-bench-raw-echo-{Guid.NewGuid():N}", durable: false, exclusive: true, autoDelete: true)).QueueName;
        var server = new AsyncEventingBasicConsumer(serverChannel);
        server.ReceivedAsync += async (_, delivery) =>
        {
            var reply = new BasicProperties { CorrelationId = delivery.BasicProperties.CorrelationId };
            await serverChannel.BasicPublishAsync(string.Empty, delivery.BasicProperties.ReplyTo!, mandatory: false, reply, delivery.Body);
            await serverChannel.BasicAckAsync(delivery.DeliveryTag, multiple: false);
        };
        await serverChannel.BasicConsumeAsync(queue, autoAck: false, server);

        // The client: replies come to the pseudo-queue amq.rabbitmq.reply-to of the channel that publishes.
        await using var clientConnection = await factory.CreateConnectionAsync("pmh-bench-echo-client");
        await using var clientChannel = await clientConnection.CreateChannelAsync();
        var pending = new ConcurrentDictionary<string, TaskCompletionSource>(StringComparer.Ordinal);
        var replies = new AsyncEventingBasicConsumer(clientChannel);
        replies.ReceivedAsync += (_, delivery) =>
        {
            if (delivery.BasicProperties.CorrelationId is { } id && pending.TryRemove(id, out var waiting))
            {
                waiting.TrySetResult();
            }

            return Task.CompletedTask;
        };
        await clientChannel.BasicConsumeAsync(DirectReplyTo, autoAck: true, replies);

        return await MeasureAsync(concurrency, duration, warmup, async () =>
        {
            var id = Guid.NewGuid().ToString("N");
            var reply = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            pending[id] = reply;
            try
            {
                var properties = new BasicProperties { CorrelationId = id, ReplyTo = DirectReplyTo };
                await clientChannel.BasicPublishAsync(string.Empty, queue, mandatory: false, properties, body);
                await reply.Task.WaitAsync(ReplyTimeout);
            }
            finally
            {
                pending.TryRemove(id, out _);
            }
        });
    }

    private static async Task<(Measurement Measurement, BusOptions Bus)> RunHubAsync(
        string rabbitMqUri, BenchmarkEcho request, int concurrency, TimeSpan duration, TimeSpan warmup, bool directReplyTo, bool transientQueries)
    {
        // A durable queue like the hub's own endpoints, under a name of this run's; the request exchange is dropped
        // first so that a queue left bound to it by an interrupted run gets none of this run's requests.
        var endpoint = $"pmh-bench-echo-{Guid.NewGuid():N}";
        var requestExchange = $"{typeof(BenchmarkEcho).Namespace}:{nameof(BenchmarkEcho)}";
        await DeleteAsync(rabbitMqUri, queue: null, exchanges: [requestExchange]);

        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = Environments.Development });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Pmh:Bus:Transport"] = nameof(BusTransport.RabbitMq),
            ["ConnectionStrings:RabbitMq"] = rabbitMqUri,
            ["Logging:LogLevel:Default"] = "Warning",
            [RabbitMqRequests.DirectReplyToSetting] = directReplyTo ? "true" : "false",
            [RabbitMqRequests.TransientQueriesSetting] = transientQueries ? "true" : "false",
        });
        // The echo is a query like the reception's lookups: transient, as AddPmhBus sends those (Messaging/RabbitMqRequests).
        builder.Services.AddTransientMessage<BenchmarkEcho>().AddTransientMessage<BenchmarkEchoed>();
        builder.AddPmhHub(ServiceSelection.Parse("echo", ["echo"]))
            .AddConsumers(bus => bus.AddConsumer<BenchmarkEchoConsumer>().Endpoint(e => e.Name = endpoint))
            .AddPmhBus();
        var host = builder.Build();
        try
        {
            await host.StartAsync();
            using var scope = host.Services.CreateScope();
            var client = scope.ServiceProvider.GetRequiredService<IRequestClient<BenchmarkEcho>>();
            var measurement = await MeasureAsync(concurrency, duration, warmup, () => client.GetResponse<BenchmarkEchoed>(request));
            return (measurement, host.Services.GetRequiredService<BusOptions>());
        }
        finally
        {
            await host.StopAsync();
            if (host is IAsyncDisposable asyncHost)
            {
                await asyncHost.DisposeAsync();
            }
            else
            {
                host.Dispose();
            }

            await DeleteAsync(rabbitMqUri, endpoint, [endpoint, requestExchange]);
        }
    }

    /// <summary>Keeps <paramref name="concurrency"/> round trips in flight; counts and times those that end in the measured window.</summary>
    private static async Task<Measurement> MeasureAsync(int concurrency, TimeSpan duration, TimeSpan warmup, Func<Task> roundTrip)
    {
        var measuring = false;
        var errors = 0;
        var latencies = new List<double>[concurrency];
        using var stop = new CancellationTokenSource();
        var loops = Enumerable.Range(0, concurrency).Select(i => Task.Run(async () =>
        {
            var mine = latencies[i] = [];
            while (!stop.IsCancellationRequested)
            {
                var started = Stopwatch.GetTimestamp();
                try
                {
                    await roundTrip();
                }
                catch (Exception e) when (e is TimeoutException or RequestException)
                {
                    Interlocked.Increment(ref errors);
                    continue;
                }

                if (Volatile.Read(ref measuring))
                {
                    mine.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                }
            }
        })).ToList();

        await Task.Delay(warmup);
        Volatile.Write(ref measuring, true);
        var clock = Stopwatch.StartNew();
        await Task.Delay(duration);
        Volatile.Write(ref measuring, false);
        var measured = clock.Elapsed;
        await stop.CancelAsync();
        await Task.WhenAll(loops);

        var sorted = latencies.SelectMany(l => l).Order().ToArray();
        return new Measurement(sorted.Length / measured.TotalSeconds, LoadResult.Percentile(sorted, 0.50), LoadResult.Percentile(sorted, 0.99), errors);
    }

    private static async Task DeleteAsync(string rabbitMqUri, string? queue, IEnumerable<string> exchanges)
    {
        var factory = new ConnectionFactory { Uri = new Uri(rabbitMqUri) };
        await using var connection = await factory.CreateConnectionAsync("pmh-bench-echo-cleanup");
        await using var channel = await connection.CreateChannelAsync();
        if (queue is not null)
        {
            await channel.QueueDeleteAsync(queue, ifUnused: false, ifEmpty: false);
        }

        foreach (var exchange in exchanges)
        {
            await channel.ExchangeDeleteAsync(exchange, ifUnused: false);
        }
    }

    private sealed record Measurement(double PerSecond, double P50, double P99, int Errors)
    {
        public string ErrorText => Errors == 0 ? string.Empty : HubProcess.Format($" ({Errors} timed out)");
    }
}

/// <summary>The echo request: about the size of a reception lookup.</summary>
public sealed record BenchmarkEcho(
    Guid RequestId, string PersonKey, DateOnly ServiceDate, string InstitutionCode, IReadOnlyList<string> Kinds, string Purpose);

/// <summary>The echo reply: the request's fields back.</summary>
public sealed record BenchmarkEchoed(
    Guid RequestId, string PersonKey, DateOnly ServiceDate, string InstitutionCode, IReadOnlyList<string> Kinds, string Purpose);

/// <summary>Answers every <see cref="BenchmarkEcho"/> with its fields, and does nothing else.</summary>
public sealed class BenchmarkEchoConsumer : IConsumer<BenchmarkEcho>
{
    public Task Consume(ConsumeContext<BenchmarkEcho> context)
    {
        var m = context.Message;
        return context.RespondAsync(new BenchmarkEchoed(m.RequestId, m.PersonKey, m.ServiceDate, m.InstitutionCode, m.Kinds, m.Purpose));
    }
}
