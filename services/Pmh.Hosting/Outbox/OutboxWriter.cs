using System.Data.Common;
using System.Text.Json;
using Dapper;
using MassTransit;
using MassTransit.Serialization;
using Pmh.Hosting.Storage;

namespace Pmh.Hosting.Outbox;

/// <summary>
/// Stores the messages a state change causes in the service's own database, inside the caller's transaction, so
/// that they commit (or roll back) with the change. The database's <see cref="OutboxDispatcher"/> sends them
/// afterwards, in the order they were written, with the stored message id, and again after a crash.
/// </summary>
public static class OutboxWriter
{
    public const string PublishKind = "publish";
    public const string SendKind = "send";

    /// <summary>The one statement the writer runs, the same in every dialect.</summary>
    public const string InsertSql = """
        INSERT INTO outbox_messages (message_id, kind, destination, message_type, body, headers, created_at, attempts)
        VALUES (@MessageId, @Kind, @Destination, @MessageType, @Body, @Headers, @CreatedAt, 0)
        """;

    /// <summary>Publishes <paramref name="message"/> (an event) once the transaction commits; returns its message id.</summary>
    public static Task<Guid> PublishAsync<T>(
        ServiceDatabase database,
        DbConnection connection,
        DbTransaction transaction,
        T message,
        CancellationToken cancellationToken,
        Guid? messageId = null,
        InboundMessage? cause = null,
        TimeProvider? timeProvider = null)
        where T : class =>
        WriteAsync(database, connection, transaction, PublishKind, null, message, messageId, cause, timeProvider, cancellationToken);

    /// <summary>Sends <paramref name="message"/> (a command) to <paramref name="destination"/> once the transaction commits.</summary>
    public static Task<Guid> SendAsync<T>(
        ServiceDatabase database,
        DbConnection connection,
        DbTransaction transaction,
        Uri destination,
        T message,
        CancellationToken cancellationToken,
        Guid? messageId = null,
        InboundMessage? cause = null,
        TimeProvider? timeProvider = null)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(destination);
        return WriteAsync(database, connection, transaction, SendKind, destination, message, messageId, cause, timeProvider, cancellationToken);
    }

    /// <summary>The name the dispatcher resolves the message type by: full name and assembly, no version.</summary>
    public static string TypeName(Type type)
    {
        ArgumentNullException.ThrowIfNull(type);
        return $"{type.FullName}, {type.Assembly.GetName().Name}";
    }

    private static async Task<Guid> WriteAsync<T>(
        ServiceDatabase database,
        DbConnection connection,
        DbTransaction transaction,
        string kind,
        Uri? destination,
        T message,
        Guid? messageId,
        InboundMessage? cause,
        TimeProvider? timeProvider,
        CancellationToken cancellationToken)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(database);
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(message);
        var id = messageId ?? NewId.NextGuid();
        var headers = cause is null
            ? null
            : JsonSerializer.Serialize(new OutboxHeaders(cause.ConversationId, cause.CorrelationId, cause.MessageId), OutboxHeaders.Json);
        await connection.ExecuteAsync(new CommandDefinition(
            InsertSql,
            new
            {
                MessageId = id.ToString("D"),
                Kind = kind,
                Destination = destination?.ToString(),
                // The message's own type, not T: a batch kind hands its part over as object.
                MessageType = TypeName(message.GetType()),
                Body = JsonSerializer.Serialize(message, message.GetType(), SystemTextJsonMessageSerializer.Options),
                Headers = headers,
                CreatedAt = (timeProvider ?? TimeProvider.System).GetUtcNow().ToUnixTimeMilliseconds(),
            },
            transaction,
            cancellationToken: cancellationToken)).ConfigureAwait(false);
        database.AfterCommit(transaction, database.OutboxSignal.Wake);
        return id;
    }
}

/// <summary>The envelope headers an outbox row carries: the conversation it belongs to and the message that caused it.</summary>
public sealed record OutboxHeaders(Guid? ConversationId, Guid? CorrelationId, Guid? InitiatorId)
{
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
}
