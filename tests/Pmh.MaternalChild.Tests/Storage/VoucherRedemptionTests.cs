using Microsoft.Extensions.Time.Testing;
using Pmh.Contracts.MaternalChild;
using Pmh.Hosting;
using Pmh.MaternalChild.Domain;
using Pmh.MaternalChild.Storage;
using Pmh.Testing;

namespace Pmh.MaternalChild.Tests.Storage;

/// <summary>Voucher use on every provider: SQLite always, PostgreSQL when the test server answers.</summary>
public abstract class VoucherRedemptionTests : IDisposable
{
    private const string Pregnancy = "131016:pregnancy:P-1";
    private readonly Lazy<TestDatabase> _database;
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 5, 1, 0, 0, 0, TimeSpan.Zero));

    protected VoucherRedemptionTests(StorageProvider provider) =>
        _database = new(() => TestDatabase.Create(provider, MaternalChildServiceExtensions.DatabaseName, typeof(MaternalChildServiceExtensions).Assembly));

    protected abstract string? WhyNotAvailable { get; }

    private async Task<MaternalChildStore> StoreWithPregnancyAsync()
    {
        Skip.If(WhyNotAvailable is not null, WhyNotAvailable);
        var store = new MaternalChildStore(_database.Value.Database, _time);
        await store.StagePregnanciesAsync(new RegisterPregnancies
        {
            MunicipalityCode = "131016",
            BatchId = "b1",
            PartIndex = 0,
            PartCount = 1,
            RowCount = 1,
            Rows = [new RegisteredPregnancyRow(0, new PregnancyRecord
            {
                RecordId = Pregnancy, MunicipalityCode = "131016", PersonKey = "mother", DueDate = new DateOnly(2026, 10, 1), RegisteredOn = new DateOnly(2026, 3, 1),
            })],
        }, default);
        return store;
    }

    private static RedeemVoucher Redemption(int institution, int voucher = 1, string person = "mother") => new()
    {
        RedemptionId = $"r-{institution}",
        InstitutionCode = $"institution-{institution}",
        CheckId = Guid.NewGuid(),
        PersonKey = person,
        VoucherId = MaternalChildRules.VoucherId(Pregnancy, voucher),
        Result = new CheckupResult(new DateOnly(2026, 5, 1), 12, null, 55.5m, null, "ok"),
    };

    [SkippableFact]
    public async Task Fifty_concurrent_redemptions_of_one_voucher_let_exactly_one_through()
    {
        var store = await StoreWithPregnancyAsync();

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 50).Select(i => Task.Run(() => store.RedeemAsync(Redemption(i), default))));

        Assert.Single(outcomes.OfType<CheckupOutcome.Recorded>());
        Assert.All(outcomes.OfType<CheckupOutcome.Refused>(), r => Assert.Equal("alreadyUsed", r.Reason));
        var (pregnancies, _) = await store.EntitlementsAsync("mother", new DateOnly(2026, 5, 2), default);
        Assert.Equal((1, 13), (pregnancies[0].Used, pregnancies[0].Left));
    }

    [SkippableFact]
    public async Task The_same_redemption_again_answers_as_the_first_and_changes_nothing()
    {
        var store = await StoreWithPregnancyAsync();

        var first = await store.RedeemAsync(Redemption(1), default);
        var again = await store.RedeemAsync(Redemption(1), default);

        var recorded = Assert.IsType<CheckupOutcome.Recorded>(first);
        Assert.Equal(recorded with { IsRepeat = true }, again);
        Assert.Single(await store.FeedAsync("131016", 0, 100, default));
    }

    [SkippableFact]
    public async Task A_voucher_of_another_person_is_refused()
    {
        var store = await StoreWithPregnancyAsync();

        var outcome = await store.RedeemAsync(Redemption(1, person: "someone-else"), default);

        Assert.Equal(new CheckupOutcome.Refused(CheckupRefused.NotYourVoucher), outcome);
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

public sealed class SqliteVoucherRedemptionTests() : VoucherRedemptionTests(StorageProvider.Sqlite)
{
    protected override string? WhyNotAvailable => null;
}

public sealed class PostgresVoucherRedemptionTests() : VoucherRedemptionTests(StorageProvider.PostgreSql)
{
    protected override string? WhyNotAvailable => TestServers.WhyNoPostgres;
}
