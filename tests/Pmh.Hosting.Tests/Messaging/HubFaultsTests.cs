using System.Net.Sockets;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Npgsql;
using Pmh.Hosting.Messaging;
using Pmh.Hosting.Storage;

namespace Pmh.Hosting.Tests.Messaging;

public sealed class HubFaultsTests
{
    [Theory]
    [InlineData("08006")] // connection failure
    [InlineData("08001")]
    [InlineData("53300")] // too many connections
    [InlineData("57P01")] // admin shutdown
    [InlineData("57P03")] // cannot connect now (starting up)
    [InlineData("55000")] // not accepting connections while shutting down
    [InlineData("40001")]
    public void A_PostgreSQL_server_that_is_away_or_busy_is_a_transient_fault(string sqlState) =>
        Assert.True(HubFaults.IsTransient(new PostgresException("away", "FATAL", "FATAL", sqlState)));

    [Theory]
    [InlineData("23505")] // unique violation
    [InlineData("23502")] // not null violation
    [InlineData("42601")] // syntax error
    [InlineData("P0001")] // raised by a trigger
    public void A_PostgreSQL_error_about_the_data_or_the_statement_is_not_transient(string sqlState) =>
        Assert.False(HubFaults.IsTransient(new PostgresException("wrong", "ERROR", "ERROR", sqlState)));

    [Fact]
    public void A_refused_socket_is_transient_even_when_wrapped() =>
        Assert.True(HubFaults.IsTransient(new InvalidOperationException("outer", new NpgsqlException("Failed to connect", new SocketException((int)SocketError.ConnectionRefused)))));

    [Fact]
    public void A_busy_SQLite_file_is_transient_and_a_constraint_is_not()
    {
        Assert.True(HubFaults.IsTransient(new SqliteException("database is locked", 5)));
        Assert.False(HubFaults.IsTransient(new SqliteException("constraint failed", 19)));
    }

    [Fact]
    public void Timeouts_and_lost_broker_connections_are_transient()
    {
        Assert.True(HubFaults.IsTransient(new TimeoutException()));
        Assert.True(HubFaults.IsTransient(new MassTransit.ConnectionException("broker away")));
        Assert.True(HubFaults.IsTransient(new AggregateException(new ArgumentException("a"), new TimeoutException())));
    }

    [Fact]
    public void A_defect_is_neither_transient_nor_poison()
    {
        var defect = new InvalidOperationException("bug");
        Assert.False(HubFaults.IsTransient(defect));
        Assert.False(HubFaults.IsPoison(defect));
    }

    [Fact]
    public void An_inconsistent_batch_and_an_unreadable_body_are_poison()
    {
        Assert.True(HubFaults.IsPoison(new InconsistentBatchException("rows of another municipality")));
        Assert.True(HubFaults.IsPoison(new JsonException("bad body")));
    }
}
