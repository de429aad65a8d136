using System.Data.Common;
using System.Text.Json;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Pmh.Contracts.Vaccination;
using Pmh.Hosting.Privacy;
using Pmh.Hosting.Storage;
using Pmh.Vaccination.Domain.Billing;
using Pmh.Vaccination.Publishing;

namespace Pmh.Vaccination.Storage;

/// <summary>A claim line about to be stored with its dose (in the dose's transaction).</summary>
public sealed record NewClaimLine(
    string InstitutionCode,
    string MunicipalityCode,
    string SubmissionId,
    string RecordId,
    string PersonKey,
    string? LocalPersonId,
    string Vaccine,
    int DoseNumber,
    DateOnly DoseDate,
    string Programme,
    LineAmounts Amounts,
    DateTimeOffset RecordedAt);

/// <summary>
/// Vaccination billing's storage: each municipality's price table, and the claim lines (one per routine dose, plus
/// adjustments) that make up the monthly claims per institution × municipality. Claims are not stored apart: a
/// claim is its lines, its status follows from the clock (<see cref="ClaimMonth.ClosesAt"/>).
/// </summary>
public sealed class BillingStore(
    [FromKeyedServices(VaccinationServiceExtensions.DatabaseName)] ServiceDatabase database,
    TimeProvider timeProvider,
    PersonKeys personKeys)
{
    private readonly StagedBatches _batches = new(database, timeProvider);

    public const string DoseLine = "dose";
    public const string AdjustmentLine = "adjustment";

    public static string ClaimId(string institutionCode, string municipalityCode, ClaimMonth month) =>
        $"{institutionCode}-{municipalityCode}-{month}";

    /// <summary>Stages a price table part; the last part replaces the municipality's whole table in one transaction.</summary>
    public Task<StagedPartOutcome> StagePricesAsync(PublishVaccinationPrices part, CancellationToken cancellationToken, PartDelivery? delivery = null)
    {
        ArgumentNullException.ThrowIfNull(part);
        BatchParts.EnsureOneMunicipality(part, part.Rows.Select(_ => part.MunicipalityCode));
        return _batches.StageAsync(
            part.MunicipalityCode,
            part.BatchId,
            part.PartIndex,
            part.PartCount,
            part.RowCount,
            JsonSerializer.Serialize(part.Rows, VaccinationStore.Json),
            delivery,
            async (connection, transaction, payloads, appliedAt, ct) =>
            {
                var rows = payloads.SelectMany(p => JsonSerializer.Deserialize<List<PublishedVaccinationPrice>>(p, VaccinationStore.Json) ?? []).ToList();
                await connection.ExecuteAsync(new CommandDefinition(
                    "DELETE FROM vaccination_prices WHERE municipality_code = @MunicipalityCode",
                    new { part.MunicipalityCode },
                    transaction,
                    cancellationToken: ct)).ConfigureAwait(false);
                await connection.ExecuteAsync(new CommandDefinition(
                    """
                    INSERT INTO vaccination_prices (municipality_code, vaccine, programme, valid_from, valid_to, unit_price_yen,
                        patient_share_yen, questionnaire_required, batch_id)
                    VALUES (@MunicipalityCode, @Vaccine, @Programme, @ValidFrom, @ValidTo, @UnitPriceYen, @PatientShareYen,
                        @QuestionnaireRequired, @BatchId)
                    """,
                    rows.Select(r => new
                    {
                        part.MunicipalityCode,
                        r.Price.Vaccine,
                        r.Price.Programme,
                        ValidFrom = VaccinationStore.ToDayNumber(r.Price.ValidFrom),
                        ValidTo = r.Price.ValidTo is { } to ? VaccinationStore.ToDayNumber(to) : (int?)null,
                        r.Price.UnitPriceYen,
                        r.Price.PatientShareYen,
                        QuestionnaireRequired = r.Price.QuestionnaireRequired ? 1 : 0,
                        part.BatchId,
                    }),
                    transaction,
                    cancellationToken: ct)).ConfigureAwait(false);
                return rows.Count;
            },
            cancellationToken);
    }

    /// <summary>The municipality's price rows for one vaccine and programme (within the caller's transaction).</summary>
    public static async Task<PriceTable> PricesAsync(
        DbConnection connection, DbTransaction transaction, string municipalityCode, string vaccine, string programme, CancellationToken ct)
    {
        var rows = await connection.QueryAsync<PriceDbRow>(new CommandDefinition(
            """
            SELECT vaccine AS Vaccine, programme AS Programme, valid_from AS ValidFrom, valid_to AS ValidTo, unit_price_yen AS UnitPriceYen,
                   patient_share_yen AS PatientShareYen, questionnaire_required AS QuestionnaireRequired
            FROM vaccination_prices WHERE municipality_code = @MunicipalityCode AND vaccine = @Vaccine AND programme = @Programme
            """,
            new { MunicipalityCode = municipalityCode, Vaccine = vaccine, Programme = programme },
            transaction,
            cancellationToken: ct)).ConfigureAwait(false);
        return new PriceTable(rows.Select(r => r.ToPriceRow()));
    }

    /// <summary>Stores a dose's claim line in the dose's own transaction; the line id follows from the submission, so it is stored once.</summary>
    public static Task AddDoseLineAsync(DbConnection connection, DbTransaction transaction, NewClaimLine line, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(line);
        var month = ClaimRules.MonthFor(line.DoseDate, line.RecordedAt);
        return connection.ExecuteAsync(new CommandDefinition(
            InsertLineSql,
            new
            {
                LineId = $"line:{line.InstitutionCode}:{line.SubmissionId}",
                ClaimId = ClaimId(line.InstitutionCode, line.MunicipalityCode, month),
                line.InstitutionCode,
                line.MunicipalityCode,
                ClaimMonth = month.Number,
                Kind = DoseLine,
                AdjustsLineId = (string?)null,
                line.SubmissionId,
                line.RecordId,
                line.PersonKey,
                line.LocalPersonId,
                line.Vaccine,
                line.DoseNumber,
                DoseDate = VaccinationStore.ToDayNumber(line.DoseDate),
                line.Programme,
                Priced = line.Amounts.Priced ? 1 : 0,
                line.Amounts.UnitPriceYen,
                line.Amounts.PatientShareYen,
                State = ClaimRules.InitialState(line.Amounts),
                CreatedAt = line.RecordedAt.ToUnixTimeMilliseconds(),
            },
            transaction,
            cancellationToken: ct));
    }

    /// <summary>
    /// What a correction of a dose does to its claim line (in the correction's transaction), by <see cref="ClaimRules.Correct"/>:
    /// the line changes (back to its first state) or goes while its claim is open; after the close the difference
    /// to what was billed so far (the line and its earlier adjustments) becomes an adjustment line in the earliest open
    /// claim. A dose that had no line and is now billed gets one. Returns the effect and the claim concerned.
    /// </summary>
    public static async Task<(string Effect, string? ClaimId)> ApplyCorrectionAsync(
        DbConnection connection, DbTransaction transaction, string institutionCode, string submissionId, string correctionId, VaccinationRecord after,
        DateTimeOffset now, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(after);
        var lineId = $"line:{institutionCode}:{submissionId}";
        var lines = (await connection.QueryAsync<LineDbRow>(new CommandDefinition(
            $"{SelectLinesSql} WHERE line_id = @LineId OR adjusts_line_id = @LineId",
            new { LineId = lineId }, transaction, cancellationToken: ct)).ConfigureAwait(false)).ToList();
        var prices = PriceTable.IsBilled(after.Programme)
            ? await PricesAsync(connection, transaction, after.MunicipalityCode, after.Vaccine, after.Programme, ct).ConfigureAwait(false)
            : PriceTable.Empty;
        var amounts = ClaimRules.Price(after.Vaccine, after.Programme, after.Date, prices);
        var line = lines.FirstOrDefault(l => l.LineId == lineId);
        if (line is null)
        {
            if (amounts is null)
            {
                return ("unchanged", null);
            }

            await AddDoseLineAsync(connection, transaction, new NewClaimLine(institutionCode, after.MunicipalityCode, submissionId, after.RecordId, after.PersonKey,
                after.LocalPersonId, after.Vaccine, after.DoseNumber, after.Date, after.Programme, amounts, now), ct).ConfigureAwait(false);
            return ("lineAdded", ClaimId(institutionCode, after.MunicipalityCode, ClaimRules.MonthFor(after.Date, now)));
        }

        var billedSoFar = new LineAmounts(lines.Sum(l => l.UnitPriceYen), lines.Sum(l => l.PatientShareYen), line.Priced != 0);
        switch (ClaimRules.Correct(ClaimMonth.FromNumber(line.ClaimMonth), billedSoFar, amounts, now))
        {
            case CorrectionEffect.LineChanged changed:
                await connection.ExecuteAsync(new CommandDefinition(
                    """
                    UPDATE vaccination_claim_lines SET vaccine = @Vaccine, dose_number = @DoseNumber, dose_date = @DoseDate, programme = @Programme,
                        priced = @Priced, unit_price_yen = @UnitPriceYen, patient_share_yen = @PatientShareYen, state = @State, reason = NULL, decided_at = NULL
                    WHERE line_id = @LineId
                    """,
                    new
                    {
                        after.Vaccine, after.DoseNumber, DoseDate = VaccinationStore.ToDayNumber(after.Date), after.Programme,
                        Priced = changed.Amounts.Priced ? 1 : 0, changed.Amounts.UnitPriceYen, changed.Amounts.PatientShareYen,
                        State = ClaimRules.InitialState(changed.Amounts), LineId = lineId,
                    },
                    transaction,
                    cancellationToken: ct)).ConfigureAwait(false);
                return ("lineChanged", line.ClaimId);
            case CorrectionEffect.LineRemoved:
                await connection.ExecuteAsync(new CommandDefinition(
                    "DELETE FROM vaccination_claim_lines WHERE line_id = @LineId", new { LineId = lineId }, transaction, cancellationToken: ct)).ConfigureAwait(false);
                return ("lineRemoved", line.ClaimId);
            case CorrectionEffect.Adjustment adjustment:
                var claimId = ClaimId(institutionCode, line.MunicipalityCode, adjustment.Month);
                await connection.ExecuteAsync(new CommandDefinition(
                    InsertLineSql,
                    new
                    {
                        LineId = $"{lineId}:adj:{correctionId}",
                        ClaimId = claimId,
                        InstitutionCode = institutionCode,
                        line.MunicipalityCode,
                        ClaimMonth = adjustment.Month.Number,
                        Kind = AdjustmentLine,
                        AdjustsLineId = lineId,
                        SubmissionId = submissionId,
                        after.RecordId,
                        after.PersonKey,
                        line.LocalPersonId,
                        after.Vaccine,
                        after.DoseNumber,
                        DoseDate = VaccinationStore.ToDayNumber(after.Date),
                        after.Programme,
                        Priced = 1,
                        UnitPriceYen = adjustment.UnitPriceDeltaYen,
                        PatientShareYen = adjustment.PatientShareDeltaYen,
                        State = ClaimRules.Pending,
                        CreatedAt = now.ToUnixTimeMilliseconds(),
                    },
                    transaction,
                    cancellationToken: ct)).ConfigureAwait(false);
                return ("adjustment", claimId);
            default:
                return ("unchanged", line.ClaimId);
        }
    }

    private const string InsertLineSql = """
        INSERT INTO vaccination_claim_lines (line_id, claim_id, institution_code, municipality_code, claim_month, kind, adjusts_line_id,
            submission_id, record_id, person_key, local_person_id, vaccine, dose_number, dose_date, programme, priced, unit_price_yen,
            patient_share_yen, state, reason, decided_at, created_at)
        VALUES (@LineId, @ClaimId, @InstitutionCode, @MunicipalityCode, @ClaimMonth, @Kind, @AdjustsLineId, @SubmissionId, @RecordId,
            @PersonKey, @LocalPersonId, @Vaccine, @DoseNumber, @DoseDate, @Programme, @Priced, @UnitPriceYen, @PatientShareYen, @State,
            NULL, NULL, @CreatedAt)
        """;

    private static string ViewerColumn(string viewer) => viewer == ClaimViewers.Municipality ? "municipality_code" : "institution_code";

    private const string SumsSql = """
        SELECT claim_id AS ClaimId, institution_code AS InstitutionCode, municipality_code AS MunicipalityCode, claim_month AS ClaimMonth,
               state AS State, COUNT(*) AS Lines, CAST(SUM(CASE WHEN priced = 0 THEN 1 ELSE 0 END) AS bigint) AS UnpricedLines,
               CAST(SUM(unit_price_yen) AS bigint) AS UnitPriceYen, CAST(SUM(patient_share_yen) AS bigint) AS PatientShareYen
        FROM vaccination_claim_lines
        """;

    private const string SumsGroupSql = " GROUP BY claim_id, institution_code, municipality_code, claim_month, state";

    private const string LineOrderSql = " ORDER BY created_at, line_id";

    /// <summary>
    /// The claims of <paramref name="month"/> of an institution (to every municipality) or to a municipality (from every
    /// institution): each claim's totals added up by the database, with its first <paramref name="lineLimit"/> lines
    /// and the cursor of the rest.
    /// </summary>
    public async Task<IReadOnlyList<VaccinationClaim>> ClaimsAsync(
        string viewer, string viewerCode, ClaimMonth month, CancellationToken cancellationToken, int lineLimit = ClaimLineCursor.DefaultLinesPerClaim)
    {
        var column = ViewerColumn(viewer);
        var (sums, lines) = await database.RunAsync(
            async (connection, ct) =>
            {
                var parameters = new { Code = viewerCode, Month = month.Number, Take = lineLimit + 1 };
                var sums = await connection.QueryAsync<SumsDbRow>(new CommandDefinition(
                    $"{SumsSql} WHERE {column} = @Code AND claim_month = @Month{SumsGroupSql}", parameters, cancellationToken: ct)).ConfigureAwait(false);
                var lines = lineLimit <= 0
                    ? []
                    : await connection.QueryAsync<LineDbRow>(new CommandDefinition(
                        $"""
                        SELECT * FROM (
                            SELECT {LineColumnsSql}, ROW_NUMBER() OVER (PARTITION BY claim_id ORDER BY created_at, line_id) AS RowNumber
                            FROM vaccination_claim_lines WHERE {column} = @Code AND claim_month = @Month) numbered
                        WHERE RowNumber <= @Take ORDER BY ClaimId, CreatedAt, LineId
                        """,
                        parameters,
                        cancellationToken: ct)).ConfigureAwait(false);
                return (sums.ToList(), lines.ToList());
            },
            cancellationToken).ConfigureAwait(false);
        var linesByClaim = lines.GroupBy(l => l.ClaimId, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        var references = new Dictionary<string, string>(StringComparer.Ordinal);
        return [.. sums.GroupBy(r => r.ClaimId, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => Claim(viewer, viewerCode, g.ToList(), linesByClaim.GetValueOrDefault(g.Key) ?? [], lineLimit, references))];
    }

    /// <summary>
    /// One claim, when <paramref name="viewerCode"/> is a party to it (otherwise none): its totals (added up by the
    /// database) and one page of at most <paramref name="lineLimit"/> lines after <paramref name="after"/>, with the next page's cursor.
    /// </summary>
    public async Task<VaccinationClaim?> ClaimAsync(
        string viewer, string viewerCode, string claimId, CancellationToken cancellationToken, int lineLimit = ClaimLineCursor.DefaultLimit, ClaimLineCursor? after = null)
    {
        var column = ViewerColumn(viewer);
        var (sums, lines) = await database.RunAsync(
            (connection, ct) => ClaimPageAsync(connection, null, column, viewerCode, claimId, lineLimit, after, ct),
            cancellationToken).ConfigureAwait(false);
        return sums.Count == 0 ? null : Claim(viewer, viewerCode, sums, lines, lineLimit, new Dictionary<string, string>(StringComparer.Ordinal));
    }

    private async Task<(List<SumsDbRow> Sums, List<LineDbRow> Lines)> ClaimPageAsync(
        DbConnection connection, DbTransaction? transaction, string column, string viewerCode, string claimId, int lineLimit, ClaimLineCursor? after, CancellationToken ct)
    {
        var parameters = new
        {
            ClaimId = claimId,
            Code = viewerCode,
            Take = lineLimit + 1,
            AfterCreatedAt = after?.CreatedAt ?? 0,
            AfterLineId = after?.LineId ?? "",
        };
        var sums = (await connection.QueryAsync<SumsDbRow>(new CommandDefinition(
            $"{SumsSql} WHERE claim_id = @ClaimId AND {column} = @Code{SumsGroupSql}", parameters, transaction, cancellationToken: ct)).ConfigureAwait(false)).ToList();
        if (sums.Count == 0 || lineLimit <= 0)
        {
            return (sums, []);
        }

        var where = $"WHERE claim_id = @ClaimId AND {column} = @Code"
            + (after is null ? "" : " AND (created_at > @AfterCreatedAt OR (created_at = @AfterCreatedAt AND line_id > @AfterLineId))");
        var page = database.Dialect(
            sqlite: $"{SelectLinesSql} {where}{LineOrderSql} LIMIT @Take",
            postgreSql: $"{SelectLinesSql} {where}{LineOrderSql} LIMIT @Take",
            sqlServer: $"{SelectLinesSql} {where}{LineOrderSql} OFFSET 0 ROWS FETCH NEXT @Take ROWS ONLY");
        var lines = (await connection.QueryAsync<LineDbRow>(new CommandDefinition(page, parameters, transaction, cancellationToken: ct)).ConfigureAwait(false)).ToList();
        return (sums, lines);
    }

    /// <summary>
    /// A municipality's decisions on lines of a claim to it, all or none: every line must be in the claim, the claim
    /// closed, an approval priced and a rejection reasoned (<see cref="ClaimRules.DecisionRefusal"/>). Only the decided
    /// lines are read and answered, with the claim's new totals; <see cref="DecideVaccinationClaimLines.ApproveAllPending"/>
    /// approves every pending line of the closed claim in one statement and answers the totals and the count.
    /// </summary>
    public Task<(VaccinationClaim? Claim, int DecidedCount, bool NotFound, IReadOnlyDictionary<string, string> Errors)> DecideAsync(
        DecideVaccinationClaimLines command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        const string column = "municipality_code";
        return database.InTransactionAsync<(VaccinationClaim?, int, bool, IReadOnlyDictionary<string, string>)>(
            async (connection, transaction, ct) =>
            {
                var (sums, _) = await ClaimPageAsync(connection, transaction, column, command.MunicipalityCode, command.ClaimId, 0, null, ct).ConfigureAwait(false);
                if (sums.Count == 0)
                {
                    return (null, 0, true, new Dictionary<string, string>());
                }

                var now = timeProvider.GetUtcNow();
                var month = ClaimMonth.FromNumber(sums[0].ClaimMonth);
                var references = new Dictionary<string, string>(StringComparer.Ordinal);
                if (command.ApproveAllPending)
                {
                    if (ClaimRules.ApproveAllPendingRefusal(month, now) is { } open)
                    {
                        return (null, 0, false, new Dictionary<string, string>(StringComparer.Ordinal) { ["claim"] = open });
                    }

                    var approved = await connection.ExecuteAsync(new CommandDefinition(
                        """
                        UPDATE vaccination_claim_lines SET state = @Approved, reason = NULL, decided_at = @DecidedAt
                        WHERE claim_id = @ClaimId AND municipality_code = @Code AND state = @Pending
                        """,
                        new { Approved = ClaimRules.Approved, Pending = ClaimRules.Pending, DecidedAt = now.ToUnixTimeMilliseconds(), command.ClaimId, Code = command.MunicipalityCode },
                        transaction,
                        cancellationToken: ct)).ConfigureAwait(false);
                    var (allAfter, _) = await ClaimPageAsync(connection, transaction, column, command.MunicipalityCode, command.ClaimId, 0, null, ct).ConfigureAwait(false);
                    return (Claim(ClaimViewers.Municipality, command.MunicipalityCode, allAfter, [], 0, references), approved, false, new Dictionary<string, string>());
                }

                var byId = new Dictionary<string, LineDbRow>(StringComparer.Ordinal);
                foreach (var chunk in command.Lines.Select(l => l.LineId).Distinct(StringComparer.Ordinal).Chunk(1_000))
                {
                    foreach (var row in await connection.QueryAsync<LineDbRow>(new CommandDefinition(
                        $"{SelectLinesSql} WHERE claim_id = @ClaimId AND municipality_code = @Code AND line_id IN @Ids",
                        new { command.ClaimId, Code = command.MunicipalityCode, Ids = chunk },
                        transaction,
                        cancellationToken: ct)).ConfigureAwait(false))
                    {
                        byId[row.LineId] = row;
                    }
                }

                var errors = new Dictionary<string, string>(StringComparer.Ordinal);
                var seen = new HashSet<string>(StringComparer.Ordinal);
                for (var i = 0; i < command.Lines.Count; i++)
                {
                    var decision = command.Lines[i];
                    if (!byId.TryGetValue(decision.LineId, out var line))
                    {
                        errors[$"lines[{i}].lineId"] = "is not a line of this claim";
                        continue;
                    }

                    if (!seen.Add(decision.LineId))
                    {
                        errors[$"lines[{i}].lineId"] = "is decided twice in this request";
                        continue;
                    }

                    if (ClaimRules.DecisionRefusal(ClaimMonth.FromNumber(line.ClaimMonth), now, line.Amounts, decision.Decision, decision.Reason) is { } refusal)
                    {
                        errors[$"lines[{i}].decision"] = refusal;
                    }
                }

                if (errors.Count > 0)
                {
                    return (null, 0, false, errors);
                }

                await connection.ExecuteAsync(new CommandDefinition(
                    "UPDATE vaccination_claim_lines SET state = @State, reason = @Reason, decided_at = @DecidedAt WHERE line_id = @LineId",
                    command.Lines.Select(d => new
                    {
                        State = d.Decision,
                        Reason = d.Decision == ClaimRules.Rejected ? d.Reason : null,
                        DecidedAt = now.ToUnixTimeMilliseconds(),
                        d.LineId,
                    }),
                    transaction,
                    cancellationToken: ct)).ConfigureAwait(false);
                var decidedLines = command.Lines.Select(d => byId[d.LineId].With(d.Decision, d.Decision == ClaimRules.Rejected ? d.Reason : null, now.ToUnixTimeMilliseconds())).ToList();
                var (after, _) = await ClaimPageAsync(connection, transaction, column, command.MunicipalityCode, command.ClaimId, 0, null, ct).ConfigureAwait(false);
                return (Claim(ClaimViewers.Municipality, command.MunicipalityCode, after, decidedLines, int.MaxValue, references), decidedLines.Count, false,
                    new Dictionary<string, string>());
            },
            cancellationToken).AsTask();
    }

    private const string LineColumnsSql = """
        line_id AS LineId, claim_id AS ClaimId, institution_code AS InstitutionCode, municipality_code AS MunicipalityCode,
               claim_month AS ClaimMonth, kind AS Kind, adjusts_line_id AS AdjustsLineId, record_id AS RecordId, person_key AS PersonKey,
               local_person_id AS LocalPersonId, vaccine AS Vaccine, dose_number AS DoseNumber, dose_date AS DoseDate, programme AS Programme,
               priced AS Priced, unit_price_yen AS UnitPriceYen, patient_share_yen AS PatientShareYen, state AS State, reason AS Reason,
               decided_at AS DecidedAt, created_at AS CreatedAt
        """;

    private const string SelectLinesSql = $"SELECT {LineColumnsSql} FROM vaccination_claim_lines";

    /// <summary>A claim from its per-state sums and one page of its lines (one more than <paramref name="lineLimit"/> read means a next page).</summary>
    private VaccinationClaim Claim(
        string viewer, string viewerCode, IReadOnlyList<SumsDbRow> sums, IReadOnlyList<LineDbRow> lines, int lineLimit, Dictionary<string, string> references)
    {
        var now = timeProvider.GetUtcNow();
        var first = sums[0];
        var month = ClaimMonth.FromNumber(first.ClaimMonth);
        var totals = ClaimRules.Totals(sums.Select(r => new StateSums(r.State, (int)r.Lines, (int)r.UnpricedLines, r.UnitPriceYen, r.PatientShareYen)));
        var page = lines.Count > lineLimit ? lines.Take(lineLimit).ToList() : lines;
        return new VaccinationClaim
        {
            ClaimId = first.ClaimId,
            InstitutionCode = first.InstitutionCode,
            MunicipalityCode = first.MunicipalityCode,
            Month = month.ToString(),
            ClosesAt = month.ClosesAt,
            Status = month.IsOpenAt(now) ? "open" : "closed",
            LineCount = totals.Lines,
            UnpricedCount = totals.UnpricedLines,
            UnitPriceTotalYen = totals.UnitPriceYen,
            PatientShareTotalYen = totals.PatientShareYen,
            BilledTotalYen = totals.BilledYen,
            ApprovedTotalYen = totals.ApprovedYen,
            RejectedTotalYen = totals.RejectedYen,
            StateCounts = [.. sums.OrderBy(r => r.State, StringComparer.Ordinal).Select(r => new ClaimStateCount(r.State, (int)r.Lines))],
            NextCursor = lines.Count > lineLimit && page.Count > 0 ? new ClaimLineCursor(page[^1].CreatedAt, page[^1].LineId).ToString() : null,
            Lines = [.. page.Select(l =>
            {
                if (!references.TryGetValue(l.PersonKey, out var personRef))
                {
                    personRef = personKeys.InstitutionReference(l.PersonKey, viewerCode);
                    references[l.PersonKey] = personRef;
                }

                return new VaccinationClaimLine(
                    l.LineId,
                    l.Kind,
                    l.AdjustsLineId,
                    l.RecordId,
                    personRef,
                    viewer == ClaimViewers.Municipality ? l.LocalPersonId : null,
                    l.Vaccine,
                    (int)l.DoseNumber,
                    VaccinationStore.FromDayNumber(l.DoseDate),
                    l.Programme,
                    l.Amounts.Priced,
                    l.UnitPriceYen,
                    l.PatientShareYen,
                    l.Amounts.BilledYen,
                    l.State,
                    l.Reason,
                    l.DecidedAt is { } at ? DateTimeOffset.FromUnixTimeMilliseconds(at) : null);
            })],
        };
    }

    private sealed class SumsDbRow
    {
        public string ClaimId { get; set; } = "";

        public string InstitutionCode { get; set; } = "";

        public string MunicipalityCode { get; set; } = "";

        public long ClaimMonth { get; set; }

        public string State { get; set; } = "";

        public long Lines { get; set; }

        public long UnpricedLines { get; set; }

        public long UnitPriceYen { get; set; }

        public long PatientShareYen { get; set; }
    }

    private sealed class PriceDbRow
    {
        public string Vaccine { get; set; } = "";

        public string Programme { get; set; } = "";

        public long ValidFrom { get; set; }

        public long? ValidTo { get; set; }

        public long UnitPriceYen { get; set; }

        public long PatientShareYen { get; set; }

        public long QuestionnaireRequired { get; set; }

        public PriceRow ToPriceRow() => new(
            Vaccine,
            Programme,
            VaccinationStore.FromDayNumber(ValidFrom),
            ValidTo is { } to ? VaccinationStore.FromDayNumber(to) : null,
            UnitPriceYen,
            PatientShareYen,
            QuestionnaireRequired != 0);
    }

    internal sealed class LineDbRow
    {
        public string LineId { get; set; } = "";

        public string ClaimId { get; set; } = "";

        public string InstitutionCode { get; set; } = "";

        public string MunicipalityCode { get; set; } = "";

        public long ClaimMonth { get; set; }

        public string Kind { get; set; } = "";

        public string? AdjustsLineId { get; set; }

        public string RecordId { get; set; } = "";

        public string PersonKey { get; set; } = "";

        public string? LocalPersonId { get; set; }

        public string Vaccine { get; set; } = "";

        public long DoseNumber { get; set; }

        public long DoseDate { get; set; }

        public string Programme { get; set; } = "";

        public long Priced { get; set; }

        public long UnitPriceYen { get; set; }

        public long PatientShareYen { get; set; }

        public string State { get; set; } = "";

        public string? Reason { get; set; }

        public long? DecidedAt { get; set; }

        public long CreatedAt { get; set; }

        public LineAmounts Amounts => new(UnitPriceYen, PatientShareYen, Priced != 0);

        public LineDbRow With(string state, string? reason, long decidedAt)
        {
            var copy = (LineDbRow)MemberwiseClone();
            copy.State = state;
            copy.Reason = reason;
            copy.DecidedAt = decidedAt;
            return copy;
        }
    }
}
