using System.Data.Common;
using System.Text.Json;
using Dapper;
using NpgsqlTypes;
using Microsoft.Extensions.DependencyInjection;
using Pmh.Contracts.Vaccination;
using Pmh.Hosting.Outbox;
using Pmh.Hosting.Storage;

namespace Pmh.Vaccination.Storage;

/// <summary>What became of a submitted dose.</summary>
public abstract record SubmissionOutcome
{
    public sealed record Recorded(string RecordId, string MunicipalityCode, long Sequence, bool IsRepeat) : SubmissionOutcome;

    public sealed record Refused(string Reason, string? RegisteredMunicipalityCode = null, string? Detail = null) : SubmissionOutcome;
}

/// <summary>The vaccination service's storage: the register, submissions and each municipality's feed.</summary>
public sealed class VaccinationStore(
    [FromKeyedServices(VaccinationServiceExtensions.DatabaseName)] ServiceDatabase database,
    TimeProvider timeProvider)
{
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly StagedBatches _batches = new(database, timeProvider);

    /// <summary>Stages a register upload's part; the last part applies the whole upload in one transaction.</summary>
    public Task<StagedPartOutcome> StagePartAsync(RegisterVaccinationRecords part, CancellationToken cancellationToken, PartDelivery? delivery = null) =>
        _batches.StageAsync(
            part.MunicipalityCode,
            part.BatchId,
            part.PartIndex,
            part.PartCount,
            part.RowCount,
            JsonSerializer.Serialize(part.Rows, Json),
            delivery,
            async (connection, transaction, payloads, appliedAt, ct) =>
            {
                var rows = payloads
                    .SelectMany(p => JsonSerializer.Deserialize<List<RegisteredVaccinationRow>>(p, Json) ?? [])
                    .OrderBy(r => r.Index)
                    .ToList();
                if (database.Provider != Hosting.StorageProvider.SqlServer)
                {
                    // The shared bulk path (COPY on PostgreSQL, prepared statements on SQLite), with the same result as
                    // row by row: each person's municipality is that of their last row, their local id the last one given.
                    var recordedAt = appliedAt.ToUnixTimeMilliseconds();
                    await BulkRows.WriteAsync(database, connection, transaction, RecordsTable, rows.Select(row => row.Record).Select(r => new object?[]
                    {
                        r.RecordId, r.MunicipalityCode, r.PersonKey, r.Vaccine, r.DoseNumber, ToDayNumber(r.Date), r.LotNumber, r.InstitutionCode,
                        r.Programme, r.LocalPersonId, "register", recordedAt,
                    }).ToList(), ct).ConfigureAwait(false);
                    var people = new Dictionary<string, object?[]>(StringComparer.Ordinal);
                    foreach (var r in rows.Select(row => row.Record))
                    {
                        var localId = r.LocalPersonId ?? (people.TryGetValue(r.PersonKey, out var earlier) ? (string?)earlier[2] : null);
                        people[r.PersonKey] = [r.PersonKey, r.MunicipalityCode, localId];
                    }

                    await BulkRows.WriteAsync(database, connection, transaction, PeopleTable, people.Values.ToList(), ct).ConfigureAwait(false);
                    return rows.Count;
                }

                foreach (var row in rows)
                {
                    await UpsertRecordAsync(connection, transaction, row.Record, "register", appliedAt, ct).ConfigureAwait(false);
                    await connection.ExecuteAsync(new CommandDefinition(
                        """
                        MERGE vaccination_person_municipality WITH (HOLDLOCK) AS t USING (SELECT @PersonKey AS person_key) AS s
                        ON t.person_key = s.person_key
                        WHEN MATCHED THEN UPDATE SET municipality_code = @MunicipalityCode, local_person_id = COALESCE(@LocalPersonId, t.local_person_id)
                        WHEN NOT MATCHED THEN INSERT (person_key, municipality_code, local_person_id) VALUES (@PersonKey, @MunicipalityCode, @LocalPersonId);
                        """,
                        new { row.Record.PersonKey, row.Record.MunicipalityCode, row.Record.LocalPersonId },
                        transaction,
                        cancellationToken: ct)).ConfigureAwait(false);
                }

                return rows.Count;
            },
            cancellationToken);

    private static readonly BulkTable RecordsTable = new(
        "vaccination_records",
        [
            new("record_id", NpgsqlDbType.Text), new("municipality_code", NpgsqlDbType.Text), new("person_key", NpgsqlDbType.Text),
            new("vaccine", NpgsqlDbType.Text), new("dose_number", NpgsqlDbType.Integer), new("dose_date", NpgsqlDbType.Integer),
            new("lot_number", NpgsqlDbType.Text), new("institution_code", NpgsqlDbType.Text), new("programme", NpgsqlDbType.Text),
            new("local_person_id", NpgsqlDbType.Text), new("source", NpgsqlDbType.Text), new("recorded_at", NpgsqlDbType.Bigint),
        ],
        UpsertRecordPortable[UpsertRecordPortable.IndexOf("ON CONFLICT", StringComparison.Ordinal)..],
        ["record_id"]);

    private static readonly BulkTable PeopleTable = new(
        "vaccination_person_municipality",
        [new("person_key", NpgsqlDbType.Text), new("municipality_code", NpgsqlDbType.Text), new("local_person_id", NpgsqlDbType.Text)],
        UpsertPersonPortable[UpsertPersonPortable.IndexOf("ON CONFLICT", StringComparison.Ordinal)..],
        ["person_key"]);

    private const string UpsertPersonPortable = """
        INSERT INTO vaccination_person_municipality (person_key, municipality_code, local_person_id)
        VALUES (@PersonKey, @MunicipalityCode, @LocalPersonId)
        ON CONFLICT (person_key) DO UPDATE SET municipality_code = excluded.municipality_code,
            local_person_id = COALESCE(excluded.local_person_id, vaccination_person_municipality.local_person_id)
        """;

    private Task UpsertRecordAsync(DbConnection connection, DbTransaction transaction, VaccinationRecord r, string source, DateTimeOffset at, CancellationToken ct) =>
        connection.ExecuteAsync(new CommandDefinition(
            database.Dialect(
                sqlite: UpsertRecordPortable,
                postgreSql: UpsertRecordPortable,
                sqlServer: """
                    MERGE vaccination_records WITH (HOLDLOCK) AS t USING (SELECT @RecordId AS record_id) AS s ON t.record_id = s.record_id
                    WHEN MATCHED THEN UPDATE SET municipality_code = @MunicipalityCode, person_key = @PersonKey, vaccine = @Vaccine,
                        dose_number = @DoseNumber, dose_date = @DoseDate, lot_number = @LotNumber, institution_code = @InstitutionCode,
                        programme = @Programme, local_person_id = @LocalPersonId, source = @Source, recorded_at = @RecordedAt
                    WHEN NOT MATCHED THEN INSERT (record_id, municipality_code, person_key, vaccine, dose_number, dose_date, lot_number,
                        institution_code, programme, local_person_id, source, recorded_at)
                        VALUES (@RecordId, @MunicipalityCode, @PersonKey, @Vaccine, @DoseNumber, @DoseDate, @LotNumber, @InstitutionCode,
                        @Programme, @LocalPersonId, @Source, @RecordedAt);
                    """),
            new
            {
                r.RecordId,
                r.MunicipalityCode,
                r.PersonKey,
                r.Vaccine,
                r.DoseNumber,
                DoseDate = ToDayNumber(r.Date),
                r.LotNumber,
                r.InstitutionCode,
                r.Programme,
                r.LocalPersonId,
                Source = source,
                RecordedAt = at.ToUnixTimeMilliseconds(),
            },
            transaction,
            cancellationToken: ct));

    private const string UpsertRecordPortable = """
        INSERT INTO vaccination_records (record_id, municipality_code, person_key, vaccine, dose_number, dose_date, lot_number,
            institution_code, programme, local_person_id, source, recorded_at)
        VALUES (@RecordId, @MunicipalityCode, @PersonKey, @Vaccine, @DoseNumber, @DoseDate, @LotNumber, @InstitutionCode,
            @Programme, @LocalPersonId, @Source, @RecordedAt)
        ON CONFLICT (record_id) DO UPDATE SET municipality_code = excluded.municipality_code, person_key = excluded.person_key,
            vaccine = excluded.vaccine, dose_number = excluded.dose_number, dose_date = excluded.dose_date,
            lot_number = excluded.lot_number, institution_code = excluded.institution_code, programme = excluded.programme,
            local_person_id = excluded.local_person_id, source = excluded.source, recorded_at = excluded.recorded_at
        """;

    /// <summary>
    /// Records a dose an institution submitted, once per (institution, submission id): the same submission again
    /// answers as the first time and changes nothing; other content under the same id is refused. The dose joins the
    /// feed of the person's municipality, under the next sequence of that feed.
    /// </summary>
    public Task<SubmissionOutcome> RecordSubmissionAsync(RecordVaccinationDose dose, CancellationToken cancellationToken)
    {
        var fingerprint = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(
            dose with { CheckId = Guid.Empty }, Json)));
        return database.InTransactionAsync<SubmissionOutcome>(
            async (connection, transaction, ct) =>
            {
                var key = new { dose.InstitutionCode, dose.SubmissionId };
                var existing = await FindSubmissionAsync(connection, transaction, key, ct).ConfigureAwait(false);
                if (existing is not null)
                {
                    return existing.Fingerprint == fingerprint
                        ? new SubmissionOutcome.Recorded(existing.RecordId, existing.MunicipalityCode, existing.Sequence, IsRepeat: true)
                        : new SubmissionOutcome.Refused(VaccinationDoseRefused.SubmissionConflict);
                }

                var person = await connection.QuerySingleOrDefaultAsync<PersonRow>(new CommandDefinition(
                    "SELECT municipality_code AS MunicipalityCode, local_person_id AS LocalPersonId FROM vaccination_person_municipality WHERE person_key = @PersonKey",
                    new { dose.PersonKey },
                    transaction,
                    cancellationToken: ct)).ConfigureAwait(false);
                // A registered person's doses go to the municipality that holds them: the submission may name only that one.
                if (person is not null && dose.MunicipalityCode is not null
                    && !string.Equals(dose.MunicipalityCode, person.MunicipalityCode, StringComparison.Ordinal))
                {
                    return new SubmissionOutcome.Refused(VaccinationDoseRefused.MunicipalityMismatch, person.MunicipalityCode);
                }

                // The paying municipality (予防接種費用): the person's, wherever the dose was given.
                var municipality = Domain.Billing.ClaimRules.PayingMunicipality(person?.MunicipalityCode, dose.MunicipalityCode);
                if (municipality is null)
                {
                    return new SubmissionOutcome.Refused(VaccinationDoseRefused.UnknownMunicipality);
                }

                // A routine dose is priced from the paying municipality's table in force on the dose date (voluntary: not billed).
                var prices = Domain.Billing.PriceTable.IsBilled(dose.Programme)
                    ? await BillingStore.PricesAsync(connection, transaction, municipality, dose.Vaccine, dose.Programme, ct).ConfigureAwait(false)
                    : Domain.Billing.PriceTable.Empty;
                var amounts = Domain.Billing.ClaimRules.Price(dose.Vaccine, dose.Programme, dose.Date, prices);
                var now = timeProvider.GetUtcNow();
                var recordId = $"submission:{dose.InstitutionCode}:{dose.SubmissionId}";

                // 予診票: the municipality may require one for the dose (questionnaireRequired in its table); a named one must be usable.
                if (amounts is { Priced: true } && prices.PriceOn(dose.Vaccine, dose.Programme, dose.Date) is { QuestionnaireRequired: true }
                    && dose.QuestionnaireId is null)
                {
                    return new SubmissionOutcome.Refused(VaccinationDoseRefused.QuestionnaireRequired, Detail:
                        $"{municipality} requires a pre-vaccination questionnaire for a routine {dose.Vaccine} dose: send questionnaireId and decision");
                }

                if (dose.QuestionnaireId is not null
                    && await QuestionnaireStore.UseAsync(connection, transaction, dose.QuestionnaireId, dose.PersonKey, dose.Vaccine, recordId, now, ct)
                        .ConfigureAwait(false) is { } unusable)
                {
                    return new SubmissionOutcome.Refused(VaccinationDoseRefused.QuestionnaireNotUsable, Detail: unusable);
                }

                var inserted = await connection.ExecuteAsync(new CommandDefinition(
                    database.Dialect(
                        sqlite: InsertSubmissionPortable,
                        postgreSql: InsertSubmissionPortable,
                        sqlServer: """
                            IF NOT EXISTS (SELECT 1 FROM vaccination_submissions WITH (UPDLOCK, HOLDLOCK) WHERE institution_code = @InstitutionCode AND submission_id = @SubmissionId)
                            INSERT INTO vaccination_submissions (institution_code, submission_id, fingerprint, record_id, municipality_code, sequence)
                            VALUES (@InstitutionCode, @SubmissionId, @Fingerprint, @RecordId, @MunicipalityCode, 0)
                            """),
                    new { dose.InstitutionCode, dose.SubmissionId, Fingerprint = fingerprint, RecordId = recordId, MunicipalityCode = municipality },
                    transaction,
                    cancellationToken: ct)).ConfigureAwait(false);
                if (inserted == 0)
                {
                    // The same submission arrived at the same moment and committed first.
                    var first = (await FindSubmissionAsync(connection, transaction, key, ct).ConfigureAwait(false))!;
                    return first.Fingerprint == fingerprint
                        ? new SubmissionOutcome.Recorded(first.RecordId, first.MunicipalityCode, first.Sequence, IsRepeat: true)
                        : new SubmissionOutcome.Refused(VaccinationDoseRefused.SubmissionConflict);
                }

                var localPersonId = person?.MunicipalityCode == municipality ? person.LocalPersonId : null;
                await UpsertRecordAsync(
                    connection,
                    transaction,
                    new VaccinationRecord
                    {
                        RecordId = recordId,
                        MunicipalityCode = municipality,
                        PersonKey = dose.PersonKey,
                        Vaccine = dose.Vaccine,
                        DoseNumber = dose.DoseNumber,
                        Date = dose.Date,
                        LotNumber = dose.LotNumber,
                        InstitutionCode = dose.InstitutionCode,
                        Programme = dose.Programme,
                        LocalPersonId = localPersonId,
                    },
                    "submission",
                    now,
                    ct).ConfigureAwait(false);

                if (dose.Decision is { } decision)
                {
                    await connection.ExecuteAsync(new CommandDefinition(
                        """
                        INSERT INTO vaccination_dose_decisions (record_id, questionnaire_id, vaccinate, doctor_name, decided_at)
                        VALUES (@RecordId, @QuestionnaireId, @Vaccinate, @DoctorName, @DecidedAt)
                        """,
                        new
                        {
                            RecordId = recordId,
                            dose.QuestionnaireId,
                            Vaccinate = decision.Vaccinate ? 1 : 0,
                            decision.DoctorName,
                            DecidedAt = decision.DecidedAt.ToUnixTimeMilliseconds(),
                        },
                        transaction,
                        cancellationToken: ct)).ConfigureAwait(false);
                }

                if (amounts is not null)
                {
                    await BillingStore.AddDoseLineAsync(
                        connection,
                        transaction,
                        new NewClaimLine(dose.InstitutionCode, municipality, dose.SubmissionId, recordId, dose.PersonKey, localPersonId, dose.Vaccine,
                            dose.DoseNumber, dose.Date, dose.Programme, amounts, now),
                        ct).ConfigureAwait(false);
                }

                var sequence = await FeedSequences.NextAsync(database, connection, transaction, "vaccination_feed_heads", municipality, ct).ConfigureAwait(false);
                await connection.ExecuteAsync(new CommandDefinition(
                    """
                    INSERT INTO vaccination_feed (municipality_code, sequence, record_id, person_key, local_person_id, recorded_at)
                    VALUES (@MunicipalityCode, @Sequence, @RecordId, @PersonKey, @LocalPersonId, @RecordedAt)
                    """,
                    new { MunicipalityCode = municipality, Sequence = sequence, RecordId = recordId, dose.PersonKey, LocalPersonId = localPersonId, RecordedAt = now.ToUnixTimeMilliseconds() },
                    transaction,
                    cancellationToken: ct)).ConfigureAwait(false);
                await connection.ExecuteAsync(new CommandDefinition(
                    "UPDATE vaccination_submissions SET sequence = @Sequence WHERE institution_code = @InstitutionCode AND submission_id = @SubmissionId",
                    new { Sequence = sequence, dose.InstitutionCode, dose.SubmissionId },
                    transaction,
                    cancellationToken: ct)).ConfigureAwait(false);

                // The municipality's event, committed with the dose (its feed order is the feed sequence taken above).
                await OutboxWriter.PublishAsync(
                    database,
                    connection,
                    transaction,
                    new VaccinationDoseRecorded
                    {
                        SubmissionId = dose.SubmissionId, RecordId = recordId, MunicipalityCode = municipality, Sequence = sequence, IsRepeat = false,
                    },
                    ct,
                    timeProvider: timeProvider).ConfigureAwait(false);
                return new SubmissionOutcome.Recorded(recordId, municipality, sequence, IsRepeat: false);
            },
            cancellationToken).AsTask();
    }

    /// <summary>
    /// Corrects a dose the institution submitted, once per correction id: the record takes the new values, the
    /// municipality's feed shows it again under a new sequence, and its claim line changes or is adjusted
    /// (<see cref="BillingStore.ApplyCorrectionAsync"/>), all in one transaction.
    /// </summary>
    public Task<(VaccinationDoseCorrected? Corrected, string? Refused)> CorrectSubmissionAsync(CorrectVaccinationDose correction, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(correction);
        var fingerprint = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(correction, Json)));
        return database.InTransactionAsync<(VaccinationDoseCorrected?, string?)>(
            async (connection, transaction, ct) =>
            {
                var earlier = await connection.QuerySingleOrDefaultAsync<CorrectionRow>(new CommandDefinition(
                    """
                    SELECT fingerprint AS Fingerprint, effect AS Effect, claim_id AS ClaimId, submission_id AS SubmissionId FROM vaccination_corrections
                    WHERE institution_code = @InstitutionCode AND correction_id = @CorrectionId
                    """,
                    new { correction.InstitutionCode, correction.CorrectionId }, transaction, cancellationToken: ct)).ConfigureAwait(false);
                var recordId = $"submission:{correction.InstitutionCode}:{correction.SubmissionId}";
                if (earlier is not null)
                {
                    return earlier.Fingerprint == fingerprint
                        ? (new VaccinationDoseCorrected { RecordId = recordId, Effect = earlier.Effect, ClaimId = earlier.ClaimId, IsRepeat = true }, null)
                        : (null, VaccinationDoseCorrectionRefused.CorrectionConflict);
                }

                var submission = await FindSubmissionAsync(connection, transaction, new { correction.InstitutionCode, correction.SubmissionId }, ct).ConfigureAwait(false);
                var current = submission is null ? null : await connection.QuerySingleOrDefaultAsync<FeedRow>(new CommandDefinition(
                    """
                    SELECT record_id AS RecordId, municipality_code AS MunicipalityCode, person_key AS PersonKey, vaccine AS Vaccine,
                           dose_number AS DoseNumber, dose_date AS DoseDate, lot_number AS LotNumber, institution_code AS InstitutionCode,
                           programme AS Programme, local_person_id AS LocalPersonId
                    FROM vaccination_records WHERE record_id = @RecordId
                    """,
                    new { RecordId = recordId }, transaction, cancellationToken: ct)).ConfigureAwait(false);
                if (current is null)
                {
                    return (null, VaccinationDoseCorrectionRefused.NotFound);
                }

                var before = current.ToRecord();
                var after = before with
                {
                    Vaccine = correction.Vaccine ?? before.Vaccine,
                    DoseNumber = correction.DoseNumber ?? before.DoseNumber,
                    Date = correction.Date ?? before.Date,
                    LotNumber = correction.LotNumber ?? before.LotNumber,
                    Programme = correction.Programme ?? before.Programme,
                };
                var now = timeProvider.GetUtcNow();
                await UpsertRecordAsync(connection, transaction, after, "submission", now, ct).ConfigureAwait(false);
                var sequence = await FeedSequences.NextAsync(database, connection, transaction, "vaccination_feed_heads", after.MunicipalityCode, ct).ConfigureAwait(false);
                await connection.ExecuteAsync(new CommandDefinition(
                    """
                    INSERT INTO vaccination_feed (municipality_code, sequence, record_id, person_key, local_person_id, recorded_at)
                    VALUES (@MunicipalityCode, @Sequence, @RecordId, @PersonKey, @LocalPersonId, @RecordedAt)
                    """,
                    new { after.MunicipalityCode, Sequence = sequence, after.RecordId, after.PersonKey, after.LocalPersonId, RecordedAt = now.ToUnixTimeMilliseconds() },
                    transaction,
                    cancellationToken: ct)).ConfigureAwait(false);

                var (effect, claimId) = await BillingStore.ApplyCorrectionAsync(
                    connection, transaction, correction.InstitutionCode, correction.SubmissionId, correction.CorrectionId, after, now, ct).ConfigureAwait(false);
                await connection.ExecuteAsync(new CommandDefinition(
                    """
                    INSERT INTO vaccination_corrections (institution_code, correction_id, submission_id, fingerprint, effect, claim_id)
                    VALUES (@InstitutionCode, @CorrectionId, @SubmissionId, @Fingerprint, @Effect, @ClaimId)
                    """,
                    new { correction.InstitutionCode, correction.CorrectionId, correction.SubmissionId, Fingerprint = fingerprint, Effect = effect, ClaimId = claimId },
                    transaction,
                    cancellationToken: ct)).ConfigureAwait(false);
                return (new VaccinationDoseCorrected { RecordId = recordId, Effect = effect, ClaimId = claimId, IsRepeat = false }, null);
            },
            cancellationToken).AsTask();
    }

    private sealed class CorrectionRow
    {
        public string Fingerprint { get; set; } = "";

        public string Effect { get; set; } = "";

        public string? ClaimId { get; set; }

        public string SubmissionId { get; set; } = "";
    }

    private const string InsertSubmissionPortable = """
        INSERT INTO vaccination_submissions (institution_code, submission_id, fingerprint, record_id, municipality_code, sequence)
        VALUES (@InstitutionCode, @SubmissionId, @Fingerprint, @RecordId, @MunicipalityCode, 0)
        ON CONFLICT (institution_code, submission_id) DO NOTHING
        """;

    private static Task<SubmissionRow?> FindSubmissionAsync(DbConnection connection, DbTransaction transaction, object key, CancellationToken ct) =>
        connection.QuerySingleOrDefaultAsync<SubmissionRow>(new CommandDefinition(
            """
            SELECT fingerprint AS Fingerprint, record_id AS RecordId, municipality_code AS MunicipalityCode, sequence AS Sequence
            FROM vaccination_submissions WHERE institution_code = @InstitutionCode AND submission_id = @SubmissionId
            """,
            key,
            transaction,
            cancellationToken: ct));

    /// <summary>A municipality's feed after a cursor, in order, with the records' details.</summary>
    public async Task<IReadOnlyList<(long Sequence, string PersonKey, string? LocalPersonId, DateTimeOffset RecordedAt, VaccinationRecord Record)>> FeedAsync(
        string municipality, long after, int limit, CancellationToken cancellationToken)
    {
        var rows = await database.RunAsync(
            (connection, ct) => connection.QueryAsync<FeedRow>(new CommandDefinition(
                database.Dialect(
                    sqlite: FeedSql + " LIMIT @Limit",
                    postgreSql: FeedSql + " LIMIT @Limit",
                    sqlServer: FeedSql + " OFFSET 0 ROWS FETCH NEXT @Limit ROWS ONLY"),
                new { MunicipalityCode = municipality, After = after, Limit = limit },
                cancellationToken: ct)),
            cancellationToken).ConfigureAwait(false);
        return rows.Select(r => (r.Sequence, r.PersonKey, r.LocalPersonId, DateTimeOffset.FromUnixTimeMilliseconds(r.FeedRecordedAt), r.ToRecord())).ToList();
    }

    private const string FeedSql = """
        SELECT f.sequence AS Sequence, f.person_key AS PersonKey, f.local_person_id AS LocalPersonId, f.recorded_at AS FeedRecordedAt,
               r.record_id AS RecordId, r.municipality_code AS MunicipalityCode, r.vaccine AS Vaccine, r.dose_number AS DoseNumber,
               r.dose_date AS DoseDate, r.lot_number AS LotNumber, r.institution_code AS InstitutionCode, r.programme AS Programme
        FROM vaccination_feed f JOIN vaccination_records r ON r.record_id = f.record_id
        WHERE f.municipality_code = @MunicipalityCode AND f.sequence > @After
        ORDER BY f.sequence
        """;

    /// <summary>Every dose of the person, newest first.</summary>
    public async Task<IReadOnlyList<VaccinationRecord>> HistoryAsync(string personKey, CancellationToken cancellationToken)
    {
        var rows = await database.RunAsync(
            (connection, ct) => connection.QueryAsync<FeedRow>(new CommandDefinition(
                """
                SELECT record_id AS RecordId, municipality_code AS MunicipalityCode, person_key AS PersonKey, vaccine AS Vaccine,
                       dose_number AS DoseNumber, dose_date AS DoseDate, lot_number AS LotNumber, institution_code AS InstitutionCode,
                       programme AS Programme, local_person_id AS LocalPersonId
                FROM vaccination_records WHERE person_key = @PersonKey
                ORDER BY dose_date DESC, dose_number DESC, record_id
                """,
                new { PersonKey = personKey },
                cancellationToken: ct)),
            cancellationToken).ConfigureAwait(false);
        return rows.Select(r => r.ToRecord()).ToList();
    }

    internal static int ToDayNumber(DateOnly d) => (d.Year * 10000) + (d.Month * 100) + d.Day;

    internal static DateOnly FromDayNumber(long n) => new((int)(n / 10000), (int)(n / 100 % 100), (int)(n % 100));

    private sealed class PersonRow
    {
        public string MunicipalityCode { get; set; } = "";

        public string? LocalPersonId { get; set; }
    }

    private sealed class SubmissionRow
    {
        public string Fingerprint { get; set; } = "";

        public string RecordId { get; set; } = "";

        public string MunicipalityCode { get; set; } = "";

        public long Sequence { get; set; }
    }

    private sealed class FeedRow
    {
        public long Sequence { get; set; }

        public string PersonKey { get; set; } = "";

        public string? LocalPersonId { get; set; }

        public long FeedRecordedAt { get; set; }

        public string RecordId { get; set; } = "";

        public string MunicipalityCode { get; set; } = "";

        public string Vaccine { get; set; } = "";

        public long DoseNumber { get; set; }

        public DateOnly DoseDate { get; set; }

        public string? LotNumber { get; set; }

        public string? InstitutionCode { get; set; }

        public string Programme { get; set; } = "";

        public VaccinationRecord ToRecord() => new()
        {
            RecordId = RecordId,
            MunicipalityCode = MunicipalityCode,
            PersonKey = PersonKey,
            Vaccine = Vaccine,
            DoseNumber = (int)DoseNumber,
            Date = DoseDate,
            LotNumber = LotNumber,
            InstitutionCode = InstitutionCode,
            Programme = Programme,
            LocalPersonId = LocalPersonId,
        };
    }
}
