using System.Collections.Concurrent;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using Pmh.Hosting.Messaging;
using Pmh.Testing;

namespace Pmh.Hosting.Tests.Messaging;

/// <summary>The fault policy as the hub applies it: through AddPmhBus, on the real in-memory bus.</summary>
public sealed class ConsumerFaultPolicyTests : IAsyncLifetime
{
    private static readonly string[] Known = ["probe"];
    private readonly Attempts _attempts = new();
    private IHost _host = null!;

    public async Task InitializeAsync()
    {
        var builder = HostBuilders.With("Production", ("Pmh:HubSecret", HostBuilders.Secret));
        builder.Services.AddSingleton(_attempts);
        builder.AddPmhHub(ServiceSelection.Parse("all", Known))
            .AddConsumers(bus =>
            {
                bus.AddConsumer<ProbeConsumer>();
                bus.AddConsumer<ProbeFaultConsumer>();
            })
            .AddPmhBus();
        _host = builder.Build();
        await _host.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
    }

    private Task SendAsync(string fault, int failures) =>
        _host.Services.GetRequiredService<IPublishEndpoint>().Publish(new Probe { Id = Guid.NewGuid(), Fault = fault, Failures = failures });

    [Fact]
    public async Task A_consumer_whose_database_is_away_is_tried_again_until_it_returns_and_nothing_faults()
    {
        await SendAsync("transient", failures: 3);

        var attempts = await Eventually.UntilAsync(() => _attempts.Succeeded.ToArray(), s => s.Length == 1, "the probe handled once");

        Assert.Equal(4, _attempts.Tried.Values.Single());
        Assert.Single(attempts);
        Assert.Empty(_attempts.Faulted);
    }

    [Fact]
    public async Task A_poison_message_faults_at_its_first_attempt()
    {
        await SendAsync("poison", failures: int.MaxValue);

        await Eventually.UntilAsync(() => _attempts.Faulted.Count, n => n == 1, "the fault of the poison probe");

        Assert.Equal(1, _attempts.Tried.Values.Single());
        Assert.Empty(_attempts.Succeeded);
    }

    [Fact]
    public async Task A_defect_is_tried_four_times_then_faults()
    {
        await SendAsync("defect", failures: int.MaxValue);

        await Eventually.UntilAsync(() => _attempts.Faulted.Count, n => n == 1, "the fault of the defective probe");

        Assert.Equal(ConsumerFaultPolicy.DefectAttempts, _attempts.Tried.Values.Single());
    }

    [Fact]
    public async Task A_defect_that_heals_within_its_attempts_is_handled()
    {
        await SendAsync("defect", failures: 2);

        await Eventually.UntilAsync(() => _attempts.Succeeded.Count, n => n == 1, "the probe handled");

        Assert.Equal(3, _attempts.Tried.Values.Single());
        Assert.Empty(_attempts.Faulted);
    }

    [Fact]
    public void The_transient_window_is_spent_in_backoffs_up_to_the_longest_interval()
    {
        // 0.25 + 0.5 + 1 + 2 + 4 = 7.75 s, then 5 s each: 20 minutes hold 7.75 s + 238 × 5 s.
        Assert.Equal(5 + 238, ConsumerFaultPolicy.TransientAttemptsWithin(TimeSpan.FromMinutes(20), TimeSpan.FromSeconds(5)));
        Assert.Equal(1, ConsumerFaultPolicy.TransientAttemptsWithin(TimeSpan.Zero, TimeSpan.FromSeconds(5)));
    }

    public sealed record Probe
    {
        public Guid Id { get; init; }

        public string Fault { get; init; } = "";

        public int Failures { get; init; }
    }

    public sealed class Attempts
    {
        public ConcurrentDictionary<Guid, int> Tried { get; } = new();

        public ConcurrentBag<Guid> Succeeded { get; } = [];

        public ConcurrentBag<Guid> Faulted { get; } = [];
    }

    public sealed class ProbeConsumer(Attempts attempts) : IConsumer<Probe>
    {
        public Task Consume(ConsumeContext<Probe> context)
        {
            var probe = context.Message;
            var tried = attempts.Tried.AddOrUpdate(probe.Id, 1, (_, n) => n + 1);
            if (tried <= probe.Failures)
            {
                throw probe.Fault switch
                {
                    "transient" => new NpgsqlException("Failed to connect", new System.Net.Sockets.SocketException((int)System.Net.Sockets.SocketError.ConnectionRefused)),
                    "poison" => new PoisonMessageException("the probe can never succeed"),
                    _ => new InvalidOperationException("a defect"),
                };
            }

            attempts.Succeeded.Add(probe.Id);
            return Task.CompletedTask;
        }
    }

    public sealed class ProbeFaultConsumer(Attempts attempts) : IConsumer<Fault<Probe>>
    {
        public Task Consume(ConsumeContext<Fault<Probe>> context)
        {
            attempts.Faulted.Add(context.Message.Message.Id);
            return Task.CompletedTask;
        }
    }
}
