using MassTransit;
using MassTransit.Configuration;
using MassTransit.Mediator;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Pmh.Hosting.Messaging;

/// <summary>
/// The embedded set-up's requests answered in this process (<see cref="BusOptions.InProcessRequests"/>): every consumer
/// the services registered on the bus is registered on MassTransit's mediator too, with the hub's one fault policy
/// (<see cref="ConsumerFaultPolicy"/>), and the request client of a message some consumer here answers
/// (<see cref="CancellableRequestClient{TRequest}"/>) sends it to the mediator: no serialization, no in-memory queue, no
/// temporary response endpoint. The consumers publish and send nothing themselves (their events and commands go through
/// their service's outbox, which the dispatcher sends on the bus), so nothing else changes.
/// </summary>
/// <remarks>
/// The bus loses nothing by it: the in-memory transport holds its queues in this process too. A request whose consumer
/// fails for good is answered with the fault, as on the bus (the caller sees <see cref="RequestFaultException"/>); it is
/// not kept in an error queue, since nobody waits for its answer any more. A transient fault is retried as on the bus;
/// a caller that gives up (its token cancelled) is told at once (<see cref="CancellableRequestClients"/>) while the
/// consumer finishes, as a consumer on the bus does.
/// </remarks>
public static class InProcessRequests
{
    /// <summary>
    /// Registers the mediator with every consumer of the bus registered so far and the set of request types it answers;
    /// call after <c>AddMassTransit</c>.
    /// </summary>
    public static IServiceCollection AddInProcessRequests(this IServiceCollection services, BusOptions options)
    {
        var consumers = services
            .Where(d => d.ServiceType == typeof(IConsumerRegistration) && !d.IsKeyedService && d.ImplementationInstance is IConsumerRegistration)
            .Select(d => ((IConsumerRegistration)d.ImplementationInstance!).Type)
            .Distinct()
            .ToList();
        var answered = consumers
            .SelectMany(c => c.GetInterfaces())
            .Where(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IConsumer<>))
            .Select(i => i.GetGenericArguments()[0])
            .ToHashSet();
        services.AddSingleton(new InProcessRequestTypes(answered));
        services.AddMediator(mediator =>
        {
            foreach (var consumer in consumers)
            {
                mediator.AddConsumer(consumer);
            }

            mediator.ConfigureMediator((context, cfg) => ConsumerFaultPolicy.Apply(cfg, options, context.GetService<ILoggerFactory>()));
        });
        return services;
    }
}

/// <summary>The request types a consumer in this process answers through the mediator.</summary>
public sealed class InProcessRequestTypes(IReadOnlySet<Type> types)
{
    public bool Answers(Type requestType) => types.Contains(requestType);
}
