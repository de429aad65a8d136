using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Pmh.Hosting.Storage;

namespace Pmh.Hosting.Outbox;

/// <summary>Every service database gets its dispatcher; the options and the bus transport are shared.</summary>
internal static class OutboxRegistration
{
    public static void AddOutboxDispatcher(PmhHubBuilder hub, string databaseName)
    {
        var services = hub.Services;
        services.TryAddSingleton(hub.Configuration.GetSection("Pmh:Outbox").Get<OutboxOptions>() ?? new OutboxOptions());
        services.TryAddSingleton<IOutboxTransport>(sp => new BusOutboxTransport(sp.GetRequiredService<IBus>()));
        var inMemory = hub.Bus.Transport == BusTransport.InMemory;
        services.AddSingleton<IHostedService>(sp => new OutboxDispatcher(
            sp.GetRequiredKeyedService<ServiceDatabase>(databaseName),
            sp.GetRequiredService<IOutboxTransport>(),
            sp.GetRequiredService<OutboxOptions>(),
            inMemory,
            () => sp.GetServices<ServiceDatabaseRegistration>().Select(r => sp.GetRequiredKeyedService<ServiceDatabase>(r.Name)),
            sp.GetRequiredService<IHostApplicationLifetime>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<OutboxDispatcher>>()));
    }
}
