using System.Text.Json;
using Dapper;
using Microsoft.Extensions.Time.Testing;
using Pmh.Contracts.Subsidy;
using Pmh.Hosting;
using Pmh.Hosting.Storage;
using Pmh.Subsidy.Storage;
using Pmh.Testing;

namespace Pmh.Subsidy.Tests.Storage;

/// <summary>The same storage behaviour on every provider: SQLite always, PostgreSQL when the test server answers.</summary>
public abstract class SubsidyCertificateStoreTests : IDisposable
{
    private static readonly DateOnly InApril = new(2026, 4, 15);
    private readonly Lazy<TestDatabase> _database;
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 4, 1, 9, 0, 0, TimeSpan.Zero));

    protected SubsidyCertificateStoreTests(StorageProvider provider)
    {
        _database = new Lazy<TestDatabase>(() => TestDatabase.Create(provider, SubsidyServiceExtensions.DatabaseName, typeof(SubsidyServiceExtensions).Assembly));
    }

    protected abstract string? WhyNotAvailable { get; }

    private SubsidyCertificateStore Store()
    {
        Skip.If(WhyNotAvailable is not null, WhyNotAvailable);
        return new SubsidyCertificateStore(_database.Value.Database, _time);
    }

    [SkippableFact]
    public async Task A_published_certificate_is_found_for_its_person_on_a_valid_day()
    {
        var store = Store();
        await store.StagePartAsync(Certificates.Batch("b1", Certificates.Make("alice", "H-1")), default);

        var eligible = await store.EligibleAsync("alice", InApril, default);

        var certificate = Assert.Single(eligible);
        // Every field survives storage.
        Assert.Equal(JsonSerializer.Serialize(Certificates.Make("alice", "H-1")), JsonSerializer.Serialize(certificate));
        Assert.Empty(await store.EligibleAsync("bob", InApril, default));
    }

    [SkippableFact]
    public async Task A_later_revision_with_the_same_history_key_replaces_the_earlier_one()
    {
        var store = Store();
        await store.StagePartAsync(Certificates.Batch("b1", Certificates.Make("alice", "H-1", name: "first")), default);
        await store.StagePartAsync(Certificates.Batch("b2", Certificates.Make("alice", "H-1", name: "second", validTo: "2026-09-30")), default);

        var eligible = await store.EligibleAsync("alice", InApril, default);

        Assert.Equal("second", Assert.Single(eligible).CertificationName);
        Assert.Empty(await store.EligibleAsync("alice", new DateOnly(2026, 10, 1), default));
        Assert.Equal(2, await CountAsync("SELECT COUNT(*) FROM subsidy_certificate_revisions"));
        Assert.Equal(2, await CountAsync("SELECT revision FROM subsidy_certificates"));
    }

    [SkippableFact]
    public async Task A_deleted_revision_withdraws_the_certificate()
    {
        var store = Store();
        await store.StagePartAsync(Certificates.Batch("b1", Certificates.Make("alice", "H-1"), Certificates.Make("alice", "H-2")), default);
        await store.StagePartAsync(Certificates.Batch("b2", Certificates.Make("alice", "H-1", deleted: true)), default);

        var eligible = await store.EligibleAsync("alice", InApril, default);

        Assert.Equal("H-2", Assert.Single(eligible).HistoryKey);
    }

    [SkippableFact]
    public async Task A_revision_that_names_another_person_moves_the_certificate()
    {
        var store = Store();
        await store.StagePartAsync(Certificates.Batch("b1", Certificates.Make("alice", "H-1")), default);
        await store.StagePartAsync(Certificates.Batch("b2", Certificates.Make("bob", "H-1")), default);

        Assert.Empty(await store.EligibleAsync("alice", InApril, default));
        Assert.Single(await store.EligibleAsync("bob", InApril, default));
    }

    [SkippableFact]
    public async Task The_same_history_key_in_two_municipalities_is_two_certificates()
    {
        var store = Store();
        await store.StagePartAsync(Certificates.Batch("b1", Certificates.Make("alice", "H-1")), default);
        await store.StagePartAsync(Certificates.Batch("b1", Certificates.Make("alice", "H-1", municipality: "132012")), default);

        Assert.Equal(2, (await store.EligibleAsync("alice", InApril, default)).Count);
    }

    [SkippableFact]
    public async Task Validity_is_inclusive_of_the_first_and_last_day_in_storage_too()
    {
        var store = Store();
        await store.StagePartAsync(Certificates.Batch("b1", Certificates.Make("alice", "H-1", validFrom: "2026-04-01", validTo: "2026-04-30")), default);

        Assert.Single(await store.EligibleAsync("alice", new DateOnly(2026, 4, 1), default));
        Assert.Single(await store.EligibleAsync("alice", new DateOnly(2026, 4, 30), default));
        Assert.Empty(await store.EligibleAsync("alice", new DateOnly(2026, 3, 31), default));
        Assert.Empty(await store.EligibleAsync("alice", new DateOnly(2026, 5, 1), default));
    }

    [SkippableFact]
    public async Task A_not_to_disclose_certificate_is_stored_but_never_returned()
    {
        var store = Store();
        await store.StagePartAsync(Certificates.Batch("b1", Certificates.Make("alice", "H-1", notDisclosed: true), Certificates.Make("alice", "H-2")), default);

        Assert.Equal("H-2", Assert.Single(await store.EligibleAsync("alice", InApril, default)).HistoryKey);
        Assert.Equal(2, (await store.CurrentForPersonAsync("alice", default)).Count);
    }

    [SkippableFact]
    public async Task A_batch_in_parts_becomes_visible_only_when_its_last_part_arrives()
    {
        var store = Store();
        var parts = Certificates.Parts("b1", 2, Certificates.Make("alice", "H-1"), Certificates.Make("alice", "H-2"), Certificates.Make("alice", "H-3"));

        var first = await store.StagePartAsync(parts[1], default);
        Assert.False(first.BatchApplied);
        Assert.Empty(await store.EligibleAsync("alice", InApril, default));

        var last = await store.StagePartAsync(parts[0], default);
        Assert.True(last.BatchApplied);
        Assert.Equal(3, last.AcceptedCount);
        Assert.Equal(3, (await store.EligibleAsync("alice", InApril, default)).Count);
    }

    [SkippableFact]
    public async Task A_part_delivered_again_changes_nothing_and_reports_the_same_result()
    {
        var store = Store();
        var batch = Certificates.Batch("b1", Certificates.Make("alice", "H-1"));
        var first = await store.StagePartAsync(batch, default);
        _time.Advance(TimeSpan.FromMinutes(5));

        var again = await store.StagePartAsync(batch, default);

        Assert.Equal(first, again);
        Assert.Equal(1, await CountAsync("SELECT COUNT(*) FROM subsidy_certificate_revisions"));
        Assert.Equal(1, await CountAsync("SELECT revision FROM subsidy_certificates"));
    }

    [SkippableFact]
    public async Task Parts_arriving_at_the_same_moment_apply_the_batch_exactly_once()
    {
        var store = Store();
        var certificates = Enumerable.Range(0, 40).Select(i => Certificates.Make($"person-{i}", $"H-{i}")).ToArray();
        var parts = Certificates.Parts("b1", 5, certificates);

        var outcomes = await Task.WhenAll(parts.Select(p => Task.Run(() => store.StagePartAsync(p, default))));

        Assert.Equal(8, outcomes.Length);
        Assert.Equal(40, await CountAsync("SELECT COUNT(*) FROM subsidy_certificates"));
        Assert.Equal(40, await CountAsync("SELECT COUNT(*) FROM subsidy_certificate_revisions"));
        Assert.Equal("applied", await ScalarAsync<string>("SELECT status FROM staged_batches"));
        Assert.Contains(outcomes, o => o.BatchApplied);
    }

    [SkippableFact]
    public async Task A_large_batch_is_stored_whole_across_many_statements()
    {
        var store = Store();
        var certificates = Enumerable.Range(0, 1201).Select(i => Certificates.Make($"person-{i % 300}", $"H-{i}")).ToArray();

        var outcome = await store.StagePartAsync(Certificates.Batch("big", certificates), default);

        Assert.Equal(1201, outcome.AcceptedCount);
        Assert.Equal(1201, await CountAsync("SELECT COUNT(*) FROM subsidy_certificates"));
        Assert.Equal(1201, await CountAsync("SELECT COUNT(*) FROM subsidy_certificate_revisions"));
        Assert.Equal(4, (await store.EligibleAsync("person-7", InApril, default)).Count); // rows 7, 307, 607, 907
    }

    [SkippableFact]
    public async Task The_same_history_key_twice_in_one_batch_keeps_the_later_row_and_both_revisions()
    {
        var store = Store();
        await store.StagePartAsync(Certificates.Batch("b1", Certificates.Make("alice", "H-1", name: "first"), Certificates.Make("alice", "H-1", name: "second")), default);

        Assert.Equal("second", Assert.Single(await store.EligibleAsync("alice", InApril, default)).CertificationName);
        Assert.Equal(2, await CountAsync("SELECT COUNT(*) FROM subsidy_certificate_revisions"));
    }

    [SkippableFact]
    public async Task A_part_that_contradicts_its_batch_is_refused_and_stores_nothing()
    {
        var store = Store();
        var parts = Certificates.Parts("b1", 1, Certificates.Make("alice", "H-1"), Certificates.Make("alice", "H-2"));
        await store.StagePartAsync(parts[0], default);

        await Assert.ThrowsAsync<InconsistentBatchException>(() => store.StagePartAsync(parts[1] with { PartCount = 3 }, default));

        Assert.Empty(await store.EligibleAsync("alice", InApril, default));
        Assert.Equal(1, await CountAsync("SELECT COUNT(*) FROM staged_batch_parts"));
    }

    private Task<int> CountAsync(string sql) => ScalarAsync<int>(sql);

    private async Task<T> ScalarAsync<T>(string sql) =>
        await _database.Value.Database.RunAsync((c, ct) => c.ExecuteScalarAsync<T>(new CommandDefinition(sql, cancellationToken: ct)), default)
        ?? throw new InvalidOperationException("no value");

    public void Dispose()
    {
        if (_database.IsValueCreated)
        {
            _database.Value.Dispose();
        }

        GC.SuppressFinalize(this);
    }
}

public sealed class SqliteSubsidyCertificateStoreTests() : SubsidyCertificateStoreTests(StorageProvider.Sqlite)
{
    protected override string? WhyNotAvailable => null;
}

public sealed class PostgresSubsidyCertificateStoreTests() : SubsidyCertificateStoreTests(StorageProvider.PostgreSql)
{
    protected override string? WhyNotAvailable => TestServers.WhyNoPostgres;
}

public sealed class SqlServerSubsidyCertificateStoreTests() : SubsidyCertificateStoreTests(StorageProvider.SqlServer)
{
    protected override string? WhyNotAvailable => TestServers.SqlServer is null
        ? "SQL Server tests need PMH_TEST_SQLSERVER (a connection string); none is given and the test script starts none."
        : null;
}
