using System.Data.Common;
using System.Text.Json;
using Dapper;
using NpgsqlTypes;
using Microsoft.Extensions.DependencyInjection;
using Pmh.Contracts.Subsidy;
using Pmh.Hosting.Storage;
using Pmh.Subsidy.Domain;

namespace Pmh.Subsidy.Storage;

/// <summary>
/// The subsidy service's storage: staged batch parts, the current revision of every certificate and the
/// append-only revision history. SQL is portable where it can be and picked per dialect where it cannot.
/// </summary>
public sealed class SubsidyCertificateStore(
    [FromKeyedServices(SubsidyServiceExtensions.DatabaseName)] ServiceDatabase database,
    TimeProvider timeProvider)
{
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly StagedBatches _batches = new(database, timeProvider);

    /// <summary>
    /// Stages one part. The transaction that stages the last missing part applies the whole batch, so the batch's
    /// certificates become visible together or not at all. A part delivered again changes nothing.
    /// </summary>
    public Task<StagedPartOutcome> StagePartAsync(PublishSubsidyCertificates part, CancellationToken cancellationToken, PartDelivery? delivery = null) =>
        _batches.StageAsync(
            part.MunicipalityCode,
            part.BatchId,
            part.PartIndex,
            part.PartCount,
            part.RowCount,
            JsonSerializer.Serialize(part.Rows, Json),
            delivery,
            (connection, transaction, payloads, appliedAt, ct) => ApplyBatchAsync(connection, transaction, part.BatchId, payloads, appliedAt, ct),
            cancellationToken);

    private async Task<int> ApplyBatchAsync(
        DbConnection connection, DbTransaction transaction, string batchId, IReadOnlyList<string> payloads, DateTimeOffset appliedAt, CancellationToken ct)
    {
        var rows = payloads
            .SelectMany(p => JsonSerializer.Deserialize<List<PublishedCertificateRow>>(p, Json) ?? [])
            .OrderBy(r => r.Index)
            .Select(r => ToParameters(batchId, r, appliedAt))
            .ToList();

        switch (database.Provider)
        {
            case Hosting.StorageProvider.SqlServer:
                // One MERGE per row: SQL Server's 2,100-parameter limit leaves little room for multi-row statements.
                await connection.ExecuteAsync(new CommandDefinition(MergeCurrentSqlServer, rows, transaction, cancellationToken: ct)).ConfigureAwait(false);
                await connection.ExecuteAsync(new CommandDefinition(InsertRevisionSql, rows, transaction, cancellationToken: ct)).ConfigureAwait(false);
                break;
            case Hosting.StorageProvider.Sqlite:
                // In-process, so no round trips to save: two prepared statements run once per row are the fastest
                // (SQLite binds named parameters by a linear search, which makes wide multi-row statements slow).
                await ExecutePreparedPerRowAsync(connection, transaction, rows, ct).ConfigureAwait(false);
                break;
            default:
                // PostgreSQL: binary COPY into staging, then one INSERT … SELECT per table (the shared bulk path). A
                // key twice in one part: its last row updates the current table; every row is kept as a revision.
                await BulkRows.WriteAsync(database, connection, transaction, CurrentTable, rows.Select(r => new object?[]
                {
                    r.MunicipalityCode, r.HistoryKey, r.PersonKey, r.ValidFrom, r.ValidTo, r.IsDeleted, r.IsNotDisclosed, 1, r.BatchId, r.AppliedAt, r.Data,
                }).ToList(), ct).ConfigureAwait(false);
                await BulkRows.WriteAsync(database, connection, transaction, RevisionTable, rows.Select(r => new object?[]
                {
                    r.MunicipalityCode, r.HistoryKey, r.BatchId, r.RowIndex, r.PersonKey, r.AppliedAt, r.Data,
                }).ToList(), ct).ConfigureAwait(false);
                break;
        }

        return rows.Count;
    }

    private static readonly BulkTable CurrentTable = new(
        "subsidy_certificates",
        [
            new("municipality_code", NpgsqlDbType.Text), new("history_key", NpgsqlDbType.Text), new("person_key", NpgsqlDbType.Text),
            new("valid_from", NpgsqlDbType.Integer), new("valid_to", NpgsqlDbType.Integer), new("is_deleted", NpgsqlDbType.Boolean),
            new("is_not_disclosed", NpgsqlDbType.Boolean), new("revision", NpgsqlDbType.Integer), new("batch_id", NpgsqlDbType.Text),
            new("updated_at", NpgsqlDbType.TimestampTz), new("data", NpgsqlDbType.Text),
        ],
        """
        ON CONFLICT (municipality_code, history_key) DO UPDATE SET
            person_key = excluded.person_key, valid_from = excluded.valid_from, valid_to = excluded.valid_to,
            is_deleted = excluded.is_deleted, is_not_disclosed = excluded.is_not_disclosed,
            revision = subsidy_certificates.revision + 1, batch_id = excluded.batch_id,
            updated_at = excluded.updated_at, data = excluded.data
        """,
        ["municipality_code", "history_key"]);

    private static readonly BulkTable RevisionTable = new(
        "subsidy_certificate_revisions",
        [
            new("municipality_code", NpgsqlDbType.Text), new("history_key", NpgsqlDbType.Text), new("batch_id", NpgsqlDbType.Text),
            new("row_index", NpgsqlDbType.Integer), new("person_key", NpgsqlDbType.Text), new("applied_at", NpgsqlDbType.TimestampTz),
            new("data", NpgsqlDbType.Text),
        ],
        "",
        []);

    private const string MergeCurrentSqlServer = """
        MERGE subsidy_certificates WITH (HOLDLOCK) AS t
        USING (SELECT @MunicipalityCode AS municipality_code, @HistoryKey AS history_key) AS s
        ON t.municipality_code = s.municipality_code AND t.history_key = s.history_key
        WHEN MATCHED THEN UPDATE SET
            person_key = @PersonKey, valid_from = @ValidFrom, valid_to = @ValidTo, is_deleted = @IsDeleted,
            is_not_disclosed = @IsNotDisclosed, revision = t.revision + 1, batch_id = @BatchId,
            updated_at = @AppliedAt, data = @Data
        WHEN NOT MATCHED THEN INSERT
            (municipality_code, history_key, person_key, valid_from, valid_to, is_deleted, is_not_disclosed, revision, batch_id, updated_at, data)
            VALUES (@MunicipalityCode, @HistoryKey, @PersonKey, @ValidFrom, @ValidTo, @IsDeleted, @IsNotDisclosed, 1, @BatchId, @AppliedAt, @Data);
        """;

    /// <summary>The current revision of each of the person's certificates, withdrawn and undisclosed ones included.</summary>
    public async Task<IReadOnlyList<SubsidyCertificate>> CurrentForPersonAsync(string personKey, CancellationToken cancellationToken)
    {
        var data = await database.RunAsync(
            (connection, ct) => connection.QueryAsync<string>(new CommandDefinition(
                "SELECT data FROM subsidy_certificates WHERE person_key = @PersonKey",
                new { PersonKey = personKey },
                cancellationToken: ct)),
            cancellationToken).ConfigureAwait(false);
        return data.Select(d => JsonSerializer.Deserialize<SubsidyCertificate>(d, Json)!).ToList();
    }

    /// <summary>The certificates a desk may see for the person on the date (<see cref="SubsidyRules"/>).</summary>
    public async Task<IReadOnlyList<SubsidyCertificate>> EligibleAsync(string personKey, DateOnly serviceDate, CancellationToken cancellationToken) =>
        SubsidyRules.EligibleOn(await CurrentForPersonAsync(personKey, cancellationToken).ConfigureAwait(false), serviceDate);

    private static CertificateParameters ToParameters(string batchId, PublishedCertificateRow row, DateTimeOffset appliedAt)
    {
        var c = row.Certificate;
        return new CertificateParameters(
            c.MunicipalityCode,
            c.HistoryKey,
            c.PersonKey,
            ToDayNumber(c.ValidFrom),
            ToDayNumber(c.ValidTo),
            c.IsDeleted,
            c.IsNotDisclosed,
            batchId,
            row.Index,
            appliedAt,
            JsonSerializer.Serialize(c, Json));
    }

    private const string InsertRevisionSql = """
        INSERT INTO subsidy_certificate_revisions (municipality_code, history_key, batch_id, row_index, person_key, applied_at, data)
        VALUES (@MunicipalityCode, @HistoryKey, @BatchId, @RowIndex, @PersonKey, @AppliedAt, @Data)
        """;

    private static string UpsertMultiRow(int count) => $"""
        INSERT INTO subsidy_certificates
            (municipality_code, history_key, person_key, valid_from, valid_to, is_deleted, is_not_disclosed, revision, batch_id, updated_at, data)
        VALUES {string.Join(",\n", Enumerable.Range(0, count).Select(i =>
            $"(@m{i}, @h{i}, @p{i}, @f{i}, @t{i}, @d{i}, @n{i}, 1, @BatchId, @AppliedAt, @j{i})"))}
        ON CONFLICT (municipality_code, history_key) DO UPDATE SET
            person_key = excluded.person_key, valid_from = excluded.valid_from, valid_to = excluded.valid_to,
            is_deleted = excluded.is_deleted, is_not_disclosed = excluded.is_not_disclosed,
            revision = subsidy_certificates.revision + 1, batch_id = excluded.batch_id,
            updated_at = excluded.updated_at, data = excluded.data
        """;

    private static string InsertRevisionsMultiRow(int count) => $"""
        INSERT INTO subsidy_certificate_revisions (municipality_code, history_key, batch_id, row_index, person_key, applied_at, data)
        VALUES {string.Join(",\n", Enumerable.Range(0, count).Select(i => $"(@m{i}, @h{i}, @BatchId, @r{i}, @p{i}, @AppliedAt, @j{i})"))}
        """;

    private static async Task ExecutePreparedPerRowAsync(
        DbConnection connection, DbTransaction transaction, List<CertificateParameters> rows, CancellationToken ct)
    {
        // (StagedBatches gives SQLite a large page cache for the whole apply.)
        var upsert = connection.CreateCommand();
        var revision = connection.CreateCommand();
        await using (upsert.ConfigureAwait(false))
        await using (revision.ConfigureAwait(false))
        {
            {
                upsert.Transaction = transaction;
                upsert.CommandText = UpsertMultiRow(1);
                revision.Transaction = transaction;
                revision.CommandText = InsertRevisionsMultiRow(1);
                string[] names = ["BatchId", "AppliedAt", "m0", "h0", "p0", "f0", "t0", "d0", "n0", "r0", "j0"];
                foreach (var name in names)
                {
                    AddParameter(upsert, name);
                    AddParameter(revision, name);
                }

                await upsert.PrepareAsync(ct).ConfigureAwait(false);
                await revision.PrepareAsync(ct).ConfigureAwait(false);
                foreach (var r in rows)
                {
                    object[] values = [r.BatchId, r.AppliedAt, r.MunicipalityCode, r.HistoryKey, r.PersonKey, r.ValidFrom, r.ValidTo, r.IsDeleted, r.IsNotDisclosed, r.RowIndex, r.Data];
                    for (var i = 0; i < values.Length; i++)
                    {
                        upsert.Parameters[i].Value = values[i];
                        revision.Parameters[i].Value = values[i];
                    }

                    await upsert.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
                    await revision.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
                }
            }
        }

        static void AddParameter(DbCommand command, string name)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = "@" + name;
            command.Parameters.Add(parameter);
        }
    }

    private sealed record CertificateParameters(
        string MunicipalityCode,
        string HistoryKey,
        string PersonKey,
        int ValidFrom,
        int ValidTo,
        bool IsDeleted,
        bool IsNotDisclosed,
        string BatchId,
        int RowIndex,
        DateTimeOffset AppliedAt,
        string Data);

    /// <summary>Dates are stored as yyyymmdd integers: sortable and the same on every provider.</summary>
    internal static int ToDayNumber(DateOnly date) => (date.Year * 10000) + (date.Month * 100) + date.Day;
}
