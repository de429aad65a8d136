using System.Data.Common;
using System.Net.Sockets;
using System.Text.Json;
using MassTransit;
using Npgsql;
using Pmh.Hosting.Storage;

namespace Pmh.Hosting.Messaging;

/// <summary>
/// A message that can never succeed however often it is tried: malformed, or inconsistent with what the hub holds.
/// It goes to the endpoint's <c>_error</c> queue at once, where an operator can read why and replay it once fixed.
/// </summary>
public class PoisonMessageException : Exception
{
    public PoisonMessageException(string message)
        : base(message)
    {
    }

    public PoisonMessageException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>
/// The hub's one classification of faults: transient (something the hub depends on cannot be reached for now: the
/// broker, a database, a service that does not answer) or not. A transient fault pauses work and is tried again for
/// minutes; nothing else is retried for long.
/// </summary>
public static class HubFaults
{
    /// <summary>True when the fault, or one it wraps, says a dependency is out of reach for now.</summary>
    public static bool IsTransient(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (IsTransientItself(e))
            {
                return true;
            }

            if (e is AggregateException aggregate && aggregate.InnerExceptions.Any(IsTransient))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A message that no retry can help: poison by the hub's own judgement, or a body that cannot be read.</summary>
    public static bool IsPoison(Exception exception) =>
        exception is PoisonMessageException or JsonException;

    private static bool IsTransientItself(Exception e) => e switch
    {
        PostgresException postgres => IsTransientPostgresState(postgres.SqlState) || TransientDatabaseFaults.IsTransient(postgres),
        DbException database => TransientDatabaseFaults.IsTransient(database),
        SocketException or TimeoutException or RequestTimeoutException => true,
        MassTransit.ConnectionException => true,
        RabbitMQ.Client.Exceptions.BrokerUnreachableException or RabbitMQ.Client.Exceptions.AlreadyClosedException => true,
        RabbitMQ.Client.Exceptions.ConnectFailureException => true,
        _ => false,
    };

    /// <summary>
    /// PostgreSQL states that mean "not now": connection exceptions (08), insufficient resources (53), operator
    /// intervention such as a shutdown or a server still starting (57P0x), and <c>55000</c>, which a server being
    /// shut down answers to new connections. A constraint violation or a syntax error is not among them.
    /// </summary>
    public static bool IsTransientPostgresState(string? sqlState) =>
        sqlState is not null
        && (sqlState.StartsWith("08", StringComparison.Ordinal)
            || sqlState.StartsWith("53", StringComparison.Ordinal)
            || sqlState.StartsWith("57P0", StringComparison.Ordinal)
            || sqlState is "55000" or "40001" or "40P01");
}
