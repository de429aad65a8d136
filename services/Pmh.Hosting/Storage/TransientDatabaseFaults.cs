using System.Data.Common;
using Microsoft.Data.SqlClient;
using Microsoft.Data.Sqlite;
using Npgsql;
using Polly;
using Polly.Retry;

namespace Pmh.Hosting.Storage;

/// <summary>
/// The hub's one retry pipeline for transient database faults (a busy SQLite file, a dropped PostgreSQL
/// connection, a SQL Server deadlock victim). Consumers do not retry database faults a second time: their
/// MassTransit retry ignores <see cref="DbException"/>, so a fault that outlives this pipeline goes to the error queue.
/// </summary>
public static class TransientDatabaseFaults
{
    public static ResiliencePipeline CreatePipeline(TimeProvider timeProvider) =>
        new ResiliencePipelineBuilder { TimeProvider = timeProvider }
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<DbException>(IsTransient),
                MaxRetryAttempts = 5,
                Delay = TimeSpan.FromMilliseconds(50),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
            })
            .Build();

    public static bool IsTransient(DbException exception) => exception switch
    {
        // SQLITE_BUSY (5) and SQLITE_LOCKED (6): another connection holds the write lock longer than the timeout.
        SqliteException sqlite => sqlite.SqliteErrorCode is 5 or 6,
        // 40001 serialization failure and 40P01 deadlock are safe to run again; Npgsql marks network faults transient.
        PostgresException postgres => postgres.SqlState is "40001" or "40P01" || postgres.IsTransient,
        NpgsqlException npgsql => npgsql.IsTransient,
        // 1205 deadlock victim; the rest SqlClient itself classifies.
        SqlException sql => sql.Number == 1205 || sql.IsTransient,
        _ => exception.IsTransient,
    };
}
