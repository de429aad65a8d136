using System.Reflection;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Pmh.Hosting.Storage;

namespace Pmh.Hosting;

/// <summary>
/// What the host composes: the selected services each add their registration (<c>hub.AddSubsidyService()</c>),
/// then <see cref="PmhHubExtensions.AddPmhBus"/> registers one bus with every consumer they brought.
/// </summary>
public sealed class PmhHubBuilder
{
    private readonly List<Action<IBusRegistrationConfigurator>> _busRegistrations = [];

    internal PmhHubBuilder(IHostApplicationBuilder host, ServiceSelection selection, BusOptions bus, StorageOptions storage)
    {
        Host = host;
        Selection = selection;
        Bus = bus;
        Storage = storage;
    }

    public IHostApplicationBuilder Host { get; }

    public IServiceCollection Services => Host.Services;

    public IConfiguration Configuration => Host.Configuration;

    public IHostEnvironment Environment => Host.Environment;

    public ServiceSelection Selection { get; }

    public BusOptions Bus { get; }

    public StorageOptions Storage { get; }

    internal IReadOnlyList<Action<IBusRegistrationConfigurator>> BusRegistrations => _busRegistrations;

    /// <summary>Adds consumers (and their definitions) to the one bus of this process.</summary>
    public PmhHubBuilder AddConsumers(Action<IBusRegistrationConfigurator> registration)
    {
        _busRegistrations.Add(registration);
        return this;
    }

    /// <summary>
    /// Gives the service <paramref name="name"/> its own database, a keyed <see cref="ServiceDatabase"/>, migrated at
    /// start-up from the scripts embedded in <paramref name="migrationsAssembly"/> and checked by <c>/health/ready</c>, and
    /// the dispatcher of its outbox.
    /// </summary>
    public PmhHubBuilder AddServiceDatabase(string name, Assembly migrationsAssembly)
    {
        var provider = Storage.Provider;
        var connectionString = ResolveConnectionString(name);
        Services.AddKeyedSingleton(name, (sp, _) => new ServiceDatabase(
            name, provider, connectionString, migrationsAssembly, sp.GetRequiredService<Polly.ResiliencePipeline>()));
        Services.AddSingleton(new ServiceDatabaseRegistration(name));
        Services.AddHealthChecks().Add(new Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckRegistration(
            $"database-{name.ToLowerInvariant()}",
            sp => new DatabaseHealthCheck(sp.GetRequiredKeyedService<ServiceDatabase>(name), sp.GetRequiredService<DatabaseReadiness>()),
            failureStatus: null,
            tags: [PmhHubExtensions.ReadyTag],
            // A database that takes longer than this to answer SELECT 1 is not ready, whatever it answers later.
            timeout: TimeSpan.FromSeconds(2)));
        // Its outbox (a table of Hosting's own migration) is sent by a dispatcher of its own.
        Outbox.OutboxRegistration.AddOutboxDispatcher(this, name);
        return this;
    }

    private string ResolveConnectionString(string name)
    {
        var configured = Configuration.GetConnectionString(name);
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return configured;
        }

        if (Storage.Provider != StorageProvider.Sqlite)
        {
            throw new PmhConfigurationException(
                $"ConnectionStrings:{name} is required when Pmh:Storage:Provider is {Storage.Provider}.");
        }

        var folder = Path.GetFullPath(Storage.DataFolder, Environment.ContentRootPath);
        Directory.CreateDirectory(folder);
        var file = Path.Combine(folder, name.ToLowerInvariant() + ".db");
        return new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder
        {
            DataSource = file,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
    }
}
