using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Pmh.Hosting.Http;
using Pmh.Hosting.Messaging;
using Pmh.Hosting.Messaging.DeadLetters;
using Pmh.Hosting.Privacy;
using Pmh.Hosting.Storage;
using Pmh.Hosting.Telemetry;

namespace Pmh.Hosting;

public static class PmhHubExtensions
{
    public const string ReadyTag = "ready";

    /// <summary>
    /// Shared wiring of every PMH process: options, the hub secret and person keys, the database retry pipeline,
    /// migrations at start-up and health checks. Services are then added by their own <c>AddXService</c>.
    /// </summary>
    public static PmhHubBuilder AddPmhHub(this IHostApplicationBuilder host, ServiceSelection selection)
    {
        var bus = host.Configuration.GetSection("Pmh:Bus").Get<BusOptions>() ?? new BusOptions();
        var storage = host.Configuration.GetSection("Pmh:Storage").Get<StorageOptions>() ?? new StorageOptions();

        if (bus.Transport == BusTransport.InMemory && !selection.IsAll)
        {
            throw new PmhConfigurationException(
                $"--services {string.Join(",", selection.Selected)} cannot run on the in-memory bus: it only reaches services in " +
                "this process. Run all services (--services all), or set Pmh:Bus:Transport=RabbitMq and ConnectionStrings:RabbitMq.");
        }

        var services = host.Services;
        services.AddSingleton(selection);
        services.AddSingleton(bus);
        services.AddSingleton(storage);
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(HubSecret.FromConfiguration(host.Configuration, host.Environment));
        services.AddSingleton<PersonKeys>();
        services.AddSingleton(sp => TransientDatabaseFaults.CreatePipeline(sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<DatabaseReadiness>();
        // Registered before the bus so that every database is migrated before any consumer starts.
        services.AddHostedService<DatabaseMigrator>();
        services.AddHealthChecks();
        services.AddPmhErrorHandling();
        // Traces, metrics and their exporters, the same in every role (Telemetry/TelemetryRegistration).
        host.AddPmhTelemetry(selection);
        host.AddPmhLogging();

        return new PmhHubBuilder(host, selection, bus, storage);
    }

    /// <summary>Registers the one bus of this process with the consumers every selected service added.</summary>
    public static PmhHubBuilder AddPmhBus(this PmhHubBuilder hub)
    {
        var rabbitMq = hub.Configuration.GetConnectionString("RabbitMq");
        if (hub.Bus.Transport == BusTransport.RabbitMq && string.IsNullOrWhiteSpace(rabbitMq))
        {
            throw new PmhConfigurationException("ConnectionStrings:RabbitMq is required when Pmh:Bus:Transport is RabbitMq.");
        }

        // Start-up waits until every receive endpoint is bound: a request published before its queue's binding exists
        // would be dropped by the broker, and the first desk after a start would wait for nothing.
        hub.Services.AddOptions<MassTransitHostOptions>().Configure(o =>
        {
            o.WaitUntilStarted = true;
            o.StartTimeout = TimeSpan.FromSeconds(60);
            o.StopTimeout = TimeSpan.FromSeconds(30);
        });
        var options = hub.Bus;
        if (hub.Bus.Transport == BusTransport.RabbitMq)
        {
            // Before the bus: the command queues this process sends to exist, bound, before anything is sent.
            hub.Services.AddHostedService(sp => new RabbitMqCommandQueues(
                sp.GetServices<CommandQueue>(), options, new Uri(rabbitMq!), sp.GetRequiredService<ILogger<RabbitMqCommandQueues>>()));
        }

        hub.Services.AddMassTransit(bus =>
        {
            // The hub holds medical data: it talks to its own broker and databases, never to a vendor's endpoint.
            bus.DisableUsageTelemetry();
            bus.SetKebabCaseEndpointNameFormatter();
            bus.ConfigureHealthCheckOptions(health =>
            {
                health.Name = "bus";
                health.MinimalFailureStatus = HealthStatus.Unhealthy;
                health.Tags.Add(ReadyTag);
            });
            // One fault policy for every endpoint, whichever service configured it (and in the test harness too).
            bus.AddConfigureEndpointsCallback((context, _, endpoint) =>
            {
                ConsumerFaultPolicy.Apply(endpoint, options, context.GetService<ILoggerFactory>());
                if (options.QuorumQueues && endpoint is IRabbitMqReceiveEndpointConfigurator rabbit)
                {
                    rabbit.SetQuorumQueue();
                }
            });
            foreach (var registration in hub.BusRegistrations)
            {
                registration(bus);
            }

            // Where a message ends that its consumer gave up on, and how the operator reaches it (Messaging/DeadLetters).
            bus.AddPmhDeadLetters(hub, rabbitMq);

            if (hub.Bus.Transport == BusTransport.RabbitMq)
            {
                // Replies by direct reply-to; the reception's round trips transient (Messaging/RabbitMqRequests).
                RabbitMqRequests.UseDirectReplyTo(bus, hub.Configuration);
                bus.UsingRabbitMq((context, cfg) =>
                {
                    RabbitMqRequests.SendTransient(context, cfg);
                    cfg.Host(new Uri(rabbitMq!), host =>
                    {
                        host.Heartbeat(TimeSpan.FromSeconds(10));
                        host.RequestedConnectionTimeout(TimeSpan.FromSeconds(3));
                        if (options.ClusterNodes.Count > 0)
                        {
                            // RabbitMQ's own clustering: any node will do; quorum queues keep every message on a majority.
                            host.UseCluster(cluster =>
                            {
                                foreach (var node in RabbitMqCluster.Nodes(new Uri(rabbitMq!), options))
                                {
                                    cluster.Node(node);
                                }
                            });
                        }
                    });
                    RabbitMqReconnect.TryApply(cfg, options.ReconnectInterval, context.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(RabbitMqReconnect).FullName!));
                    cfg.PrefetchCount = hub.Bus.PrefetchCount;
                    cfg.ConfigureEndpoints(context);
                });
            }
            else
            {
                bus.UsingInMemory((context, cfg) => cfg.ConfigureEndpoints(context));
            }
        });
        if (hub.Bus.Transport == BusTransport.InMemory && hub.Bus.InProcessRequests)
        {
            // Embedded: requests answered by their consumers here, without the in-memory transport (Messaging/InProcessRequests).
            hub.Services.AddInProcessRequests(hub.Bus);
        }

        hub.Services.AddCancellableRequestClients();

        return hub;
    }

    /// <summary><c>/health/live</c> (the process answers) and <c>/health/ready</c> (broker and every database).</summary>
    public static IEndpointRouteBuilder MapPmhHealth(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false }).AllowAnonymous();
        endpoints.MapHealthChecks("/health/ready", new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains(ReadyTag),
            // Degraded is not ready: a bus that cannot reach its broker answers nothing, whatever it calls itself.
            ResultStatusCodes =
            {
                [HealthStatus.Healthy] = StatusCodes.Status200OK,
                [HealthStatus.Degraded] = StatusCodes.Status503ServiceUnavailable,
                [HealthStatus.Unhealthy] = StatusCodes.Status503ServiceUnavailable,
            },
            ResponseWriter = WriteHealthAsync,
        }).AllowAnonymous();
        return endpoints;
    }

    private static Task WriteHealthAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsJsonAsync(new
        {
            status = report.Status.ToString(),
            checks = report.Entries.Select(e => new
            {
                name = e.Key,
                status = e.Value.Status.ToString(),
                description = e.Value.Description,
            }),
        });
    }
}
