using System.Data.Common;
using Dapper;
using Pmh.Contracts.Batches;
using Pmh.Hosting.Outbox;

namespace Pmh.Hosting.Storage;

/// <summary>What happened to a staged part, and the batch's one result once it is applied.</summary>
public sealed record StagedPartOutcome(bool BatchApplied, int AcceptedCount, DateTimeOffset? AppliedAt);

/// <summary>
/// Who delivers a part: the batch kind (as <see cref="MunicipalBatchApplied"/> names it) and the message being
/// consumed, recorded in the inbox with the staging. With a delivery, the staging transaction also writes the
/// batch's announcement to the outbox whenever the batch is applied, now or before (a redelivered part or a
/// re-posted batch announces it again, so the publisher reaches a final state, and nothing is applied twice).
/// </summary>
public sealed record PartDelivery(string Kind, InboundMessage? Message);

/// <summary>A part that contradicts what was staged for its batch; it goes to the error queue, not into the data.</summary>
public sealed class InconsistentBatchException(string message) : Messaging.PoisonMessageException(message);

/// <summary>
/// Batches that travel in parts and are applied whole: each part is staged in <c>staged_batch_parts</c>, counted
/// under a row lock on <c>staged_batches</c>, and the transaction that stages the last missing part applies the
/// whole batch. A part delivered again changes nothing and reports the batch's result. The two tables are the
/// same in every service database, created by this library's own migration (Storage/Migrations).
/// </summary>
public sealed class StagedBatches(ServiceDatabase database, TimeProvider timeProvider)
{
    private const string BatchesTable = "staged_batches";
    private const string PartsTable = "staged_batch_parts";

    /// <summary>
    /// Stages a part; when it completes the batch, <paramref name="apply"/> runs in the same transaction once per part,
    /// in part order, with that part's payload, and returns how many rows it stored.
    /// </summary>
    public Task<StagedPartOutcome> StageAsync(
        string municipalityCode,
        string batchId,
        int partIndex,
        int partCount,
        int rowCount,
        string payload,
        Func<DbConnection, DbTransaction, IReadOnlyList<string>, DateTimeOffset, CancellationToken, Task<int>> apply,
        CancellationToken cancellationToken) =>
        StageAsync(municipalityCode, batchId, partIndex, partCount, rowCount, payload, null, apply, cancellationToken);

