using System.Data.Common;
using System.Text.Json;
using Dapper;
using NpgsqlTypes;
using Microsoft.Extensions.DependencyInjection;
using Pmh.Contracts.MaternalChild;
using Pmh.Hosting.Outbox;
using Pmh.Hosting.Storage;
using Pmh.MaternalChild.Domain;

namespace Pmh.MaternalChild.Storage;

public abstract record CheckupOutcome
{
    public sealed record Recorded(string ResultId, string MunicipalityCode, long Sequence, bool IsRepeat) : CheckupOutcome;

    public sealed record Refused(string Reason) : CheckupOutcome;
}

/// <summary>The maternal-child service's storage: pregnancies, children, voucher uses, checkup results and each municipality's feed.</summary>
public sealed class MaternalChildStore(
    [FromKeyedServices(MaternalChildServiceExtensions.DatabaseName)] ServiceDatabase database,
    TimeProvider timeProvider)
{
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly StagedBatches _batches = new(database, timeProvider);

    public Task<StagedPartOutcome> StagePregnanciesAsync(RegisterPregnancies part, CancellationToken cancellationToken, PartDelivery? delivery = null) =>
        _batches.StageAsync(
            part.MunicipalityCode, part.BatchId, part.PartIndex, part.PartCount, part.RowCount, JsonSerializer.Serialize(part.Rows, Json), delivery,
            async (connection, transaction, payloads, _, ct) =>
            {
                var rows = payloads.SelectMany(p => JsonSerializer.Deserialize<List<RegisteredPregnancyRow>>(p, Json) ?? []).OrderBy(r => r.Index).ToList();
                if (database.Provider != Hosting.StorageProvider.SqlServer)
                {
                    // The shared bulk path: COPY on PostgreSQL, prepared statements on SQLite.
                    await BulkRows.WriteAsync(database, connection, transaction, PregnanciesTable, rows.Select(row => row.Record).Select(r => new object?[]
                    {
                        r.RecordId, r.MunicipalityCode, r.PersonKey, Day(r.DueDate), Day(r.RegisteredOn), r.EndedOn is { } e ? Day(e) : null, r.LocalPersonId,
                    }).ToList(), ct).ConfigureAwait(false);
                    return rows.Count;
                }

                foreach (var r in rows.Select(r => r.Record))
                {
                    await connection.ExecuteAsync(new CommandDefinition(
                        MergePregnancy,
                        new
                        {
                            r.RecordId,
                            r.MunicipalityCode,
                            r.PersonKey,
                            DueDate = Day(r.DueDate),
                            RegisteredOn = Day(r.RegisteredOn),
                            EndedOn = r.EndedOn is { } e ? Day(e) : (int?)null,
                            r.LocalPersonId,
                        },
                        transaction,
                        cancellationToken: ct)).ConfigureAwait(false);
                }

                return rows.Count;
            },
            cancellationToken);

    private static readonly BulkTable PregnanciesTable = new(
        "mc_pregnancies",
        [
            new("record_id", NpgsqlDbType.Text), new("municipality_code", NpgsqlDbType.Text), new("person_key", NpgsqlDbType.Text),
            new("due_date", NpgsqlDbType.Integer), new("registered_on", NpgsqlDbType.Integer), new("ended_on", NpgsqlDbType.Integer),
            new("local_person_id", NpgsqlDbType.Text),
        ],
        UpsertPregnancy[UpsertPregnancy.IndexOf("ON CONFLICT", StringComparison.Ordinal)..],
        ["record_id"]);

    private static readonly BulkTable ChildrenTable = new(
        "mc_children",
        [
            new("record_id", NpgsqlDbType.Text), new("municipality_code", NpgsqlDbType.Text), new("person_key", NpgsqlDbType.Text),
            new("birth_date", NpgsqlDbType.Integer), new("guardian_person_key", NpgsqlDbType.Text), new("pregnancy_record_id", NpgsqlDbType.Text),
            new("local_person_id", NpgsqlDbType.Text),
        ],
        UpsertChild[UpsertChild.IndexOf("ON CONFLICT", StringComparison.Ordinal)..],
        ["record_id"]);

    private const string UpsertPregnancy = """
        INSERT INTO mc_pregnancies (record_id, municipality_code, person_key, due_date, registered_on, ended_on, local_person_id)
        VALUES (@RecordId, @MunicipalityCode, @PersonKey, @DueDate, @RegisteredOn, @EndedOn, @LocalPersonId)
        ON CONFLICT (record_id) DO UPDATE SET municipality_code = excluded.municipality_code, person_key = excluded.person_key,
            due_date = excluded.due_date, registered_on = excluded.registered_on,
            ended_on = COALESCE(excluded.ended_on, mc_pregnancies.ended_on), local_person_id = excluded.local_person_id
        """;

    private const string MergePregnancy = """
        MERGE mc_pregnancies WITH (HOLDLOCK) AS t USING (SELECT @RecordId AS record_id) AS s ON t.record_id = s.record_id
        WHEN MATCHED THEN UPDATE SET municipality_code = @MunicipalityCode, person_key = @PersonKey, due_date = @DueDate,
            registered_on = @RegisteredOn, ended_on = COALESCE(@EndedOn, t.ended_on), local_person_id = @LocalPersonId
        WHEN NOT MATCHED THEN INSERT (record_id, municipality_code, person_key, due_date, registered_on, ended_on, local_person_id)
            VALUES (@RecordId, @MunicipalityCode, @PersonKey, @DueDate, @RegisteredOn, @EndedOn, @LocalPersonId);
        """;

    /// <summary>Applies a children upload; a child born of a registered pregnancy ends that pregnancy on the birth date.</summary>
    public Task<StagedPartOutcome> StageChildrenAsync(RegisterChildren part, CancellationToken cancellationToken, PartDelivery? delivery = null) =>
        _batches.StageAsync(
            part.MunicipalityCode, part.BatchId, part.PartIndex, part.PartCount, part.RowCount, JsonSerializer.Serialize(part.Rows, Json), delivery,
            async (connection, transaction, payloads, _, ct) =>
            {
                var rows = payloads.SelectMany(p => JsonSerializer.Deserialize<List<RegisteredChildRow>>(p, Json) ?? []).OrderBy(r => r.Index).ToList();
                if (database.Provider != Hosting.StorageProvider.SqlServer)
                {
                    // The shared bulk path; then each named pregnancy ends on its earliest birth date (what row by row gives).
                    await BulkRows.WriteAsync(database, connection, transaction, ChildrenTable, rows.Select(row => row.Record).Select(r => new object?[]
                    {
                        r.RecordId, r.MunicipalityCode, r.PersonKey, Day(r.BirthDate), r.GuardianPersonKey, r.PregnancyRecordId, r.LocalPersonId,
                    }).ToList(), ct).ConfigureAwait(false);
                    var births = rows.Select(row => row.Record).Where(r => r.PregnancyRecordId is not null)
                        .GroupBy(r => r.PregnancyRecordId!, StringComparer.Ordinal)
                        .Select(g => new { PregnancyRecordId = g.Key, BirthDate = g.Min(r => Day(r.BirthDate)) })
                        .ToList();
                    if (births.Count > 0)
                    {
                        await connection.ExecuteAsync(new CommandDefinition(EndPregnancy, births, transaction, cancellationToken: ct)).ConfigureAwait(false);
                    }

                    return rows.Count;
                }

                foreach (var r in rows.Select(r => r.Record))
                {
                    var parameters = new
                    {
                        r.RecordId,
                        r.MunicipalityCode,
                        r.PersonKey,
                        BirthDate = Day(r.BirthDate),
                        r.GuardianPersonKey,
                        r.PregnancyRecordId,
                        r.LocalPersonId,
                    };
                    await connection.ExecuteAsync(new CommandDefinition(MergeChild, parameters, transaction, cancellationToken: ct)).ConfigureAwait(false);
                    if (r.PregnancyRecordId is not null)
                    {
                        await connection.ExecuteAsync(new CommandDefinition(EndPregnancy, parameters, transaction, cancellationToken: ct)).ConfigureAwait(false);
                    }
                }

                return rows.Count;
            },
            cancellationToken);

    private const string EndPregnancy =
        "UPDATE mc_pregnancies SET ended_on = @BirthDate WHERE record_id = @PregnancyRecordId AND (ended_on IS NULL OR ended_on > @BirthDate)";

    private const string UpsertChild = """
        INSERT INTO mc_children (record_id, municipality_code, person_key, birth_date, guardian_person_key, pregnancy_record_id, local_person_id)
        VALUES (@RecordId, @MunicipalityCode, @PersonKey, @BirthDate, @GuardianPersonKey, @PregnancyRecordId, @LocalPersonId)
        ON CONFLICT (record_id) DO UPDATE SET municipality_code = excluded.municipality_code, person_key = excluded.person_key,
            birth_date = excluded.birth_date, guardian_person_key = excluded.guardian_person_key,
            pregnancy_record_id = excluded.pregnancy_record_id, local_person_id = excluded.local_person_id
        """;

    private const string MergeChild = """
        MERGE mc_children WITH (HOLDLOCK) AS t USING (SELECT @RecordId AS record_id) AS s ON t.record_id = s.record_id
        WHEN MATCHED THEN UPDATE SET municipality_code = @MunicipalityCode, person_key = @PersonKey, birth_date = @BirthDate,
            guardian_person_key = @GuardianPersonKey, pregnancy_record_id = @PregnancyRecordId, local_person_id = @LocalPersonId
        WHEN NOT MATCHED THEN INSERT (record_id, municipality_code, person_key, birth_date, guardian_person_key, pregnancy_record_id, local_person_id)
            VALUES (@RecordId, @MunicipalityCode, @PersonKey, @BirthDate, @GuardianPersonKey, @PregnancyRecordId, @LocalPersonId);
        """;

    /// <summary>The person's vouchers (as a pregnant person) and infant checkups (as a registered child) on the date.</summary>
    public async Task<(IReadOnlyList<PregnancyEntitlement> Pregnancies, IReadOnlyList<InfantCheckupEntitlement> Checkups)> EntitlementsAsync(
        string personKey, DateOnly serviceDate, CancellationToken cancellationToken) =>
        await database.RunAsync(
            async (connection, ct) =>
            {
                var pregnancies = await PregnanciesAsync(connection, null, personKey, ct).ConfigureAwait(false);
                var uses = await UsesAsync(connection, null, pregnancies.Select(p => p.RecordId).ToList(), ct).ConfigureAwait(false);
                var birth = await connection.QueryFirstOrDefaultAsync<long?>(new CommandDefinition(
                    "SELECT birth_date FROM mc_children WHERE person_key = @PersonKey ORDER BY birth_date DESC",
                    new { PersonKey = personKey },
                    cancellationToken: ct)).ConfigureAwait(false);
                IReadOnlyList<InfantCheckupEntitlement> checkups = [];
                if (birth is { } b)
                {
                    var done = (await connection.QueryAsync<(string Checkup, long Date)>(new CommandDefinition(
                            "SELECT checkup, checkup_date FROM mc_checkups WHERE person_key = @PersonKey AND kind = 'infant'",
                            new { PersonKey = personKey },
                            cancellationToken: ct)).ConfigureAwait(false))
                        .GroupBy(c => c.Checkup)
                        .ToDictionary(g => g.Key, g => FromDay(g.Min(c => c.Date)), StringComparer.Ordinal);
                    checkups = MaternalChildRules.InfantCheckups(FromDay(b), serviceDate, done);
                }

                return (MaternalChildRules.Vouchers(pregnancies, uses, serviceDate), checkups);
            },
            cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// Uses a voucher for a prenatal checkup and records its result, once: the same redemption again answers as the
    /// first time; the voucher's primary key lets exactly one of two simultaneous redemptions through.
    /// </summary>
    public Task<CheckupOutcome> RedeemAsync(RedeemVoucher request, CancellationToken cancellationToken)
    {
        var fingerprint = Fingerprint(request with { CheckId = Guid.Empty });
        return database.InTransactionAsync<CheckupOutcome>(
            async (connection, transaction, ct) =>
            {
                var key = new SubmissionKey(request.InstitutionCode, request.RedemptionId);
                if (await RepeatAsync(connection, transaction, key, fingerprint, ct).ConfigureAwait(false) is { } repeat)
                {
                    return repeat;
                }

                if (!MaternalChildRules.TryParseVoucherId(request.VoucherId, out var pregnancyId, out var number))
                {
                    return new CheckupOutcome.Refused(CheckupRefused.NoSuchVoucher);
                }

                var pregnancy = (await PregnancyByIdAsync(connection, transaction, pregnancyId, ct).ConfigureAwait(false));
                if (pregnancy is not null && pregnancy.Value.PersonKey != request.PersonKey)
                {
                    return new CheckupOutcome.Refused(CheckupRefused.NotYourVoucher);
                }

                var uses = await UsesAsync(connection, transaction, [pregnancyId], ct).ConfigureAwait(false);
                if (MaternalChildRules.CannotRedeem(pregnancy?.Facts, number, uses, request.Result.Date) is { } reason)
                {
                    return new CheckupOutcome.Refused(reason);
                }

                var resultId = $"checkup:{request.InstitutionCode}:{request.RedemptionId}";
                var used = await connection.ExecuteAsync(new CommandDefinition(
                    database.Dialect(
                        sqlite: InsertUsePortable,
                        postgreSql: InsertUsePortable,
                        sqlServer: """
                            IF NOT EXISTS (SELECT 1 FROM mc_voucher_uses WITH (UPDLOCK, HOLDLOCK) WHERE pregnancy_record_id = @PregnancyId AND voucher_number = @Number)
                            INSERT INTO mc_voucher_uses (pregnancy_record_id, voucher_number, used_on, result_id) VALUES (@PregnancyId, @Number, @UsedOn, @ResultId)
                            """),
                    new { PregnancyId = pregnancyId, Number = number, UsedOn = request.Result.Date, ResultId = resultId },
                    transaction,
                    cancellationToken: ct)).ConfigureAwait(false);
                if (used == 0)
                {
                    // Another redemption took it a moment ago; if it was this very redemption, answer as it did.
                    return await RepeatAsync(connection, transaction, key, fingerprint, ct).ConfigureAwait(false)
                        ?? new CheckupOutcome.Refused(CheckupRefused.AlreadyUsed);
                }

                var p = pregnancy!.Value;
                return await RecordAsync(
                    connection, transaction, key, fingerprint, resultId, "prenatal", request.VoucherId, request.PersonKey, p.MunicipalityCode,
                    p.LocalPersonId, request.Result, request.InstitutionCode, ct).ConfigureAwait(false);
            },
            cancellationToken).AsTask();
    }

    private const string InsertUsePortable = """
        INSERT INTO mc_voucher_uses (pregnancy_record_id, voucher_number, used_on, result_id) VALUES (@PregnancyId, @Number, @UsedOn, @ResultId)
        ON CONFLICT (pregnancy_record_id, voucher_number) DO NOTHING
        """;

    /// <summary>Records an infant checkup of a registered child, once per (institution, submission id).</summary>
    public Task<CheckupOutcome> RecordInfantCheckupAsync(RecordInfantCheckup request, CancellationToken cancellationToken)
    {
        var fingerprint = Fingerprint(request with { CheckId = Guid.Empty });
        return database.InTransactionAsync<CheckupOutcome>(
            async (connection, transaction, ct) =>
            {
                var key = new SubmissionKey(request.InstitutionCode, request.SubmissionId);
                if (await RepeatAsync(connection, transaction, key, fingerprint, ct).ConfigureAwait(false) is { } repeat)
                {
                    return repeat;
                }

                var child = await connection.QueryFirstOrDefaultAsync<ChildRow>(new CommandDefinition(
                    "SELECT municipality_code AS MunicipalityCode, local_person_id AS LocalPersonId FROM mc_children WHERE person_key = @PersonKey ORDER BY birth_date DESC",
                    new { request.PersonKey },
                    transaction,
                    cancellationToken: ct)).ConfigureAwait(false);
                if (child is null)
                {
                    return new CheckupOutcome.Refused(CheckupRefused.NotARegisteredChild);
                }

                var inserted = await connection.ExecuteAsync(new CommandDefinition(
                    database.Dialect(sqlite: ReserveSubmission, postgreSql: ReserveSubmission, sqlServer: ReserveSubmissionSqlServer),
                    new { request.InstitutionCode, request.SubmissionId, Fingerprint = fingerprint, ResultId = "", MunicipalityCode = child.MunicipalityCode },
                    transaction,
                    cancellationToken: ct)).ConfigureAwait(false);
                if (inserted == 0)
                {
                    return await RepeatAsync(connection, transaction, key, fingerprint, ct).ConfigureAwait(false)
                        ?? new CheckupOutcome.Refused(CheckupRefused.SubmissionConflict);
                }

                return await RecordAsync(
                    connection, transaction, key, fingerprint, $"checkup:{request.InstitutionCode}:{request.SubmissionId}", "infant", request.Checkup,
                    request.PersonKey, child.MunicipalityCode, child.LocalPersonId, request.Result, request.InstitutionCode, ct, reserved: true).ConfigureAwait(false);
            },
            cancellationToken).AsTask();
    }

    private const string ReserveSubmission = """
        INSERT INTO mc_submissions (institution_code, submission_id, fingerprint, result_id, municipality_code, sequence)
        VALUES (@InstitutionCode, @SubmissionId, @Fingerprint, @ResultId, @MunicipalityCode, 0)
        ON CONFLICT (institution_code, submission_id) DO NOTHING
        """;

    private const string ReserveSubmissionSqlServer = """
        IF NOT EXISTS (SELECT 1 FROM mc_submissions WITH (UPDLOCK, HOLDLOCK) WHERE institution_code = @InstitutionCode AND submission_id = @SubmissionId)
        INSERT INTO mc_submissions (institution_code, submission_id, fingerprint, result_id, municipality_code, sequence)
        VALUES (@InstitutionCode, @SubmissionId, @Fingerprint, @ResultId, @MunicipalityCode, 0)
        """;

    private async Task<CheckupOutcome> RecordAsync(
        DbConnection connection, DbTransaction transaction, SubmissionKey key, string fingerprint, string resultId, string kind, string checkup,
        string personKey, string municipality, string? localPersonId, CheckupResult result, string institution, CancellationToken ct, bool reserved = false)
    {
        if (!reserved)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                database.Dialect(sqlite: ReserveSubmission, postgreSql: ReserveSubmission, sqlServer: ReserveSubmissionSqlServer),
                new
                {
                    key.InstitutionCode,
                    key.SubmissionId,
                    Fingerprint = fingerprint,
                    ResultId = resultId,
                    MunicipalityCode = municipality,
                },
                transaction,
                cancellationToken: ct)).ConfigureAwait(false);
        }

        var now = timeProvider.GetUtcNow();
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO mc_checkups (result_id, kind, checkup, person_key, municipality_code, local_person_id, checkup_date, result, institution_code, recorded_at)
            VALUES (@ResultId, @Kind, @Checkup, @PersonKey, @MunicipalityCode, @LocalPersonId, @CheckupDate, @Result, @InstitutionCode, @RecordedAt)
            """,
            new
            {
                ResultId = resultId,
                Kind = kind,
                Checkup = checkup,
                PersonKey = personKey,
                MunicipalityCode = municipality,
                LocalPersonId = localPersonId,
                CheckupDate = result.Date,
                Result = JsonSerializer.Serialize(result, Json),
                InstitutionCode = institution,
                RecordedAt = now.ToUnixTimeMilliseconds(),
            },
            transaction,
            cancellationToken: ct)).ConfigureAwait(false);

        var sequence = await FeedSequences.NextAsync(database, connection, transaction, "mc_feed_heads", municipality, ct).ConfigureAwait(false);
        await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO mc_feed (municipality_code, sequence, result_id) VALUES (@M, @Sequence, @ResultId)",
            new { M = municipality, Sequence = sequence, ResultId = resultId },
            transaction,
            cancellationToken: ct)).ConfigureAwait(false);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE mc_submissions SET sequence = @Sequence, result_id = @ResultId WHERE institution_code = @InstitutionCode AND submission_id = @SubmissionId",
            new { Sequence = sequence, ResultId = resultId, key.InstitutionCode, key.SubmissionId },
            transaction,
            cancellationToken: ct)).ConfigureAwait(false);

        // The municipality's event, committed with the result (its feed order is the feed sequence taken above).
        await OutboxWriter.PublishAsync(
            database,
            connection,
            transaction,
            new CheckupRecorded { SubmissionId = key.SubmissionId, ResultId = resultId, MunicipalityCode = municipality, Sequence = sequence, IsRepeat = false },
            ct,
            timeProvider: timeProvider).ConfigureAwait(false);
        return new CheckupOutcome.Recorded(resultId, municipality, sequence, IsRepeat: false);
    }

    private static async Task<CheckupOutcome?> RepeatAsync(DbConnection connection, DbTransaction transaction, SubmissionKey key, string fingerprint, CancellationToken ct)
    {
        var existing = await connection.QuerySingleOrDefaultAsync<SubmissionRow>(new CommandDefinition(
            """
            SELECT fingerprint AS Fingerprint, result_id AS ResultId, municipality_code AS MunicipalityCode, sequence AS Sequence
            FROM mc_submissions WHERE institution_code = @InstitutionCode AND submission_id = @SubmissionId
            """,
            key,
            transaction,
            cancellationToken: ct)).ConfigureAwait(false);
        return existing is null
            ? null
            : existing.Fingerprint == fingerprint
                ? new CheckupOutcome.Recorded(existing.ResultId, existing.MunicipalityCode, existing.Sequence, IsRepeat: true)
                : new CheckupOutcome.Refused(CheckupRefused.SubmissionConflict);
    }

    /// <summary>Those of <paramref name="recordIds"/> that are pregnancies registered by the municipality.</summary>
    public async Task<IReadOnlyList<string>> RegisteredPregnanciesAsync(string municipality, IReadOnlyList<string> recordIds, CancellationToken cancellationToken) =>
        await database.RunAsync(
            async (connection, ct) =>
            {
                var found = new List<string>();
                foreach (var chunk in recordIds.Distinct(StringComparer.Ordinal).Chunk(500))
                {
                    found.AddRange(await connection.QueryAsync<string>(new CommandDefinition(
                        // Dapper hands Npgsql the array itself (no list expansion): PostgreSQL compares with ANY.
                        database.Dialect(
                            sqlite: "SELECT record_id FROM mc_pregnancies WHERE municipality_code = @M AND record_id IN @Ids",
                            postgreSql: "SELECT record_id FROM mc_pregnancies WHERE municipality_code = @M AND record_id = ANY(@Ids)",
                            sqlServer: "SELECT record_id FROM mc_pregnancies WHERE municipality_code = @M AND record_id IN @Ids"),
                        new { M = municipality, Ids = chunk },
                        cancellationToken: ct)).ConfigureAwait(false));
                }

                return found;
            },
            cancellationToken).ConfigureAwait(false);

    /// <summary>A municipality's feed after a cursor, in order.</summary>
    public async Task<IReadOnlyList<FeedItem>> FeedAsync(string municipality, long after, int limit, CancellationToken cancellationToken)
    {
        const string sql = """
            SELECT f.sequence AS Sequence, c.result_id AS ResultId, c.kind AS Kind, c.checkup AS Checkup, c.person_key AS PersonKey,
                   c.local_person_id AS LocalPersonId, c.result AS Result, c.institution_code AS InstitutionCode, c.recorded_at AS RecordedAt
            FROM mc_feed f JOIN mc_checkups c ON c.result_id = f.result_id
            WHERE f.municipality_code = @M AND f.sequence > @After ORDER BY f.sequence
            """;
        var rows = await database.RunAsync(
            (connection, ct) => connection.QueryAsync<FeedItem>(new CommandDefinition(
                database.Dialect(sqlite: sql + " LIMIT @Limit", postgreSql: sql + " LIMIT @Limit", sqlServer: sql + " OFFSET 0 ROWS FETCH NEXT @Limit ROWS ONLY"),
                new { M = municipality, After = after, Limit = limit },
                cancellationToken: ct)),
            cancellationToken).ConfigureAwait(false);
        return rows.ToList();
    }

    private async Task<List<PregnancyFacts>> PregnanciesAsync(DbConnection connection, DbTransaction? transaction, string personKey, CancellationToken ct) =>
        (await connection.QueryAsync<PregnancyRow>(new CommandDefinition(
            PregnancySelect + " WHERE person_key = @PersonKey ORDER BY registered_on",
            new { PersonKey = personKey },
            transaction,
            cancellationToken: ct)).ConfigureAwait(false)).Select(r => r.Facts()).ToList();

    private static async Task<(PregnancyFacts Facts, string PersonKey, string MunicipalityCode, string? LocalPersonId)?> PregnancyByIdAsync(
        DbConnection connection, DbTransaction transaction, string recordId, CancellationToken ct)
    {
        var row = await connection.QuerySingleOrDefaultAsync<PregnancyRow>(new CommandDefinition(
            PregnancySelect + " WHERE record_id = @RecordId", new { RecordId = recordId }, transaction, cancellationToken: ct)).ConfigureAwait(false);
        return row is null ? null : (row.Facts(), row.PersonKey, row.MunicipalityCode, row.LocalPersonId);
    }

    private const string PregnancySelect = """
        SELECT record_id AS RecordId, person_key AS PersonKey, municipality_code AS MunicipalityCode, local_person_id AS LocalPersonId,
               due_date AS DueDate, registered_on AS RegisteredOn, ended_on AS EndedOn
        FROM mc_pregnancies
        """;

    private async Task<List<VoucherUse>> UsesAsync(DbConnection connection, DbTransaction? transaction, IReadOnlyList<string> pregnancyIds, CancellationToken ct)
    {
        if (pregnancyIds.Count == 0)
        {
            return [];
        }

        // One query for every pregnancy: Npgsql takes the list as an array; elsewhere Dapper expands it into IN (…).
        var uses = (await connection.QueryAsync<(string PregnancyId, long Number, long UsedOn)>(new CommandDefinition(
                "SELECT pregnancy_record_id, voucher_number, used_on FROM mc_voucher_uses WHERE " +
                database.Dialect(sqlite: "pregnancy_record_id IN @Ids", postgreSql: "pregnancy_record_id = ANY(@Ids)", sqlServer: "pregnancy_record_id IN @Ids"),
                new { Ids = pregnancyIds.ToArray() },
                transaction,
                cancellationToken: ct)).ConfigureAwait(false))
            .Select(u => new VoucherUse(u.PregnancyId, (int)u.Number, FromDay(u.UsedOn)))
            .ToList();
        return uses;
    }

    private static string Fingerprint(object request) =>
        Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(request, request.GetType(), Json)));

    internal static int Day(DateOnly d) => (d.Year * 10000) + (d.Month * 100) + d.Day;

    internal static DateOnly FromDay(long n) => new((int)(n / 10000), (int)(n / 100 % 100), (int)(n % 100));

    private sealed record SubmissionKey(string InstitutionCode, string SubmissionId);

    public sealed class FeedItem
    {
        public long Sequence { get; set; }

        public string ResultId { get; set; } = "";

        public string Kind { get; set; } = "";

        public string Checkup { get; set; } = "";

        public string PersonKey { get; set; } = "";

        public string? LocalPersonId { get; set; }

        public string Result { get; set; } = "{}";

        public string InstitutionCode { get; set; } = "";

        public long RecordedAt { get; set; }
    }

    private sealed class PregnancyRow
    {
        public string RecordId { get; set; } = "";

        public string PersonKey { get; set; } = "";

        public string MunicipalityCode { get; set; } = "";

        public string? LocalPersonId { get; set; }

        public long DueDate { get; set; }

        public long RegisteredOn { get; set; }

        public long? EndedOn { get; set; }

        public PregnancyFacts Facts() => new(RecordId, FromDay(RegisteredOn), FromDay(DueDate), EndedOn is { } e ? FromDay(e) : null);
    }

    private sealed class ChildRow
    {
        public string MunicipalityCode { get; set; } = "";

        public string? LocalPersonId { get; set; }
    }

    private sealed class SubmissionRow
    {
        public string Fingerprint { get; set; } = "";

        public string ResultId { get; set; } = "";

        public string MunicipalityCode { get; set; } = "";

        public long Sequence { get; set; }
    }
}
