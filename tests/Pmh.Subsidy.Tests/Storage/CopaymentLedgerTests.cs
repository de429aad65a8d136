using Microsoft.Extensions.Time.Testing;
using Pmh.Contracts.Subsidy;
using Pmh.Hosting;
using Pmh.Subsidy.Storage;
using Pmh.Testing;

namespace Pmh.Subsidy.Tests.Storage;

/// <summary>The cap ledger on every provider: SQLite always, PostgreSQL when the test server answers.</summary>
public abstract class CopaymentLedgerTests : IDisposable
{
    private readonly Lazy<TestDatabase> _database;
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 4, 1, 0, 0, 0, TimeSpan.Zero));

    protected CopaymentLedgerTests(StorageProvider provider) =>
        _database = new(() => TestDatabase.Create(provider, SubsidyServiceExtensions.DatabaseName, typeof(SubsidyServiceExtensions).Assembly));

    protected abstract string? WhyNotAvailable { get; }

    private async Task<CopaymentLedger> LedgerAsync(int? capYen = 5000)
    {
        Skip.If(WhyNotAvailable is not null, WhyNotAvailable);
        var certificate = Certificates.Make("alice", "H-1") with { MaxCopaymentAmount = capYen is { } c ? new MaxCopaymentAmount(c) : null };
        await new SubsidyCertificateStore(_database.Value.Database, _time).StagePartAsync(Certificates.Batch("b1", certificate), default);
        return new CopaymentLedger(_database.Value.Database, _time);
    }

    private static RecordCopayment Receipt(int institution, int receipt, int yen, string date = "2026-04-15") => new()
    {
        ReceiptId = $"receipt-{receipt}",
        InstitutionCode = $"institution-{institution}",
        CheckId = Guid.NewGuid(),
        PersonKey = "alice",
        MunicipalityCode = "131016",
        HistoryKey = "H-1",
        ServiceDate = DateOnly.Parse(date, System.Globalization.CultureInfo.InvariantCulture),
        AmountYen = yen,
    };

    [SkippableFact]
    public async Task Hundred_concurrent_receipts_from_ten_institutions_never_pass_the_cap()
    {
        var ledger = await LedgerAsync(capYen: 5000);
        var receipts = Enumerable.Range(0, 100).Select(i => Receipt(i % 10, i, 70 + (i % 7 * 30))).ToList();

        var outcomes = await Task.WhenAll(receipts.Select(r => Task.Run(() => ledger.RecordAsync(r, default))));

        var charged = outcomes.Cast<CopaymentOutcome.Charged>().Sum(o => o.ChargedYen);
        Assert.Equal(Math.Min(receipts.Sum(r => r.AmountYen), 5000), charged);
        var month = Assert.Single(await ledger.LedgersAsync([Certificates.Make("alice", "H-1") with { MaxCopaymentAmount = new MaxCopaymentAmount(5000) }], new DateOnly(2026, 4, 1), default));
        Assert.Equal((5000, 0), (month.TotalYen, month.RemainingYen));
    }

    [SkippableFact]
    public async Task A_replayed_receipt_answers_the_same_and_changes_nothing()
    {
        var ledger = await LedgerAsync();
        var first = await ledger.RecordAsync(Receipt(1, 1, 3000), default);
        var again = await ledger.RecordAsync(Receipt(1, 1, 3000), default);
        var other = await ledger.RecordAsync(Receipt(1, 1, 9999), default);

        Assert.Equal(((CopaymentOutcome.Charged)first) with { IsRepeat = true }, again);
        Assert.Equal(new CopaymentOutcome.Refused("receiptConflict"), other);
        Assert.Equal(3000, ((CopaymentOutcome.Charged)await ledger.RecordAsync(Receipt(2, 2, 0), default)).Ledger.TotalYen);
    }

    [SkippableFact]
    public async Task A_correction_recomputes_the_receipt_against_the_rest_of_the_month()
    {
        var ledger = await LedgerAsync(capYen: 5000);
        await ledger.RecordAsync(Receipt(1, 1, 3000), default);
        await ledger.RecordAsync(Receipt(2, 2, 3000), default); // charged 2000: the cap

        var cancelled = await ledger.CorrectAsync(new CorrectCopayment { ReceiptId = "receipt-1", InstitutionCode = "institution-1", CorrectionId = "c1", AmountYen = 0 }, default);
        var after = (CopaymentOutcome.Charged)await ledger.RecordAsync(Receipt(3, 3, 4000), default);

        Assert.Equal(2000, ((CopaymentOutcome.Charged)cancelled).Ledger.TotalYen);
        Assert.Equal((3000, 5000), (after.ChargedYen, after.Ledger.TotalYen));
        Assert.Equal(new CopaymentOutcome.Refused("noSuchReceipt"),
            await ledger.CorrectAsync(new CorrectCopayment { ReceiptId = "receipt-1", InstitutionCode = "institution-9", CorrectionId = "c1", AmountYen = 0 }, default));
    }

    [SkippableFact]
    public async Task A_correction_answers_with_the_person_key_of_its_receipt_so_it_can_be_audited_under_that_person()
    {
        var ledger = await LedgerAsync();
        await ledger.RecordAsync(Receipt(1, 1, 3000), default);

        var corrected = await ledger.CorrectAsync(new CorrectCopayment { ReceiptId = "receipt-1", InstitutionCode = "institution-1", CorrectionId = "c1", AmountYen = 1000 }, default);
        var repeated = await ledger.CorrectAsync(new CorrectCopayment { ReceiptId = "receipt-1", InstitutionCode = "institution-1", CorrectionId = "c1", AmountYen = 1000 }, default);

        Assert.Equal(("alice", false), (((CopaymentOutcome.Charged)corrected).PersonKey, ((CopaymentOutcome.Charged)corrected).IsRepeat));
        Assert.Equal(("alice", true), (((CopaymentOutcome.Charged)repeated).PersonKey, ((CopaymentOutcome.Charged)repeated).IsRepeat));
    }

    [SkippableFact]
    public async Task Without_a_cap_amounts_are_recorded_without_limit_and_months_are_separate()
    {
        var ledger = await LedgerAsync(capYen: null);
        await ledger.RecordAsync(Receipt(1, 1, 80_000), default);
        var may = (CopaymentOutcome.Charged)await ledger.RecordAsync(Receipt(1, 2, 90_000, "2026-05-01"), default);

        Assert.Equal((90_000, 90_000, "2026-05"), (may.ChargedYen, may.Ledger.TotalYen, may.Ledger.Month));
        Assert.Null(may.Ledger.RemainingYen);
    }

    [SkippableFact]
    public async Task A_receipt_for_someone_elses_certificate_or_outside_its_validity_is_refused()
    {
        var ledger = await LedgerAsync();

        Assert.Equal(new CopaymentOutcome.Refused("noSuchCertificate"), await ledger.RecordAsync(Receipt(1, 1, 100) with { PersonKey = "bob" }, default));
        Assert.Equal(new CopaymentOutcome.Refused("notEligible"), await ledger.RecordAsync(Receipt(1, 2, 100, "2027-04-01"), default));
    }

    public void Dispose()
    {
        if (_database.IsValueCreated)
        {
            _database.Value.Dispose();
        }

        GC.SuppressFinalize(this);
    }
}

public sealed class SqliteCopaymentLedgerTests() : CopaymentLedgerTests(StorageProvider.Sqlite)
{
    protected override string? WhyNotAvailable => null;
}

public sealed class PostgresCopaymentLedgerTests() : CopaymentLedgerTests(StorageProvider.PostgreSql)
{
    protected override string? WhyNotAvailable => TestServers.WhyNoPostgres;
}