    /// <summary>
    /// Stages a part as <paramref name="delivery"/> delivers it (inbox, and the announcement of an applied batch in
    /// the outbox, in the staging transaction); when it completes the batch, <paramref name="apply"/> runs in the same
    /// transaction once per part, in part order, with that part's payload (so only one part is held at a time), and
    /// returns how many rows it stored.
    /// </summary>
    public Task<StagedPartOutcome> StageAsync(
        string municipalityCode,
        string batchId,
        int partIndex,
        int partCount,
        int rowCount,
        string payload,
        PartDelivery? delivery,
        Func<DbConnection, DbTransaction, IReadOnlyList<string>, DateTimeOffset, CancellationToken, Task<int>> apply,
        CancellationToken cancellationToken)
    {
        if (partCount < 1 || partIndex < 0 || partIndex >= partCount)
        {
            throw new InconsistentBatchException($"Part {partIndex} of {partCount} of batch {batchId} is out of range.");
        }

        var appliedNow = 0;
        var staging = database.InTransactionAsync(
            async (connection, transaction, ct) =>
            {
                appliedNow = 0;
                var outcome = delivery?.Message is { } message && !await Inbox.TryAcceptAsync(message, connection, transaction, ct, timeProvider).ConfigureAwait(false)
                    ? await ResultAsync(connection, transaction, municipalityCode, batchId, ct).ConfigureAwait(false)
                    : await StageInTransactionAsync(connection, transaction, ct).ConfigureAwait(false);
                if (delivery is not null && outcome.BatchApplied)
                {
                    await OutboxWriter.PublishAsync(
                        database,
                        connection,
                        transaction,
                        new MunicipalBatchApplied
                        {
                            Kind = delivery.Kind,
                            MunicipalityCode = municipalityCode,
                            BatchId = batchId,
                            AcceptedCount = outcome.AcceptedCount,
                            AppliedAt = outcome.AppliedAt ?? DateTimeOffset.MinValue,
                        },
                        ct,
                        cause: delivery.Message,
                        timeProvider: timeProvider).ConfigureAwait(false);
                }

                return outcome;
            },
            cancellationToken).AsTask();
        return CountedAsync(staging);

        async Task<StagedPartOutcome> CountedAsync(Task<StagedPartOutcome> staged)
        {
            var outcome = await staged.ConfigureAwait(false);
            if (appliedNow > 0)
            {
                // Counted once the transaction committed (a retried transaction counts once).
                Telemetry.PmhTelemetry.BatchRows.Add(
                    appliedNow,
                    new KeyValuePair<string, object?>("kind", delivery?.Kind ?? database.Name),
                    new KeyValuePair<string, object?>("stage", "applied"));
            }

            return outcome;
        }

        async Task<StagedPartOutcome> StageInTransactionAsync(DbConnection connection, DbTransaction transaction, CancellationToken ct)
        {
            var key = new { MunicipalityCode = municipalityCode, BatchId = batchId };
            await connection.ExecuteAsync(new CommandDefinition(
                database.Dialect(
                    sqlite: InsertBatchPortable(),
                    postgreSql: InsertBatchPortable(),
                    sqlServer: $"""
                        IF NOT EXISTS (SELECT 1 FROM {BatchesTable} WITH (UPDLOCK, HOLDLOCK)
                                       WHERE municipality_code = @MunicipalityCode AND batch_id = @BatchId)
                        INSERT INTO {BatchesTable} (municipality_code, batch_id, part_count, parts_received, row_count, status)
                        VALUES (@MunicipalityCode, @BatchId, @PartCount, 0, @RowCount, 'staging')
                        """),
                new { MunicipalityCode = municipalityCode, BatchId = batchId, PartCount = partCount, RowCount = rowCount },
                transaction,
                cancellationToken: ct)).ConfigureAwait(false);

            var inserted = await connection.ExecuteAsync(new CommandDefinition(
                database.Dialect(
                    sqlite: InsertPartPortable(),
                    postgreSql: InsertPartPortable(),
                    sqlServer: $"""
                        IF NOT EXISTS (SELECT 1 FROM {PartsTable} WITH (UPDLOCK, HOLDLOCK)
                                       WHERE municipality_code = @MunicipalityCode AND batch_id = @BatchId AND part_index = @PartIndex)
                        INSERT INTO {PartsTable} (municipality_code, batch_id, part_index, payload)
                        VALUES (@MunicipalityCode, @BatchId, @PartIndex, @Payload)
                        """),
                new { MunicipalityCode = municipalityCode, BatchId = batchId, PartIndex = partIndex, Payload = payload },
                transaction,
                cancellationToken: ct)).ConfigureAwait(false);

            if (inserted == 1)
            {
                // Row lock on the batch: concurrent parts count one after the other, so exactly one sees the last.
                await connection.ExecuteAsync(new CommandDefinition(
                    $"UPDATE {BatchesTable} SET parts_received = parts_received + 1 WHERE municipality_code = @MunicipalityCode AND batch_id = @BatchId",
                    key,
                    transaction,
                    cancellationToken: ct)).ConfigureAwait(false);
            }

            var batch = await connection.QuerySingleAsync<BatchRow>(new CommandDefinition(
                $"""
                SELECT part_count AS PartCount, parts_received AS PartsReceived, row_count AS RowCount, status AS Status,
                       accepted_count AS AcceptedCount, applied_at AS AppliedAt
                FROM {BatchesTable} WHERE municipality_code = @MunicipalityCode AND batch_id = @BatchId
                """,
                key,
                transaction,
                cancellationToken: ct)).ConfigureAwait(false);

            if (batch.PartCount != partCount || batch.RowCount != rowCount)
            {
                throw new InconsistentBatchException(
                    $"Batch {batchId} of {municipalityCode} was staged with {batch.PartCount} parts and {batch.RowCount} rows; " +
                    $"this part says {partCount} parts and {rowCount} rows.");
            }

            if (batch.Status == "applied")
            {
                return new StagedPartOutcome(true, batch.AcceptedCount ?? 0, DbValues.ToDateTimeOffset(batch.AppliedAt));
            }

            if (batch.PartsReceived < batch.PartCount)
            {
                return new StagedPartOutcome(false, 0, null);
            }

            // One part at a time, in part order, in this one transaction: a batch of any size is applied whole while
            // only one part's rows are held (rows of a batch are applied in order, so part by part is the same).
            var appliedAt = timeProvider.GetUtcNow();
            var accepted = 0;
            await SetSqliteCacheAsync(connection, transaction, BulkCacheKiB, ct).ConfigureAwait(false);
            try
            {
                for (var index = 0; index < batch.PartCount; index++)
                {
                    var partPayload = await connection.QuerySingleAsync<string>(new CommandDefinition(
                            $"SELECT payload FROM {PartsTable} WHERE municipality_code = @MunicipalityCode AND batch_id = @BatchId AND part_index = @PartIndex",
                            new { MunicipalityCode = municipalityCode, BatchId = batchId, PartIndex = index },
                            transaction,
                            cancellationToken: ct)).ConfigureAwait(false);
                    accepted += await apply(connection, transaction, [partPayload], appliedAt, ct).ConfigureAwait(false);
                }
            }
            finally
            {
                // The pool hands this connection out again: back to the default, which frees the pages (even when
                // the apply was cancelled).
                await SetSqliteCacheAsync(connection, transaction, DefaultCacheKiB, CancellationToken.None).ConfigureAwait(false);
            }

            await connection.ExecuteAsync(new CommandDefinition(
                $"""
                UPDATE {BatchesTable} SET status = 'applied', accepted_count = @Accepted, applied_at = @AppliedAt
                WHERE municipality_code = @MunicipalityCode AND batch_id = @BatchId
                """,
                new { MunicipalityCode = municipalityCode, BatchId = batchId, Accepted = accepted, AppliedAt = appliedAt },
                transaction,
                cancellationToken: ct)).ConfigureAwait(false);

            // The staged payloads are no longer needed; the part rows stay so that a redelivered part is recognised.
            await connection.ExecuteAsync(new CommandDefinition(
                $"UPDATE {PartsTable} SET payload = NULL WHERE municipality_code = @MunicipalityCode AND batch_id = @BatchId",
                key,
                transaction,
                cancellationToken: ct)).ConfigureAwait(false);

            appliedNow = accepted;
            return new StagedPartOutcome(true, accepted, appliedAt);
        }
    }

