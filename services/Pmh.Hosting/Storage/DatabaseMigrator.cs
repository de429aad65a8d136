using DbUp;
using DbUp.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Pmh.Hosting.Storage;

/// <summary>
/// Brings every database of this process up to date at start-up, before the bus starts consuming: DbUp runs the
/// service's embedded scripts for its dialect (<c>Migrations/Sqlite</c>, <c>Migrations/PostgreSql</c>,
/// <c>Migrations/SqlServer</c>) once each, in name order, each in its own transaction, and journals them.
/// </summary>
public sealed partial class DatabaseMigrator(
    IServiceProvider services,
    IEnumerable<ServiceDatabaseRegistration> registrations,
    DatabaseReadiness readiness,
    ILogger<DatabaseMigrator> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var registration in registrations)
        {
            var database = services.GetRequiredKeyedService<ServiceDatabase>(registration.Name);
            var applied = Migrate(database);
            LogMigrated(logger, database.Name, database.Provider, applied);
            readiness.MarkMigrated(database.Name);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Runs the scripts <paramref name="database"/> has not seen yet; returns how many ran.</summary>
    public static int Migrate(ServiceDatabase database)
    {
        var prefix = $"{database.MigrationsAssembly.GetName().Name}.Migrations.{database.Provider}.";
        UpgradeEngineBuilder builder;
        switch (database.Provider)
        {
            case StorageProvider.Sqlite:
                UseWriteAheadLog(database.ConnectionString);
                builder = DeployChanges.To.SqliteDatabase(database.ConnectionString);
                break;
            case StorageProvider.PostgreSql:
                EnsureDatabase.For.PostgresqlDatabase(database.ConnectionString);
                builder = DeployChanges.To.PostgresqlDatabase(database.ConnectionString);
                break;
            default:
                EnsureDatabase.For.SqlDatabase(database.ConnectionString);
                builder = DeployChanges.To.SqlDatabase(database.ConnectionString);
                break;
        }

        // First the tables every service database shares (batch staging), then the service's own scripts, which may
        // build on them.
        var shared = $"{typeof(DatabaseMigrator).Assembly.GetName().Name}.Storage.Migrations.{database.Provider}.";
        var engine = builder
            .WithScriptsEmbeddedInAssembly(
                typeof(DatabaseMigrator).Assembly, name => name.StartsWith(shared, StringComparison.Ordinal), new DbUp.Engine.SqlScriptOptions { RunGroupOrder = 0 })
            .WithScriptsEmbeddedInAssembly(
                database.MigrationsAssembly, name => name.StartsWith(prefix, StringComparison.Ordinal), new DbUp.Engine.SqlScriptOptions { RunGroupOrder = 1 })
            .WithTransactionPerScript()
            .LogToNowhere()
            .Build();

        var result = engine.PerformUpgrade();
        if (!result.Successful)
        {
            throw new InvalidOperationException(
                $"Migrating the {database.Name} database ({database.Provider}) failed at {result.ErrorScript?.Name}: {result.Error?.Message}",
                result.Error);
        }

        return result.Scripts.Count();
    }

    /// <summary>
    /// Write-ahead logging lets readers go on while one connection writes, and is a property of the file, so it is
    /// set once here.
    /// </summary>
    private static void UseWriteAheadLog(string connectionString)
    {
        using var connection = new Microsoft.Data.Sqlite.SqliteConnection(connectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode = WAL";
        command.ExecuteNonQuery();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Database} database ({Provider}) is up to date; {Count} script(s) applied now")]
    private static partial void LogMigrated(ILogger logger, string database, StorageProvider provider, int count);
}

/// <summary>Which databases this process has, so the migrator and the health checks can find them.</summary>
public sealed record ServiceDatabaseRegistration(string Name);

/// <summary>Whether each database has been migrated; <c>/health/ready</c> reports not ready until it has.</summary>
public sealed class DatabaseReadiness
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, bool> _migrated = new(StringComparer.Ordinal);

    public void MarkMigrated(string name) => _migrated[name] = true;

    public bool IsMigrated(string name) => _migrated.ContainsKey(name);
}
