using System.Data.Common;
using System.Text.Json;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Pmh.Contracts.Subsidy;
using Pmh.Hosting.Storage;
using Pmh.Subsidy.Domain;

namespace Pmh.Subsidy.Storage;

public abstract record CopaymentOutcome
{
    public sealed record Charged(int ChargedYen, CopaymentMonth Ledger, bool IsRepeat, string? PersonKey = null) : CopaymentOutcome;

    public sealed record Refused(string Reason) : CopaymentOutcome;
}

/// <summary>
/// The co-payment cap ledger. Each month of a certificate is one row, changed only under its row lock, so receipts
/// recorded at the same moment by many institutions (and many service instances) never take the month past the cap.
/// </summary>
public sealed class CopaymentLedger(
    [FromKeyedServices(SubsidyServiceExtensions.DatabaseName)] ServiceDatabase database,
    TimeProvider timeProvider)
{
    public Task<CopaymentOutcome> RecordAsync(RecordCopayment receipt, CancellationToken cancellationToken)
    {
        var fingerprint = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(
            JsonSerializer.SerializeToUtf8Bytes(receipt with { CheckId = Guid.Empty }, SubsidyCertificateStore.Json)));
        return database.InTransactionAsync<CopaymentOutcome>(
            async (connection, transaction, ct) =>
            {
                var key = new { receipt.InstitutionCode, receipt.ReceiptId };
                var existing = await ReceiptAsync(connection, transaction, key, ct).ConfigureAwait(false);
                if (existing is not null)
                {
                    return existing.Fingerprint != fingerprint
                        ? new CopaymentOutcome.Refused(CopaymentRefused.ReceiptConflict)
                        : new CopaymentOutcome.Charged(existing.ChargedYen, await MonthAsync(connection, transaction, existing.MunicipalityCode, existing.HistoryKey, existing.Month, ct).ConfigureAwait(false), true, existing.PersonKey);
                }

                var certificate = await CertificateAsync(connection, transaction, receipt.MunicipalityCode, receipt.HistoryKey, ct).ConfigureAwait(false);
                if (certificate is null || certificate.PersonKey != receipt.PersonKey)
                {
                    return new CopaymentOutcome.Refused(CopaymentRefused.NoSuchCertificate);
                }

                if (!SubsidyRules.IsEligibleOn(certificate, receipt.ServiceDate))
                {
                    return new CopaymentOutcome.Refused(CopaymentRefused.NotEligible);
                }

                var month = CopaymentRules.MonthOf(receipt.ServiceDate);
                var total = await LockMonthAsync(connection, transaction, receipt.MunicipalityCode, receipt.HistoryKey, month, ct).ConfigureAwait(false);
                var cap = certificate.MaxCopaymentAmount?.MonthlyYen;
                var charged = CopaymentRules.Charge(receipt.AmountYen, total, cap);
                await SetMonthAsync(connection, transaction, receipt.MunicipalityCode, receipt.HistoryKey, month, total + charged, ct).ConfigureAwait(false);
                await connection.ExecuteAsync(new CommandDefinition(
                    """
                    INSERT INTO copayment_receipts (institution_code, receipt_id, person_key, municipality_code, history_key, month, asked_yen, charged_yen, fingerprint, recorded_at)
                    VALUES (@InstitutionCode, @ReceiptId, @PersonKey, @MunicipalityCode, @HistoryKey, @Month, @AskedYen, @ChargedYen, @Fingerprint, @RecordedAt)
                    """,
                    new
                    {
                        receipt.InstitutionCode,
                        receipt.ReceiptId,
                        receipt.PersonKey,
                        receipt.MunicipalityCode,
                        receipt.HistoryKey,
                        Month = month,
                        AskedYen = receipt.AmountYen,
                        ChargedYen = charged,
                        Fingerprint = fingerprint,
                        RecordedAt = timeProvider.GetUtcNow().ToUnixTimeMilliseconds(),
                    },
                    transaction,
                    cancellationToken: ct)).ConfigureAwait(false);
                return new CopaymentOutcome.Charged(charged, Ledger(receipt.MunicipalityCode, receipt.HistoryKey, month, total + charged, cap), false, receipt.PersonKey);
            },
            cancellationToken).AsTask();
    }

    /// <summary>A changed or cancelled (0) receipt: its charge is recomputed against the rest of the month.</summary>
    public Task<CopaymentOutcome> CorrectAsync(CorrectCopayment correction, CancellationToken cancellationToken) =>
        database.InTransactionAsync<CopaymentOutcome>(
            async (connection, transaction, ct) =>
            {
                var receipt = await ReceiptAsync(connection, transaction, new { correction.InstitutionCode, correction.ReceiptId }, ct).ConfigureAwait(false);
                if (receipt is null)
                {
                    return new CopaymentOutcome.Refused(CopaymentRefused.NoSuchReceipt);
                }

                var done = await connection.QuerySingleOrDefaultAsync<CorrectionRow>(new CommandDefinition(
                    "SELECT asked_yen AS AskedYen, charged_yen AS ChargedYen FROM copayment_corrections WHERE institution_code = @InstitutionCode AND receipt_id = @ReceiptId AND correction_id = @CorrectionId",
                    new { correction.InstitutionCode, correction.ReceiptId, correction.CorrectionId },
                    transaction,
                    cancellationToken: ct)).ConfigureAwait(false);
                if (done is { } repeat)
                {
                    return repeat.AskedYen != correction.AmountYen
                        ? new CopaymentOutcome.Refused(CopaymentRefused.ReceiptConflict)
                        : new CopaymentOutcome.Charged((int)repeat.ChargedYen, await MonthAsync(connection, transaction, receipt.MunicipalityCode, receipt.HistoryKey, receipt.Month, ct).ConfigureAwait(false), true, receipt.PersonKey);
                }

                var certificate = await CertificateAsync(connection, transaction, receipt.MunicipalityCode, receipt.HistoryKey, ct).ConfigureAwait(false);
                var cap = certificate?.MaxCopaymentAmount?.MonthlyYen;
                var total = await LockMonthAsync(connection, transaction, receipt.MunicipalityCode, receipt.HistoryKey, receipt.Month, ct).ConfigureAwait(false);
                var others = total - receipt.ChargedYen;
                var charged = CopaymentRules.Charge(correction.AmountYen, others, cap);
                await SetMonthAsync(connection, transaction, receipt.MunicipalityCode, receipt.HistoryKey, receipt.Month, others + charged, ct).ConfigureAwait(false);
                await connection.ExecuteAsync(new CommandDefinition(
                    "UPDATE copayment_receipts SET asked_yen = @AskedYen, charged_yen = @ChargedYen WHERE institution_code = @InstitutionCode AND receipt_id = @ReceiptId",
                    new { AskedYen = correction.AmountYen, ChargedYen = charged, correction.InstitutionCode, correction.ReceiptId },
                    transaction,
                    cancellationToken: ct)).ConfigureAwait(false);
                await connection.ExecuteAsync(new CommandDefinition(
                    """
                    INSERT INTO copayment_corrections (institution_code, receipt_id, correction_id, asked_yen, charged_yen, recorded_at)
                    VALUES (@InstitutionCode, @ReceiptId, @CorrectionId, @AskedYen, @ChargedYen, @RecordedAt)
                    """,
                    new { correction.InstitutionCode, correction.ReceiptId, correction.CorrectionId, AskedYen = correction.AmountYen, ChargedYen = charged, RecordedAt = timeProvider.GetUtcNow().ToUnixTimeMilliseconds() },
                    transaction,
                    cancellationToken: ct)).ConfigureAwait(false);
                return new CopaymentOutcome.Charged(charged, Ledger(receipt.MunicipalityCode, receipt.HistoryKey, receipt.Month, others + charged, cap), false, receipt.PersonKey);
            },
            cancellationToken).AsTask();

    /// <summary>The month's ledger of each of the certificates, for the reception check.</summary>
    public async Task<IReadOnlyList<CopaymentMonth>> LedgersAsync(IReadOnlyList<SubsidyCertificate> certificates, DateOnly serviceDate, CancellationToken cancellationToken)
    {
        var month = CopaymentRules.MonthOf(serviceDate);
        var ledgers = new List<CopaymentMonth>();
        foreach (var c in certificates.Where(c => c.MaxCopaymentAmount is not null))
        {
            var total = await database.RunAsync(
                (connection, ct) => connection.QuerySingleOrDefaultAsync<long?>(new CommandDefinition(
                    "SELECT total_yen FROM copayment_months WHERE municipality_code = @M AND history_key = @H AND month = @Month",
                    new { M = c.MunicipalityCode, H = c.HistoryKey, Month = month },
                    cancellationToken: ct)),
                cancellationToken).ConfigureAwait(false);
            ledgers.Add(Ledger(c.MunicipalityCode, c.HistoryKey, month, (int)(total ?? 0), c.MaxCopaymentAmount!.MonthlyYen));
        }

        return ledgers;
    }

    private static CopaymentMonth Ledger(string municipality, string historyKey, string month, int total, int? cap) =>
        new(municipality, historyKey, month, total, cap, CopaymentRules.Remaining(total, cap));

    /// <summary>Makes sure the month's row exists and takes its row lock; returns its total.</summary>
    private async Task<int> LockMonthAsync(DbConnection connection, DbTransaction transaction, string municipality, string historyKey, string month, CancellationToken ct)
    {
        var key = new { M = municipality, H = historyKey, Month = month };
        await connection.ExecuteAsync(new CommandDefinition(
            database.Dialect(
                sqlite: InsertMonthPortable,
                postgreSql: InsertMonthPortable,
                sqlServer: """
                    IF NOT EXISTS (SELECT 1 FROM copayment_months WITH (UPDLOCK, HOLDLOCK) WHERE municipality_code = @M AND history_key = @H AND month = @Month)
                    INSERT INTO copayment_months (municipality_code, history_key, month, total_yen) VALUES (@M, @H, @Month, 0)
                    """),
            key,
            transaction,
            cancellationToken: ct)).ConfigureAwait(false);
        // A no-op update takes the row lock: the next ledger change for this month waits for this transaction.
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE copayment_months SET total_yen = total_yen WHERE municipality_code = @M AND history_key = @H AND month = @Month",
            key,
            transaction,
            cancellationToken: ct)).ConfigureAwait(false);
        return (int)await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT total_yen FROM copayment_months WHERE municipality_code = @M AND history_key = @H AND month = @Month",
            key,
            transaction,
            cancellationToken: ct)).ConfigureAwait(false);
    }

    private const string InsertMonthPortable = """
        INSERT INTO copayment_months (municipality_code, history_key, month, total_yen) VALUES (@M, @H, @Month, 0)
        ON CONFLICT (municipality_code, history_key, month) DO NOTHING
        """;

    private static Task SetMonthAsync(DbConnection connection, DbTransaction transaction, string municipality, string historyKey, string month, int total, CancellationToken ct) =>
        connection.ExecuteAsync(new CommandDefinition(
            "UPDATE copayment_months SET total_yen = @Total WHERE municipality_code = @M AND history_key = @H AND month = @Month",
            new { M = municipality, H = historyKey, Month = month, Total = total },
            transaction,
            cancellationToken: ct));

    private async Task<CopaymentMonth> MonthAsync(DbConnection connection, DbTransaction transaction, string municipality, string historyKey, string month, CancellationToken ct)
    {
        var total = await connection.QuerySingleOrDefaultAsync<long?>(new CommandDefinition(
            "SELECT total_yen FROM copayment_months WHERE municipality_code = @M AND history_key = @H AND month = @Month",
            new { M = municipality, H = historyKey, Month = month },
            transaction,
            cancellationToken: ct)).ConfigureAwait(false);
        var certificate = await CertificateAsync(connection, transaction, municipality, historyKey, ct).ConfigureAwait(false);
        return Ledger(municipality, historyKey, month, (int)(total ?? 0), certificate?.MaxCopaymentAmount?.MonthlyYen);
    }

    private static async Task<SubsidyCertificate?> CertificateAsync(DbConnection connection, DbTransaction transaction, string municipality, string historyKey, CancellationToken ct)
    {
        var data = await connection.QuerySingleOrDefaultAsync<string>(new CommandDefinition(
            "SELECT data FROM subsidy_certificates WHERE municipality_code = @M AND history_key = @H",
            new { M = municipality, H = historyKey },
            transaction,
            cancellationToken: ct)).ConfigureAwait(false);
        return data is null ? null : JsonSerializer.Deserialize<SubsidyCertificate>(data, SubsidyCertificateStore.Json);
    }

    private static Task<ReceiptRow?> ReceiptAsync(DbConnection connection, DbTransaction transaction, object key, CancellationToken ct) =>
        connection.QuerySingleOrDefaultAsync<ReceiptRow>(new CommandDefinition(
            """
            SELECT municipality_code AS MunicipalityCode, history_key AS HistoryKey, month AS Month, charged_yen AS ChargedYen, fingerprint AS Fingerprint,
                person_key AS PersonKey
            FROM copayment_receipts WHERE institution_code = @InstitutionCode AND receipt_id = @ReceiptId
            """,
            key,
            transaction,
            cancellationToken: ct));

    private sealed class CorrectionRow
    {
        public long AskedYen { get; set; }

        public long ChargedYen { get; set; }
    }

    private sealed class ReceiptRow
    {
        public string MunicipalityCode { get; set; } = "";

        public string HistoryKey { get; set; } = "";

        public string Month { get; set; } = "";

        public int ChargedYen { get; set; }

        public string Fingerprint { get; set; } = "";

        public string PersonKey { get; set; } = "";
    }
}