    /// <summary>SQLite's page cache while a batch is applied (KiB) and its default (2,000 KiB).</summary>
    private const int BulkCacheKiB = 128 * 1024;

    private const int DefaultCacheKiB = 2_000;

    /// <summary>
    /// On SQLite, the page cache for the rest of the transaction: a large batch touches its indexes all over, and with
    /// the default 2 MB cache most inserts would read their index page back from the file. Nothing elsewhere.
    /// </summary>
    private async Task SetSqliteCacheAsync(DbConnection connection, DbTransaction transaction, int kib, CancellationToken ct)
    {
        if (database.Provider != StorageProvider.Sqlite)
        {
            return;
        }

        await connection.ExecuteAsync(new CommandDefinition($"PRAGMA cache_size = -{kib}", transaction: transaction, cancellationToken: ct)).ConfigureAwait(false);
    }

    /// <summary>The batch's result as staged so far (a redelivered part changes nothing and reports it).</summary>
    private static async Task<StagedPartOutcome> ResultAsync(
        DbConnection connection, DbTransaction transaction, string municipalityCode, string batchId, CancellationToken ct)
    {
        var batch = await connection.QuerySingleOrDefaultAsync<BatchRow>(new CommandDefinition(
            $"""
            SELECT part_count AS PartCount, parts_received AS PartsReceived, row_count AS RowCount, status AS Status,
                   accepted_count AS AcceptedCount, applied_at AS AppliedAt
            FROM {BatchesTable} WHERE municipality_code = @MunicipalityCode AND batch_id = @BatchId
            """,
            new { MunicipalityCode = municipalityCode, BatchId = batchId },
            transaction,
            cancellationToken: ct)).ConfigureAwait(false);
        return batch?.Status == "applied"
            ? new StagedPartOutcome(true, batch.AcceptedCount ?? 0, DbValues.ToDateTimeOffset(batch.AppliedAt))
            : new StagedPartOutcome(false, 0, null);
    }

    private string InsertBatchPortable() => $"""
        INSERT INTO {BatchesTable} (municipality_code, batch_id, part_count, parts_received, row_count, status)
        VALUES (@MunicipalityCode, @BatchId, @PartCount, 0, @RowCount, 'staging')
        ON CONFLICT (municipality_code, batch_id) DO NOTHING
        """;

    private string InsertPartPortable() => $"""
        INSERT INTO {PartsTable} (municipality_code, batch_id, part_index, payload)
        VALUES (@MunicipalityCode, @BatchId, @PartIndex, @Payload)
        ON CONFLICT (municipality_code, batch_id, part_index) DO NOTHING
        """;

    private sealed class BatchRow
    {
        public int PartCount { get; set; }

        public int PartsReceived { get; set; }

        public int RowCount { get; set; }

        public string Status { get; set; } = "";

        public int? AcceptedCount { get; set; }

        public object? AppliedAt { get; set; }
    }
}
