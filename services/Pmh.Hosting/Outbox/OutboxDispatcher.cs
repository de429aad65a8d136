using System.Collections.Concurrent;
using System.Data;
using System.Data.Common;
using System.Text.Json;
using Dapper;
using MassTransit.Serialization;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Pmh.Hosting.Storage;

namespace Pmh.Hosting.Outbox;

/// <summary>
/// Sends what one database's outbox holds: pending rows in sequence order, each with its stored message id, marked
/// dispatched once the bus took them. It starts once the host (and so the bus) has started, wakes as soon as a
/// transaction that wrote to the outbox commits, and polls besides, so rows a crash left behind go out after the
/// restart. A fault of the broker or the database pauses it (backing off, logged once per outage); nothing is
/// dropped. Dispatched rows are deleted after <see cref="OutboxOptions.Retention"/>.
/// <para>
/// On the in-memory bus a message dies with the process, so a dispatched row is not yet a delivered one: at start-up
/// the dispatcher sends again every retained row that no consumer of this process has recorded in its inbox (all of
/// the process's databases are asked). Consumers' inboxes make the repeat harmless.
/// </para>
/// </summary>
public sealed partial class OutboxDispatcher : BackgroundService
{
    private static readonly ConcurrentDictionary<string, Type?> Types = new(StringComparer.Ordinal);

    private readonly ServiceDatabase _database;
    private readonly IOutboxTransport _transport;
    private readonly OutboxOptions _options;
    private readonly bool _inMemoryBus;
    private readonly Func<IEnumerable<ServiceDatabase>> _inboxDatabases;
    private readonly IHostApplicationLifetime? _lifetime;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly BatchPartWindow? _window;

    public OutboxDispatcher(
        ServiceDatabase database,
        IOutboxTransport transport,
        OutboxOptions options,
        bool inMemoryBus,
        Func<IEnumerable<ServiceDatabase>> inboxDatabases,
        IHostApplicationLifetime? lifetime,
        TimeProvider timeProvider,
        ILogger<OutboxDispatcher> logger,
        BatchPartWindow? window = null)
    {
        _window = window;
        _database = database;
        _transport = transport;
        _options = options;
        _inMemoryBus = inMemoryBus;
        _inboxDatabases = inboxDatabases;
        _lifetime = lifetime;
        _time = timeProvider;
        _logger = logger;
    }

    public ServiceDatabase Database => _database;

    private int _failedAttempts;

