using System.Data;
using System.Data.Common;
using System.Reflection;
using System.Runtime.CompilerServices;
using Microsoft.Data.SqlClient;
using Microsoft.Data.Sqlite;
using Npgsql;
using Polly;

namespace Pmh.Hosting.Storage;

/// <summary>
/// One service's database: its provider, its connection string and the one Polly pipeline that retries transient
/// faults at the connection. Services take it as a keyed singleton (<c>[FromKeyedServices("Subsidy")]</c>) and run
/// their own SQL through Dapper; a service never opens another service's database.
/// </summary>
public sealed class ServiceDatabase
{
    private readonly ResiliencePipeline _pipeline;

    static ServiceDatabase() => DateOnlyAsDayNumber.Register();

    public ServiceDatabase(string name, StorageProvider provider, string connectionString, Assembly migrationsAssembly, ResiliencePipeline pipeline)
    {
        Name = name;
        Provider = provider;
        ConnectionString = connectionString;
        MigrationsAssembly = migrationsAssembly;
        _pipeline = pipeline;
    }

    public string Name { get; }

    /// <summary>Wakes this database's outbox dispatcher; the outbox writer rings it once the transaction commits.</summary>
    public Outbox.OutboxSignal OutboxSignal { get; } = new();

    /// <summary>Work to run once a transaction of <see cref="InTransactionAsync{T}"/> has committed (not on rollback).</summary>
    private readonly ConditionalWeakTable<DbTransaction, List<Action>> _afterCommit = new();

    /// <summary>
    /// Runs <paramref name="action"/> once <paramref name="transaction"/> commits, when it is a transaction of
    /// <see cref="InTransactionAsync{T}"/>; a rolled-back transaction (retried or failed) runs nothing. The same action
    /// is run once however often it is added.
    /// </summary>
    public void AfterCommit(DbTransaction transaction, Action action)
    {
        var actions = _afterCommit.GetOrCreateValue(transaction);
        lock (actions)
        {
            if (!actions.Contains(action))
            {
                actions.Add(action);
            }
        }
    }

    public StorageProvider Provider { get; }

    public string ConnectionString { get; }

    /// <summary>The assembly whose embedded <c>Migrations/{Provider}/*.sql</c> scripts build this database.</summary>
    public Assembly MigrationsAssembly { get; }

    private static readonly object SetUp = new();

    /// <summary>The SQLite handles whose per-connection settings are made; a handle that is closed is forgotten with it.</summary>
    private static readonly ConditionalWeakTable<SQLitePCL.sqlite3, object> SqliteHandlesSetUp = new();

    /// <summary>Opens a new connection (pooled by the provider).</summary>
    public async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        DbConnection connection = Provider switch
        {
            StorageProvider.Sqlite => new SqliteConnection(ConnectionString),
            StorageProvider.PostgreSql => new NpgsqlConnection(ConnectionString),
            StorageProvider.SqlServer => new SqlConnection(ConnectionString),
            _ => throw new InvalidOperationException($"Unknown storage provider {Provider}."),
        };

        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            if (connection is SqliteConnection sqlite && !SqliteHandlesSetUp.TryGetValue(sqlite.Handle!, out _))
            {
                // Once per physical connection (the provider's pool hands the same handle out again, settings kept).
                // WAL (set once by the migrator) with NORMAL sync: durable at checkpoints, no fsync per commit.
                // busy_timeout: SQLite waits for the write lock in short steps itself, instead of failing at once
                // into the provider's much coarser retry.
                var pragma = connection.CreateCommand();
                await using (pragma.ConfigureAwait(false))
                {
                    pragma.CommandText = "PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 10000";
                    await pragma.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }

                SqliteHandlesSetUp.AddOrUpdate(sqlite.Handle!, SetUp);
            }

            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Runs <paramref name="work"/> on an open connection, retrying the whole unit on a transient fault.</summary>
    public ValueTask<T> RunAsync<T>(Func<DbConnection, CancellationToken, Task<T>> work, CancellationToken cancellationToken) =>
        _pipeline.ExecuteAsync(
            async ct =>
            {
                var connection = await OpenAsync(ct).ConfigureAwait(false);
                await using (connection.ConfigureAwait(false))
                {
                    return await work(connection, ct).ConfigureAwait(false);
                }
            },
            cancellationToken);

    /// <summary>
    /// Runs <paramref name="work"/> in one transaction that commits only when it returns; a transient fault rolls
    /// it back and runs it again from the start, so nothing is ever half-stored.
    /// </summary>
    public ValueTask<T> InTransactionAsync<T>(
        Func<DbConnection, DbTransaction, CancellationToken, Task<T>> work, CancellationToken cancellationToken) =>
        RunAsync(
            async (connection, ct) =>
            {
                // SQLite: Serializable starts BEGIN IMMEDIATE, taking the write lock up front instead of failing
                // to upgrade a read lock under concurrent writers.
                var isolation = Provider == StorageProvider.Sqlite ? IsolationLevel.Serializable : IsolationLevel.ReadCommitted;
                var transaction = await connection.BeginTransactionAsync(isolation, ct).ConfigureAwait(false);
                await using (transaction.ConfigureAwait(false))
                {
                    try
                    {
                        var result = await work(connection, transaction, ct).ConfigureAwait(false);
                        await transaction.CommitAsync(ct).ConfigureAwait(false);
                        if (_afterCommit.TryGetValue(transaction, out var actions))
                        {
                            _afterCommit.Remove(transaction);
                            foreach (var action in actions)
                            {
                                action();
                            }
                        }

                        return result;
                    }
                    finally
                    {
                        _afterCommit.Remove(transaction);
                    }
                }
            },
            cancellationToken);

    /// <summary>Picks the statement for this database's dialect, where the SQL is not portable.</summary>
    public string Dialect(string sqlite, string postgreSql, string sqlServer) => Provider switch
    {
        StorageProvider.Sqlite => sqlite,
        StorageProvider.PostgreSql => postgreSql,
        _ => sqlServer,
    };
}
