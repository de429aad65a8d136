using System.Data.Common;
using System.Text.Json;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Pmh.Hosting.Outbox;
using Pmh.Hosting.Storage;
using Pmh.Modules.Batches;

namespace Pmh.Gateway.Storage;

/// <summary>The gateway's own record of published batches, keyed by municipality and batch id.</summary>
public sealed class BatchStore([FromKeyedServices(GatewayServiceExtensions.DatabaseName)] ServiceDatabase database) : IBatchLedger
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Records a new batch; when the id is taken, returns the batch already recorded under it instead.</summary>
    public Task<(bool Created, BatchRecord Record)> TryCreateAsync(BatchRecord batch, CancellationToken cancellationToken) =>
        TryCreateAsync(batch, (_, _, _, _, _) => Task.CompletedTask, cancellationToken);

    /// <summary>
    /// Records a new batch, or finds the one already recorded under its id, and runs <paramref name="inTransaction"/>
    /// (created?, the recorded batch) in the same transaction: what it writes (the outbox rows of the batch's parts)
    /// commits with the batch row or not at all.
    /// </summary>
    public async Task<(bool Created, BatchRecord Record)> TryCreateAsync(
        BatchRecord batch,
        Func<DbConnection, DbTransaction, bool, BatchRecord, CancellationToken, Task> inTransaction,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(inTransaction);
        var parameters = new
        {
            batch.MunicipalityCode,
            batch.BatchId,
            batch.Kind,
            batch.PublisherId,
            batch.Fingerprint,
            batch.Status,
            batch.RowCount,
            batch.ValidCount,
            Rejections = JsonSerializer.Serialize(batch.Rejections, Json),
            batch.SubmittedAt,
        };
        return await database.InTransactionAsync(
            async (connection, transaction, ct) =>
            {
                var inserted = await connection.ExecuteAsync(new CommandDefinition(
                    database.Dialect(
                        sqlite: InsertPortable,
                        postgreSql: InsertPortable,
                        sqlServer: """
                            IF NOT EXISTS (SELECT 1 FROM gateway_batches WITH (UPDLOCK, HOLDLOCK)
                                           WHERE municipality_code = @MunicipalityCode AND batch_id = @BatchId)
                            INSERT INTO gateway_batches (municipality_code, batch_id, kind, publisher_id, fingerprint, status, row_count, valid_count, rejections, submitted_at)
                            VALUES (@MunicipalityCode, @BatchId, @Kind, @PublisherId, @Fingerprint, @Status, @RowCount, @ValidCount, @Rejections, @SubmittedAt)
                            """),
                    parameters,
                    transaction,
                    cancellationToken: ct)).ConfigureAwait(false);

                var created = inserted == 1;
                var record = created
                    ? batch
                    : await ReadAsync(connection, transaction, batch.MunicipalityCode, batch.BatchId, ct).ConfigureAwait(false)
                        ?? throw new InvalidOperationException("The batch vanished between insert and read.");
                await inTransaction(connection, transaction, created, record, ct).ConfigureAwait(false);
                return (created, record);
            },
            cancellationToken).ConfigureAwait(false);
    }

    private const string InsertPortable = """
        INSERT INTO gateway_batches (municipality_code, batch_id, kind, publisher_id, fingerprint, status, row_count, valid_count, rejections, submitted_at)
        VALUES (@MunicipalityCode, @BatchId, @Kind, @PublisherId, @Fingerprint, @Status, @RowCount, @ValidCount, @Rejections, @SubmittedAt)
        ON CONFLICT (municipality_code, batch_id) DO NOTHING
        """;

    public async Task<BatchRecord?> GetAsync(string municipalityCode, string batchId, CancellationToken cancellationToken) =>
        await database.RunAsync((connection, ct) => ReadAsync(connection, null, municipalityCode, batchId, ct), cancellationToken).ConfigureAwait(false);

    private static async Task<BatchRecord?> ReadAsync(
        DbConnection connection, DbTransaction? transaction, string municipalityCode, string batchId, CancellationToken ct)
    {
        var row = await connection.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(
            """
            SELECT municipality_code AS MunicipalityCode, batch_id AS BatchId, kind AS Kind, publisher_id AS PublisherId,
                   fingerprint AS Fingerprint, status AS Status, row_count AS RowCount, valid_count AS ValidCount,
                   accepted_count AS AcceptedCount, rejections AS Rejections, failure AS Failure,
                   submitted_at AS SubmittedAt, completed_at AS CompletedAt
            FROM gateway_batches WHERE municipality_code = @MunicipalityCode AND batch_id = @BatchId
            """,
            new { MunicipalityCode = municipalityCode, BatchId = batchId },
            transaction,
            cancellationToken: ct)).ConfigureAwait(false);

        return row is null ? null : new BatchRecord
        {
            MunicipalityCode = row.MunicipalityCode,
            BatchId = row.BatchId,
            Kind = row.Kind,
            PublisherId = row.PublisherId,
            Fingerprint = row.Fingerprint,
            Status = row.Status,
            RowCount = row.RowCount,
            ValidCount = row.ValidCount,
            AcceptedCount = row.AcceptedCount,
            Rejections = JsonSerializer.Deserialize<List<RowRejection>>(row.Rejections, Json) ?? [],
            Failure = row.Failure,
            SubmittedAt = DbValues.ToDateTimeOffset(row.SubmittedAt)!.Value,
            CompletedAt = DbValues.ToDateTimeOffset(row.CompletedAt),
        };
    }

    /// <summary>
    /// Marks the batch applied by its service. Repeating it changes nothing; with <paramref name="inbound"/>, a
    /// redelivered announcement is recognised by its message id and skipped.
    /// </summary>
    public Task CompleteAsync(
        string municipalityCode, string batchId, int acceptedCount, DateTimeOffset completedAt, CancellationToken cancellationToken, InboundMessage? inbound = null) =>
        UpdateOnceAsync(
            """
            UPDATE gateway_batches SET status = 'completed', accepted_count = @AcceptedCount, completed_at = @CompletedAt, failure = NULL
            WHERE municipality_code = @MunicipalityCode AND batch_id = @BatchId AND status <> 'completed'
            """,
            new { MunicipalityCode = municipalityCode, BatchId = batchId, AcceptedCount = acceptedCount, CompletedAt = completedAt },
            inbound,
            cancellationToken);

    /// <summary>Marks the batch failed in its service (its message is in an error queue); a completed batch stays completed.</summary>
    public Task FailAsync(
        string municipalityCode, string batchId, string failure, DateTimeOffset at, CancellationToken cancellationToken, InboundMessage? inbound = null) =>
        UpdateOnceAsync(
            """
            UPDATE gateway_batches SET status = 'failed', failure = @Failure, completed_at = @At
            WHERE municipality_code = @MunicipalityCode AND batch_id = @BatchId AND status = 'accepted'
            """,
            new { MunicipalityCode = municipalityCode, BatchId = batchId, Failure = failure, At = at },
            inbound,
            cancellationToken);

    private Task UpdateOnceAsync(string sql, object parameters, InboundMessage? inbound, CancellationToken cancellationToken) =>
        database.InTransactionAsync(
            async (connection, transaction, ct) =>
            {
                if (inbound is not null && !await Inbox.TryAcceptAsync(inbound, connection, transaction, ct).ConfigureAwait(false))
                {
                    return 0;
                }

                return await connection.ExecuteAsync(new CommandDefinition(sql, parameters, transaction, cancellationToken: ct)).ConfigureAwait(false);
            },
            cancellationToken).AsTask();

    /// <summary>
    /// Makes a failed batch <c>accepted</c> again, from <paramref name="at"/>, inside the transaction that sends its parts
    /// once more (the municipality posted the same batch again after it failed).
    /// </summary>
    public static Task ReopenAsync(DbConnection connection, DbTransaction transaction, BatchRecord batch, DateTimeOffset at, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE gateway_batches SET status = 'accepted', failure = NULL, completed_at = NULL, submitted_at = @At
            WHERE municipality_code = @MunicipalityCode AND batch_id = @BatchId AND status = 'failed'
            """,
            new { batch.MunicipalityCode, batch.BatchId, At = at },
            transaction,
            cancellationToken: cancellationToken));

    /// <summary>Batches still waiting for their service (status <c>accepted</c>), oldest first: who, which, since when.</summary>
    public async Task<IReadOnlyList<(string MunicipalityCode, string BatchId, string Kind, DateTimeOffset SubmittedAt)>> AcceptedAsync(CancellationToken cancellationToken)
    {
        var rows = await database.RunAsync(
            (connection, ct) => connection.QueryAsync<Row>(new CommandDefinition(
                """
                SELECT municipality_code AS MunicipalityCode, batch_id AS BatchId, kind AS Kind, submitted_at AS SubmittedAt
                FROM gateway_batches WHERE status = 'accepted'
                """,
                cancellationToken: ct)),
            cancellationToken).ConfigureAwait(false);
        return rows
            .Select(r => (r.MunicipalityCode, r.BatchId, r.Kind, DbValues.ToDateTimeOffset(r.SubmittedAt)!.Value))
            .OrderBy(r => r.Item4)
            .ToList();
    }

    /// <summary>
    /// The municipality's batches, newest first (by when they were submitted), at most <paramref name="limit"/>: what
    /// the municipality page lists. Without their rejected rows (<see cref="GetAsync"/> has them).
    /// </summary>
    public async Task<IReadOnlyList<BatchSummary>> ListAsync(string municipalityCode, int limit, CancellationToken cancellationToken)
    {
        const string Columns = """
            batch_id AS BatchId, kind AS Kind, status AS Status, row_count AS RowCount, valid_count AS ValidCount,
            accepted_count AS AcceptedCount, failure AS Failure, submitted_at AS SubmittedAt, completed_at AS CompletedAt
            """;
        const string Where = "FROM gateway_batches WHERE municipality_code = @MunicipalityCode ORDER BY submitted_at DESC, batch_id";
        var rows = await database.RunAsync(
            (connection, ct) => connection.QueryAsync<Row>(new CommandDefinition(
                database.Dialect(
                    sqlite: $"SELECT {Columns} {Where} LIMIT @Limit",
                    postgreSql: $"SELECT {Columns} {Where} LIMIT @Limit",
                    sqlServer: $"SELECT TOP (@Limit) {Columns} {Where}"),
                new { MunicipalityCode = municipalityCode, Limit = limit },
                cancellationToken: ct)),
            cancellationToken).ConfigureAwait(false);
        return rows.Select(r => new BatchSummary(
                r.BatchId, r.Kind, r.Status, r.RowCount, r.ValidCount, r.AcceptedCount, r.Failure,
                DbValues.ToDateTimeOffset(r.SubmittedAt)!.Value, DbValues.ToDateTimeOffset(r.CompletedAt)))
            .ToList();
    }

    private sealed class Row
    {
        public string MunicipalityCode { get; set; } = "";

        public string BatchId { get; set; } = "";

        public string Kind { get; set; } = "";

        public string PublisherId { get; set; } = "";

        public string Fingerprint { get; set; } = "";

        public string Status { get; set; } = "";

        public int RowCount { get; set; }

        public int ValidCount { get; set; }

        public int? AcceptedCount { get; set; }

        public string Rejections { get; set; } = "[]";

        public string? Failure { get; set; }

        public object? SubmittedAt { get; set; }

        public object? CompletedAt { get; set; }
    }
}

/// <summary>One batch in a municipality's history: its counts and where it is, without its rejected rows.</summary>
public sealed record BatchSummary(
    string BatchId, string Kind, string Status, int RowCount, int ValidCount, int? AcceptedCount, string? Failure,
    DateTimeOffset SubmittedAt, DateTimeOffset? CompletedAt)
{
    /// <summary>Rows refused at the gateway (each valid row was sent on).</summary>
    public int RejectedCount => RowCount - ValidCount;
}