    /// <summary>Failed attempts since the dispatcher started (a broker or database outage), for tests and diagnostics.</summary>
    public int FailedAttempts => Volatile.Read(ref _failedAttempts);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_lifetime is not null)
        {
            // After every hosted service has started: the bus is up and every receive endpoint bound.
            var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            using var registration = _lifetime.ApplicationStarted.Register(() => started.TrySetResult());
            await started.Task.WaitAsync(stoppingToken).ConfigureAwait(false);
        }

        var failures = 0;
        var requeued = !_inMemoryBus;
        var nextPurge = _time.GetUtcNow();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (!requeued)
                {
                    var count = await RequeueUndeliveredAsync(stoppingToken).ConfigureAwait(false);
                    if (count > 0)
                    {
                        LogRequeued(_logger, _database.Name, count);
                    }

                    requeued = true;
                }

                while (await DispatchPendingAsync(stoppingToken).ConfigureAwait(false) >= _options.BatchSize)
                {
                }

                if (failures > 0)
                {
                    LogResumed(_logger, _database.Name, failures);
                    failures = 0;
                }

                if (_time.GetUtcNow() >= nextPurge)
                {
                    await PurgeAsync(stoppingToken).ConfigureAwait(false);
                    nextPurge = _time.GetUtcNow() + _options.PurgeInterval;
                }

                await _database.OutboxSignal.WaitAsync(_options.PollInterval, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                if (failures == 0)
                {
                    LogPaused(_logger, e, _database.Name, e.GetType().Name);
                }

                failures++;
                Interlocked.Increment(ref _failedAttempts);
                try
                {
                    await Task.Delay(Backoff(failures), _time, stoppingToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        }
    }

    /// <summary>The pause after the <paramref name="failures"/>th failure in a row: 0.2 s doubling, at most <see cref="OutboxOptions.MaxBackoff"/>.</summary>
    public TimeSpan Backoff(int failures) =>
        TimeSpan.FromMilliseconds(Math.Min(_options.MaxBackoff.TotalMilliseconds, 200 * Math.Pow(2, Math.Min(20, Math.Max(0, failures - 1)))));

    /// <summary>
    /// Sends up to <see cref="OutboxOptions.BatchSize"/> pending rows in sequence order and marks them dispatched;
    /// returns how many were sent. On PostgreSQL and SQL Server the rows are locked while they are sent (other
    /// dispatchers of the same database skip them). A failure marks what was sent before it and rethrows.
    /// </summary>
    public async Task<int> DispatchPendingAsync(CancellationToken cancellationToken)
    {
        var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            if (_database.Provider == StorageProvider.Sqlite)
            {
                // One process owns a SQLite file: no lock needed, and none held while the bus takes the rows.
                var rows = await ReadPendingAsync(connection, null, cancellationToken).ConfigureAwait(false);
                return await SendAsync(connection, null, rows, cancellationToken).ConfigureAwait(false);
            }

            var transaction = await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, cancellationToken).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                var rows = await ReadPendingAsync(connection, transaction, cancellationToken).ConfigureAwait(false);
                try
                {
                    return await SendAsync(connection, transaction, rows, cancellationToken).ConfigureAwait(false);
                }
                finally
                {
                    await transaction.CommitAsync(CancellationToken.None).ConfigureAwait(false);
                }
            }
        }
    }

    private Task<IEnumerable<OutboxRow>> ReadPendingAsync(DbConnection connection, DbTransaction? transaction, CancellationToken ct) =>
        connection.QueryAsync<OutboxRow>(new CommandDefinition(
            PendingSql(_database.Provider), new { Limit = Math.Max(1, _options.BatchSize) }, transaction, cancellationToken: ct));

    private const string RetainedSql = "SELECT sequence, message_id FROM outbox_messages WHERE dispatched_at IS NOT NULL ORDER BY sequence";

    /// <summary>A list parameter: Dapper expands <c>IN @List</c>, except on PostgreSQL, where it passes an array.</summary>
    private static string InList(StorageProvider provider, string column, string parameter) =>
        provider == StorageProvider.PostgreSql ? $"{column} = ANY(@{parameter})" : $"{column} IN @{parameter}";

    private static string MarkDispatchedSql(StorageProvider provider) =>
        $"UPDATE outbox_messages SET dispatched_at = @Now, attempts = attempts + 1 WHERE {InList(provider, "sequence", "Sequences")}";

    private static string ProcessedSql(StorageProvider provider) =>
        $"SELECT DISTINCT message_id FROM inbox_messages WHERE {InList(provider, "message_id", "Ids")}";

    private static string RequeueSql(StorageProvider provider) =>
        $"UPDATE outbox_messages SET dispatched_at = NULL WHERE {InList(provider, "sequence", "Sequences")}";
    private const string PurgeOutboxSql = "DELETE FROM outbox_messages WHERE dispatched_at IS NOT NULL AND dispatched_at < @Cutoff";
    private const string PurgeInboxSql = "DELETE FROM inbox_messages WHERE processed_at < @Cutoff";

    /// <summary>The pending rows, oldest first; on PostgreSQL and SQL Server locked, skipping rows another dispatcher holds.</summary>
    public static string PendingSql(StorageProvider provider)
    {
        const string columns = """
            sequence AS Sequence, message_id AS MessageId, kind AS Kind, destination AS Destination, message_type AS MessageType,
            body AS Body, headers AS Headers, created_at AS CreatedAt
            """;
        return provider switch
        {
            StorageProvider.Sqlite => $"SELECT {columns} FROM outbox_messages WHERE dispatched_at IS NULL ORDER BY sequence LIMIT @Limit",
            StorageProvider.PostgreSql => $"SELECT {columns} FROM outbox_messages WHERE dispatched_at IS NULL ORDER BY sequence LIMIT @Limit FOR UPDATE SKIP LOCKED",
            _ => $"SELECT TOP (@Limit) {columns} FROM outbox_messages WITH (UPDLOCK, READPAST, ROWLOCK) WHERE dispatched_at IS NULL ORDER BY sequence",
        };
    }

    /// <summary>Every statement the dispatcher runs on <paramref name="provider"/> (Dapper expands <c>IN @List</c>), for SQL checks.</summary>
    public static IReadOnlyList<string> Statements(StorageProvider provider) =>
        [PendingSql(provider), MarkDispatchedSql(provider), RetainedSql, ProcessedSql(provider), RequeueSql(provider), PurgeOutboxSql, PurgeInboxSql];

    private async Task<int> SendAsync(DbConnection connection, DbTransaction? transaction, IEnumerable<OutboxRow> rows, CancellationToken ct)
    {
        var sent = new List<long>();
        try
        {
            foreach (var row in rows)
            {
                var envelope = ToEnvelope(row);
                var windowed = _window is not null && BatchPartWindow.Applies(envelope.Message);
                if (windowed)
                {
                    // Waits while the window is full: the row stays pending until the bus takes it.
                    await _window!.EnterAsync(envelope.MessageId, ct).ConfigureAwait(false);
                }

                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
                timeout.CancelAfter(_options.SendTimeout);
                try
                {
                    await _transport.DeliverAsync(envelope, timeout.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!ct.IsCancellationRequested)
                {
                    if (windowed)
                    {
                        _window!.Abandon(envelope.MessageId);
                    }

                    throw new TimeoutException($"The bus did not take outbox message {row.MessageId} within {_options.SendTimeout}.");
                }
                catch
                {
                    if (windowed)
                    {
                        _window!.Abandon(envelope.MessageId);
                    }

                    throw;
                }

                sent.Add(row.Sequence);
                Telemetry.PmhTelemetry.OutboxLag.Record(
                    Math.Max(0, _time.GetUtcNow().ToUnixTimeMilliseconds() - row.CreatedAt) / 1000.0,
                    new KeyValuePair<string, object?>("database", _database.Name));
            }
        }
        finally
        {
            if (sent.Count > 0)
            {
                await connection.ExecuteAsync(new CommandDefinition(
                    MarkDispatchedSql(_database.Provider),
                    new { Now = _time.GetUtcNow().ToUnixTimeMilliseconds(), Sequences = sent.ToArray() },
                    transaction,
                    cancellationToken: CancellationToken.None)).ConfigureAwait(false);
            }
        }

        return sent.Count;
    }

    private static OutboxEnvelope ToEnvelope(OutboxRow row)
    {
        var type = Types.GetOrAdd(row.MessageType, name => Type.GetType(name, throwOnError: false))
            ?? throw new InvalidOperationException($"Outbox message {row.MessageId} has the unknown type {row.MessageType}.");
        var message = JsonSerializer.Deserialize(row.Body, type, SystemTextJsonMessageSerializer.Options)
            ?? throw new InvalidOperationException($"Outbox message {row.MessageId} has an empty body.");
        var headers = row.Headers is null ? null : JsonSerializer.Deserialize<OutboxHeaders>(row.Headers, OutboxHeaders.Json);
        return new OutboxEnvelope(
            Guid.Parse(row.MessageId),
            message,
            type,
            row.Kind == OutboxWriter.SendKind ? new Uri(row.Destination ?? throw new InvalidOperationException($"Outbox message {row.MessageId} is a send without a destination.")) : null,
            headers);
    }

    /// <summary>
    /// In-memory bus, at start-up: marks pending again every retained dispatched row whose message no inbox of this
    /// process has recorded (it may have died in the bus with the last process); returns how many.
    /// </summary>
    public async Task<int> RequeueUndeliveredAsync(CancellationToken cancellationToken)
    {
        var retained = (await _database.RunAsync(
            (connection, ct) => connection.QueryAsync<(long Sequence, string MessageId)>(new CommandDefinition(RetainedSql, cancellationToken: ct)),
            cancellationToken).ConfigureAwait(false)).ToList();
        if (retained.Count == 0)
        {
            return 0;
        }

        var processed = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var inboxDatabase in _inboxDatabases())
        {
            foreach (var chunk in retained.Select(r => r.MessageId).Chunk(500))
            {
                var seen = await inboxDatabase.RunAsync(
                    (connection, ct) => connection.QueryAsync<string>(new CommandDefinition(
                        ProcessedSql(inboxDatabase.Provider), new { Ids = chunk }, cancellationToken: ct)),
                    cancellationToken).ConfigureAwait(false);
                processed.UnionWith(seen);
            }
        }

        var requeue = retained.Where(r => !processed.Contains(r.MessageId)).Select(r => r.Sequence).ToList();
        foreach (var chunk in requeue.Chunk(500))
        {
            await _database.RunAsync(
                (connection, ct) => connection.ExecuteAsync(new CommandDefinition(
                    RequeueSql(_database.Provider), new { Sequences = chunk }, cancellationToken: ct)),
                cancellationToken).ConfigureAwait(false);
        }

        return requeue.Count;
    }

    /// <summary>Deletes dispatched rows older than the retention and inbox entries older than the inbox's; returns both counts.</summary>
    public async Task<(int Outbox, int Inbox)> PurgeAsync(CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        return await _database.RunAsync(
            async (connection, ct) =>
            {
                var outbox = await connection.ExecuteAsync(new CommandDefinition(
                    PurgeOutboxSql,
                    new { Cutoff = (now - _options.Retention).ToUnixTimeMilliseconds() },
                    cancellationToken: ct)).ConfigureAwait(false);
                var inbox = await connection.ExecuteAsync(new CommandDefinition(
                    PurgeInboxSql,
                    new { Cutoff = (now - _options.InboxRetention).ToUnixTimeMilliseconds() },
                    cancellationToken: ct)).ConfigureAwait(false);
                return (outbox, inbox);
            },
            cancellationToken).ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox of the {Database} database paused: {Error}; retrying with backoff, nothing is dropped")]
    private static partial void LogPaused(ILogger logger, Exception exception, string database, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Outbox of the {Database} database resumed after {Failures} failed attempt(s)")]
    private static partial void LogResumed(ILogger logger, string database, int failures);

    [LoggerMessage(Level = LogLevel.Information, Message = "Outbox of the {Database} database: {Count} message(s) sent before the last stop and not processed are sent again")]
    private static partial void LogRequeued(ILogger logger, string database, int count);

    private sealed class OutboxRow
    {
        public long Sequence { get; set; }

        /// <summary>When the message was committed (Unix milliseconds).</summary>
        public long CreatedAt { get; set; }

        public string MessageId { get; set; } = "";

        public string Kind { get; set; } = "";

        public string? Destination { get; set; }

        public string MessageType { get; set; } = "";

        public string Body { get; set; } = "";

        public string? Headers { get; set; }
    }
}
