using System.Reflection;
using Microsoft.Data.Sqlite;
using Pmh.Hosting;
using Pmh.Hosting.Storage;

namespace Pmh.Testing;

/// <summary>A migrated service database for storage tests: a SQLite file in a temporary folder or a fresh PostgreSQL database.</summary>
public sealed class TestDatabase : IDisposable
{
    private readonly string? _folder;

    private TestDatabase(ServiceDatabase database, string? folder)
    {
        Database = database;
        _folder = folder;
    }

    public ServiceDatabase Database { get; }

    public static TestDatabase Create(StorageProvider provider, string name, Assembly migrations)
    {
        string connectionString;
        string? folder = null;
        if (provider == StorageProvider.Sqlite)
        {
            folder = Path.Combine(Path.GetTempPath(), "pmh-tests", Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(folder);
            connectionString = new SqliteConnectionStringBuilder { DataSource = Path.Combine(folder, name.ToLowerInvariant() + ".db"), DefaultTimeout = 30 }.ToString();
        }
        else if (provider == StorageProvider.PostgreSql)
        {
            connectionString = TestServers.NewPostgresDatabase("pmh_store_" + name.ToLowerInvariant());
        }
        else
        {
            connectionString = new Microsoft.Data.SqlClient.SqlConnectionStringBuilder(
                TestServers.SqlServer ?? throw new InvalidOperationException("No SQL Server configured."))
            {
                InitialCatalog = $"pmh_store_{Guid.NewGuid():N}",
            }.ConnectionString;
        }

        var database = new ServiceDatabase(name, provider, connectionString, migrations, TransientDatabaseFaults.CreatePipeline(TimeProvider.System));
        DatabaseMigrator.Migrate(database);
        return new TestDatabase(database, folder);
    }

    public void Dispose()
    {
        if (Database.Provider == StorageProvider.PostgreSql)
        {
            TestServers.DropPostgresDatabases(Database.ConnectionString);
        }

        if (_folder is not null)
        {
            SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(_folder, recursive: true);
            }
            catch (IOException)
            {
                // A file still open on a slow finaliser; the temp folder is cleaned by the OS.
            }
        }
    }
}
