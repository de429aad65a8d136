using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Pmh.Hosting.Messaging.DeadLetters;

/// <summary>The dead letters of this process's bus, as the operator endpoints use them (<see cref="IDeadLetters"/>).</summary>
public static class DeadLetterRegistration
{
    /// <summary>
    /// RabbitMQ: the vhost's <c>_error</c> queues, through the management API (<c>Pmh:Bus:ManagementUrl</c>).
    /// In-memory: every receive endpoint's error pipe captures into this process's <see cref="InMemoryDeadLetters"/>.
    /// </summary>
    public static void AddPmhDeadLetters(this IBusRegistrationConfigurator bus, PmhHubBuilder hub, string? rabbitMq)
    {
        ArgumentNullException.ThrowIfNull(bus);
        ArgumentNullException.ThrowIfNull(hub);
        if (hub.Bus.Transport == BusTransport.RabbitMq)
        {
            var amqp = new Uri(rabbitMq!);
            var management = RabbitMqDeadLetters.ManagementUrlFor(amqp, hub.Bus.ManagementUrl);
            hub.Services.AddSingleton<IDeadLetters>(_ => new RabbitMqDeadLetters(amqp, management));
            return;
        }

        hub.Services.AddSingleton(sp => new InMemoryDeadLetters(sp, sp.GetRequiredService<ILogger<InMemoryDeadLetters>>()));
        hub.Services.AddSingleton<IDeadLetters>(sp => sp.GetRequiredService<InMemoryDeadLetters>());
        bus.AddConfigureEndpointsCallback((context, _, endpoint) =>
            InMemoryDeadLetterFilter.Configure(endpoint, context.GetRequiredService<InMemoryDeadLetters>()));
    }
}
