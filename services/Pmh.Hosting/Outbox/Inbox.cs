using System.Data.Common;
using Dapper;
using Microsoft.Data.SqlClient;

namespace Pmh.Hosting.Outbox;

/// <summary>
/// Idempotency by message id: a consumer calls <see cref="TryAcceptAsync(string, Guid, DbConnection, DbTransaction, CancellationToken, TimeProvider?)"/>
/// inside the transaction of its own state change. The first delivery is accepted and recorded with that change;
/// a redelivery (the same message id, for the same consumer) is refused, so it changes nothing and causes nothing
/// new. Concurrent deliveries of one message wait on the same key: exactly one commits.
/// </summary>
public static class Inbox
{
    private const string InsertPortable = """
        INSERT INTO inbox_messages (consumer, message_id, processed_at) VALUES (@Consumer, @MessageId, @ProcessedAt)
        ON CONFLICT (consumer, message_id) DO NOTHING
        """;

    private const string InsertSqlServer = """
        IF NOT EXISTS (SELECT 1 FROM inbox_messages WITH (UPDLOCK, HOLDLOCK) WHERE consumer = @Consumer AND message_id = @MessageId)
        INSERT INTO inbox_messages (consumer, message_id, processed_at) VALUES (@Consumer, @MessageId, @ProcessedAt)
        """;

    /// <summary>True the first time <paramref name="consumer"/> sees <paramref name="messageId"/>; false for a redelivery.</summary>
    public static async Task<bool> TryAcceptAsync(
        string consumer,
        Guid messageId,
        DbConnection connection,
        DbTransaction transaction,
        CancellationToken cancellationToken = default,
        TimeProvider? timeProvider = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(consumer);
        ArgumentNullException.ThrowIfNull(connection);
        var inserted = await connection.ExecuteAsync(new CommandDefinition(
            SqlFor(connection),
            new
            {
                Consumer = consumer,
                MessageId = messageId.ToString("D"),
                ProcessedAt = (timeProvider ?? TimeProvider.System).GetUtcNow().ToUnixTimeMilliseconds(),
            },
            transaction,
            cancellationToken: cancellationToken)).ConfigureAwait(false);
        return inserted > 0;
    }

    /// <summary>True the first time the message's consumer sees it; false for a redelivery.</summary>
    public static Task<bool> TryAcceptAsync(
        InboundMessage message, DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken = default, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(message);
        return TryAcceptAsync(message.Consumer, message.MessageId, connection, transaction, cancellationToken, timeProvider);
    }

    /// <summary>The statement for the connection's dialect (SQL Server has no <c>ON CONFLICT</c>).</summary>
    public static string SqlFor(DbConnection connection) => connection is SqlConnection ? InsertSqlServer : InsertPortable;
}
