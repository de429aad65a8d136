using Xunit;
using System.Net.Sockets;
using Npgsql;

namespace Pmh.Testing;

/// <summary>
/// The real servers integration tests use: connection strings from <c>PMH_TEST_POSTGRES</c> and
/// <c>PMH_TEST_RABBITMQ</c> (set by <c>infra/test.sh</c>), with the loopback defaults of the infra scripts. Each is
/// probed once; a test that needs an absent server is skipped with the reason.
/// </summary>
public static class TestServers
{
    public static string Postgres { get; } =
        Environment.GetEnvironmentVariable("PMH_TEST_POSTGRES") is { Length: > 0 } pg
            ? pg
            : "Host=127.0.0.1;Port=5433;Username=pmh;Password=pmh;Database=pmh";

    public static string RabbitMq { get; } =
        Environment.GetEnvironmentVariable("PMH_TEST_RABBITMQ") is { Length: > 0 } mq ? mq : "amqp://guest:guest@127.0.0.1:5673/";

    /// <summary>SQL Server runs only when a connection string is given; nothing starts one.</summary>
    public static string? SqlServer { get; } =
        Environment.GetEnvironmentVariable("PMH_TEST_SQLSERVER") is { Length: > 0 } ss ? ss : null;

    private static readonly Lazy<string?> PostgresProblem = new(() =>
    {
        try
        {
            using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(Postgres) { Timeout = 3 }.ConnectionString);
            connection.Open();
            return null;
        }
        catch (Exception e) when (e is NpgsqlException or SocketException or TimeoutException or InvalidOperationException)
        {
            return $"PostgreSQL is not reachable at {Describe(Postgres)} ({e.Message}); run infra/test.sh to start it.";
        }
    });

    private static readonly Lazy<string?> RabbitMqProblem = new(() =>
    {
        var uri = new Uri(RabbitMq);
        try
        {
            using var client = new TcpClient();
            if (!client.ConnectAsync(uri.Host, uri.Port).Wait(TimeSpan.FromSeconds(3)))
            {
                return $"RabbitMQ is not reachable at {uri.Host}:{uri.Port} (timeout); run infra/test.sh to start it.";
            }

            return null;
        }
        catch (AggregateException e)
        {
            return $"RabbitMQ is not reachable at {uri.Host}:{uri.Port} ({e.InnerException?.Message}); run infra/test.sh to start it.";
        }
    });

    public static string? WhyNoPostgres => PostgresProblem.Value;

    public static string? WhyNoRabbitMq => RabbitMqProblem.Value;

    /// <summary>A connection string to a fresh database of its own on the test server (created by the migrator).</summary>
    public static string NewPostgresDatabase(string prefix) =>
        new NpgsqlConnectionStringBuilder(Postgres)
        {
            Database = $"{prefix}_{Guid.NewGuid():N}"[..Math.Min(60, prefix.Length + 33)].ToLowerInvariant(),
        }.ConnectionString;

    /// <summary>Drops the test databases this run made (pattern <c>prefix_%</c>), so the server does not fill up.</summary>
    public static void DropPostgresDatabases(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        var name = builder.Database;
        builder.Database = "postgres";
        NpgsqlConnection.ClearAllPools();
        using var connection = new NpgsqlConnection(builder.ConnectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)";
        command.ExecuteNonQuery();
    }

    private static string Describe(string connectionString)
    {
        var b = new NpgsqlConnectionStringBuilder(connectionString);
        return $"{b.Host}:{b.Port}";
    }
}

/// <summary>A fact that runs only when PostgreSQL answers, and otherwise says why it was skipped.</summary>
public sealed class PostgresFactAttribute : FactAttribute
{
    public PostgresFactAttribute()
    {
        if (TestServers.WhyNoPostgres is { } why)
        {
            Skip = why;
        }
    }
}

/// <summary>A fact that runs only when RabbitMQ and PostgreSQL answer, and otherwise says why it was skipped.</summary>
public sealed class RabbitMqFactAttribute : FactAttribute
{
    public RabbitMqFactAttribute()
    {
        if ((TestServers.WhyNoRabbitMq ?? TestServers.WhyNoPostgres) is { } why)
        {
            Skip = why;
        }
    }
}

/// <summary>A fact that runs only when <c>PMH_TEST_SQLSERVER</c> names a SQL Server.</summary>
public sealed class SqlServerFactAttribute : FactAttribute
{
    public SqlServerFactAttribute()
    {
        if (TestServers.SqlServer is null)
        {
            Skip = "SQL Server tests need PMH_TEST_SQLSERVER (a connection string); none is given and the test script starts none.";
        }
    }
}
