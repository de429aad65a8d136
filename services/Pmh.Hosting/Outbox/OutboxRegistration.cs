using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Pmh.Hosting.Storage;

namespace Pmh.Hosting.Outbox;

public static class OutboxServiceCollectionExtensions
{
    /// <summary>
    /// Adds the dispatcher of the keyed <see cref="ServiceDatabase"/> <paramref name="databaseName"/>'s outbox, as a
    /// hosted service sending through this process's bus. <see cref="PmhHubBuilder.AddServiceDatabase"/> calls it for
    /// every service database; tests that build their own container call it too.
    /// </summary>
    public static IServiceCollection AddOutboxDispatcher(this IServiceCollection services, string databaseName, bool inMemoryBus, OutboxOptions? options = null)
    {
        services.TryAddSingleton(options ?? new OutboxOptions());
        if (inMemoryBus)
        {
            services.TryAddSingleton(sp => new BatchPartWindow(Math.Max(1, sp.GetRequiredService<OutboxOptions>().InMemoryPartWindow)));
        }
        services.TryAddSingleton<IOutboxTransport>(sp => new BusOutboxTransport(sp.GetRequiredService<IBus>()));
        services.AddSingleton<IHostedService>(sp => new OutboxDispatcher(
            sp.GetRequiredKeyedService<ServiceDatabase>(databaseName),
            sp.GetRequiredService<IOutboxTransport>(),
            sp.GetRequiredService<OutboxOptions>(),
            inMemoryBus,
            () => sp.GetServices<ServiceDatabaseRegistration>().Select(r => sp.GetRequiredKeyedService<ServiceDatabase>(r.Name)).DefaultIfEmpty(
                sp.GetRequiredKeyedService<ServiceDatabase>(databaseName)),
            sp.GetService<IHostApplicationLifetime>(),
            sp.GetService<TimeProvider>() ?? TimeProvider.System,
            sp.GetService<ILogger<OutboxDispatcher>>() ?? NullLogger<OutboxDispatcher>.Instance,
            inMemoryBus ? sp.GetService<BatchPartWindow>() : null));
        return services;
    }
}

/// <summary>Every service database of a hub gets its dispatcher; the options (<c>Pmh:Outbox</c>) are shared.</summary>
internal static class OutboxRegistration
{
    public static void AddOutboxDispatcher(PmhHubBuilder hub, string databaseName) =>
        hub.Services.AddOutboxDispatcher(
            databaseName,
            hub.Bus.Transport == BusTransport.InMemory,
            hub.Configuration.GetSection("Pmh:Outbox").Get<OutboxOptions>() ?? new OutboxOptions());
}
