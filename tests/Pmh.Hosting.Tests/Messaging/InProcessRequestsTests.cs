using System.Collections.Concurrent;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Pmh.Hosting.Messaging;

namespace Pmh.Hosting.Tests.Messaging;

/// <summary>The embedded set-up's requests answered in this process (<see cref="InProcessRequests"/>), through AddPmhBus.</summary>
public sealed class InProcessRequestsTests
{
    private static readonly string[] Known = ["probe"];

    public sealed record Ask(Guid Id, string Behaviour, int Failures);

    public sealed record Answer(Guid Id);

    /// <summary>What the consumer saw: the very request objects, and how often each was tried.</summary>
    public sealed class Seen
    {
        public ConcurrentBag<Ask> Requests { get; } = [];

        public ConcurrentDictionary<Guid, int> Tries { get; } = new();

        public TaskCompletionSource<CancellationToken> Waiting { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    public sealed class AskConsumer(Seen seen) : IConsumer<Ask>
    {
        public async Task Consume(ConsumeContext<Ask> context)
        {
            seen.Requests.Add(context.Message);
            var tried = seen.Tries.AddOrUpdate(context.Message.Id, 1, (_, n) => n + 1);
            switch (context.Message.Behaviour)
            {
                case "transient" when tried <= context.Message.Failures:
                    throw new TimeoutException("the database did not answer");
                case "defect":
                    throw new InvalidOperationException("a defect");
                case "wait":
                    seen.Waiting.TrySetResult(context.CancellationToken);
                    await Task.Delay(Timeout.Infinite, context.CancellationToken);
                    break;
            }

            await context.RespondAsync(new Answer(context.Message.Id));
        }
    }

    private static async Task<IHost> StartAsync(Seen seen, params (string Key, string? Value)[] settings)
    {
        var builder = HostBuilders.With(
            "Production", [("Pmh:HubSecret", HostBuilders.Secret), ("Pmh:Bus:TransientRetryMaxInterval", "00:00:00.250"), .. settings.Length == 0 ? [("Pmh:Bus:InProcessRequests", "true")] : settings]);
        builder.Services.AddSingleton(seen);
        builder.AddPmhHub(ServiceSelection.Parse("all", Known)).AddConsumers(bus => bus.AddConsumer<AskConsumer>()).AddPmhBus();
        var host = builder.Build();
        await host.StartAsync();
        return host;
    }

    private static async Task<Response<Answer>> AskAsync(IHost host, Ask ask, CancellationToken cancellationToken = default)
    {
        await using var scope = host.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<IRequestClient<Ask>>().GetResponse<Answer>(ask, cancellationToken);
    }

    [Fact]
    public async Task An_embedded_request_reaches_its_consumer_as_the_very_object_sent_without_serialization()
    {
        var seen = new Seen();
        using var host = await StartAsync(seen);
        var ask = new Ask(Guid.NewGuid(), "answer", 0);

        var response = await AskAsync(host, ask);

        Assert.Equal(ask.Id, response.Message.Id);
        Assert.Same(ask, Assert.Single(seen.Requests));
        await host.StopAsync();
    }

    [Fact]
    public async Task With_in_process_requests_off_the_request_crosses_the_in_memory_bus_as_a_broker_would_carry_it()
    {
        var seen = new Seen();
        using var host = await StartAsync(seen, ("Pmh:Bus:InProcessRequests", "false"));
        var ask = new Ask(Guid.NewGuid(), "answer", 0);

        var response = await AskAsync(host, ask);

        Assert.Equal(ask.Id, response.Message.Id);
        var received = Assert.Single(seen.Requests);
        Assert.Equal(ask, received);
        Assert.NotSame(ask, received);
        await host.StopAsync();
    }

    [Fact]
    public async Task A_transient_fault_of_an_in_process_request_is_tried_again_and_the_request_answered()
    {
        var seen = new Seen();
        using var host = await StartAsync(seen);
        var ask = new Ask(Guid.NewGuid(), "transient", 2);

        var response = await AskAsync(host, ask);

        Assert.Equal(ask.Id, response.Message.Id);
        Assert.Equal(3, seen.Tries[ask.Id]);
        await host.StopAsync();
    }

    [Fact]
    public async Task An_in_process_request_whose_consumer_fails_for_good_is_answered_with_its_fault_after_the_policys_tries()
    {
        var seen = new Seen();
        using var host = await StartAsync(seen);
        var ask = new Ask(Guid.NewGuid(), "defect", 0);

        var fault = await Assert.ThrowsAnyAsync<Exception>(() => AskAsync(host, ask));

        Assert.Contains("a defect", fault.ToString(), StringComparison.Ordinal);
        Assert.Equal(ConsumerFaultPolicy.DefectAttempts, seen.Tries[ask.Id]);
        await host.StopAsync();
    }

    [Fact]
    public async Task A_caller_that_gives_up_on_an_in_process_request_hears_at_once_while_its_consumer_still_works()
    {
        var seen = new Seen();
        using var host = await StartAsync(seen);
        using var deadline = new CancellationTokenSource();

        var asking = AskAsync(host, new Ask(Guid.NewGuid(), "wait", 0), deadline.Token);
        await seen.Waiting.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.False(asking.IsCompleted);
        await deadline.CancelAsync();

        // As on the bus: the caller is told at its deadline; the consumer is not interrupted by it.
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => asking);
        await host.StopAsync();
    }

    [Fact]
    public void Requests_cross_the_in_memory_bus_unless_in_process_requests_are_asked_for()
    {
        var builder = HostBuilders.With("Production", ("Pmh:HubSecret", HostBuilders.Secret));

        builder.AddPmhHub(ServiceSelection.Parse("all", Known)).AddConsumers(bus => bus.AddConsumer<AskConsumer>()).AddPmhBus();

        Assert.DoesNotContain(builder.Services, d => d.ServiceType == typeof(InProcessRequestTypes));
    }

    [Fact]
    public void Requests_are_answered_in_process_only_on_the_in_memory_transport()
    {
        var builder = HostBuilders.With("Production", ("Pmh:HubSecret", HostBuilders.Secret), ("Pmh:Bus:Transport", "RabbitMq"),
            ("ConnectionStrings:RabbitMq", "amqp://guest:guest@127.0.0.1:5673/"), ("Pmh:Bus:InProcessRequests", "true"));

        builder.AddPmhHub(ServiceSelection.Parse("all", Known)).AddConsumers(bus => bus.AddConsumer<AskConsumer>()).AddPmhBus();

        Assert.DoesNotContain(builder.Services, d => d.ServiceType == typeof(InProcessRequestTypes));
    }
}
