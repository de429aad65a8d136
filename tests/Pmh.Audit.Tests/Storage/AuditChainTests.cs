using System.Text.RegularExpressions;
using Dapper;
using Microsoft.Extensions.Time.Testing;
using Pmh.Audit.Storage;
using Pmh.Contracts.Audit;
using Pmh.Hosting;
using Pmh.Testing;

namespace Pmh.Audit.Tests.Storage;

/// <summary>The audit chain on every provider: SQLite always, PostgreSQL when the test server answers.</summary>
public abstract partial class AuditChainTests : IDisposable
{
    private readonly Lazy<TestDatabase> _database;
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 5, 1, 12, 0, 0, TimeSpan.Zero));

    protected AuditChainTests(StorageProvider provider) =>
        _database = new(() => TestDatabase.Create(provider, AuditServiceExtensions.DatabaseName, typeof(AuditServiceExtensions).Assembly));

    protected abstract string? WhyNotAvailable { get; }

    private AuditStore Store()
    {
        Skip.If(WhyNotAvailable is not null, WhyNotAvailable);
        return new AuditStore(_database.Value.Database, _time);
    }

    private async Task<AuditStore> StoreWithEntriesAsync(int count)
    {
        var store = Store();
        for (var i = 0; i < count; i++)
        {
            await store.AppendAsync(AuditEvents.Make(minute: i), default);
        }

        return store;
    }

    private Task<int> ExecuteAsync(string sql, object? parameters = null) =>
        _database.Value.Database.RunAsync((connection, ct) => connection.ExecuteAsync(new CommandDefinition(sql, parameters, cancellationToken: ct)), default).AsTask();

    [SkippableFact]
    public async Task An_appended_chain_verifies_intact()
    {
        var store = await StoreWithEntriesAsync(5);

        var verified = await store.VerifyAsync(default);

        Assert.Equal(new AuditChainVerified { IsIntact = true, EntriesChecked = 5 }, verified);
    }

    [SkippableFact]
    public async Task An_empty_chain_verifies_intact()
    {
        var verified = await Store().VerifyAsync(default);

        Assert.Equal(new AuditChainVerified { IsIntact = true, EntriesChecked = 0 }, verified);
    }

    [SkippableFact]
    public async Task The_same_event_delivered_twice_is_stored_once()
    {
        var store = await StoreWithEntriesAsync(2);
        var access = AuditEvents.Make();

        var first = await store.AppendAsync(access, default);
        var again = await store.AppendAsync(access, default);

        Assert.Equal(new AuditAppend(3, IsRepeat: false), first);
        Assert.Equal(new AuditAppend(3, IsRepeat: true), again);
        Assert.Equal(new AuditChainVerified { IsIntact = true, EntriesChecked = 3 }, await store.VerifyAsync(default));
    }

    [SkippableFact]
    public async Task The_same_event_delivered_ten_times_at_once_is_stored_once()
    {
        var store = Store();
        var access = AuditEvents.Make();

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => Task.Run(() => store.AppendAsync(access, default))));

        Assert.Single(outcomes, o => !o.IsRepeat);
        Assert.All(outcomes, o => Assert.Equal(1, o.Sequence));
        Assert.Equal(new AuditChainVerified { IsIntact = true, EntriesChecked = 1 }, await store.VerifyAsync(default));
    }

    [SkippableFact]
    public async Task Fifty_concurrent_appends_still_form_an_intact_chain_of_fifty()
    {
        var store = Store();

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 50).Select(i => Task.Run(() => store.AppendAsync(AuditEvents.Make(minute: i), default))));

        Assert.Equal(Enumerable.Range(1, 50).Select(i => (long)i), outcomes.Select(o => o.Sequence).Order());
        Assert.Equal(new AuditChainVerified { IsIntact = true, EntriesChecked = 50 }, await store.VerifyAsync(default));
    }

    [SkippableFact]
    public async Task Changing_a_stored_entry_breaks_the_chain_at_that_entry()
    {
        var store = await StoreWithEntriesAsync(5);

        await ExecuteAsync("UPDATE audit_entries SET purpose = 'nothing to see' WHERE sequence = 3");

        Assert.Equal(Broken(3, 3, AuditChainBreaks.EntryChanged), await store.VerifyAsync(default));
    }

    [SkippableFact]
    public async Task Clearing_the_person_of_a_stored_entry_breaks_the_chain_at_that_entry()
    {
        var store = await StoreWithEntriesAsync(5);

        await ExecuteAsync("UPDATE audit_entries SET person_key = NULL WHERE sequence = 2");

        Assert.Equal(Broken(2, 2, AuditChainBreaks.EntryChanged), await store.VerifyAsync(default));
    }

    [SkippableFact]
    public async Task Deleting_an_entry_in_the_middle_reports_it_missing()
    {
        var store = await StoreWithEntriesAsync(5);

        await ExecuteAsync("DELETE FROM audit_entries WHERE sequence = 3");

        var verified = await store.VerifyAsync(default);
        Assert.Equal((false, 3L, AuditChainBreaks.EntryMissing), (verified.IsIntact, verified.FirstBrokenSequence, verified.Reason));
    }

    [SkippableFact]
    public async Task Deleting_the_last_entry_reports_it_missing()
    {
        var store = await StoreWithEntriesAsync(5);

        await ExecuteAsync("DELETE FROM audit_entries WHERE sequence = 5");

        Assert.Equal(Broken(4, 5, AuditChainBreaks.EntryMissing), await store.VerifyAsync(default));
    }

    [SkippableFact]
    public async Task Swapping_the_contents_of_two_entries_breaks_the_chain_at_the_first()
    {
        var store = await StoreWithEntriesAsync(5);

        await SwapAsync(2, 4, DataColumns);

        Assert.Equal(Broken(2, 2, AuditChainBreaks.EntryChanged), await store.VerifyAsync(default));
    }

    [SkippableFact]
    public async Task Swapping_two_whole_entries_with_their_hashes_reports_them_out_of_order()
    {
        var store = await StoreWithEntriesAsync(5);

        await SwapAsync(2, 3, [.. DataColumns, "prev_hash", "hash"]);

        Assert.Equal(Broken(2, 2, AuditChainBreaks.OutOfOrder), await store.VerifyAsync(default));
    }

    [SkippableFact]
    public async Task Appending_after_a_break_does_not_hide_it()
    {
        var store = await StoreWithEntriesAsync(3);
        await ExecuteAsync("UPDATE audit_entries SET outcome = 'denied' WHERE sequence = 2");

        await store.AppendAsync(AuditEvents.Make(), default);

        Assert.Equal(Broken(2, 2, AuditChainBreaks.EntryChanged), await store.VerifyAsync(default));
    }

    [SkippableFact]
    public async Task The_persons_log_lists_only_their_entries_newest_first()
    {
        var store = Store();
        var alice = new[] { AuditEvents.Make("alice", minute: 1), AuditEvents.Make("alice", minute: 5), AuditEvents.Make("alice", minute: 3) };
        await store.AppendAsync(alice[0], default);
        await store.AppendAsync(AuditEvents.Make("bob", minute: 2), default);
        await store.AppendAsync(alice[1], default);
        await store.AppendAsync(AuditEvents.Make(person: null, minute: 4, outcome: AccessOutcomes.CardRejected), default);
        await store.AppendAsync(alice[2], default);

        var log = await store.ForPersonAsync("alice", 500, default);
        var latest = await store.ForPersonAsync("alice", 1, default);

        Assert.Equal([alice[1].EventId, alice[2].EventId, alice[0].EventId], log.Select(e => e.EventId));
        Assert.Equal([alice[1].EventId], latest.Select(e => e.EventId));
        Assert.Empty(await store.ForPersonAsync("carol", 500, default));
    }

    [SkippableFact]
    public async Task An_entry_keeps_exactly_what_the_event_carries_and_no_my_number()
    {
        var store = Store();
        var access = AuditEvents.Make("alice", outcome: AccessOutcomes.CardRejected);

        await store.AppendAsync(access, default);

        var entry = Assert.Single(await store.ForPersonAsync("alice", 10, default));
        Assert.Equal(
            new AuditEntry(1, access.EventId, access.OccurredAt, access.ParticipantId, access.ParticipantName, access.ParticipantRole,
                access.ParticipantCode, access.Kinds, access.Purpose, access.Outcome, access.Detail),
            entry with { Kinds = access.Kinds });
        Assert.Equal(access.Kinds, entry.Kinds);
        var row = (IDictionary<string, object?>)await _database.Value.Database.RunAsync(
            (connection, ct) => connection.QuerySingleAsync(new CommandDefinition("SELECT * FROM audit_entries", cancellationToken: ct)), default);
        Assert.Equal(15, row.Count);
        Assert.Equal(["alice", "[\"subsidy\",\"vaccination\"]", "expired"], new[] { row["person_key"], row["kinds"], row["detail"] });
        Assert.All(row.Values, value => Assert.DoesNotMatch(TwelveDigits(), Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? ""));
    }

    [GeneratedRegex(@"\b\d{12}\b")]
    private static partial Regex TwelveDigits();

    private static readonly string[] DataColumns =
    [
        "event_id", "occurred_at", "participant_id", "participant_name", "participant_role", "participant_code", "person_key",
        "kinds", "purpose", "outcome", "detail", "recorded_at",
    ];

    /// <summary>Swaps <paramref name="columns"/> of two entries, keeping their sequence (and the rest) in place.</summary>
    private async Task SwapAsync(long a, long b, string[] columns)
    {
        var rows = await _database.Value.Database.RunAsync(
            async (connection, ct) => (await connection.QueryAsync(new CommandDefinition(
                $"SELECT sequence, {string.Join(", ", columns)} FROM audit_entries WHERE sequence IN (@A, @B)", new { A = a, B = b }, cancellationToken: ct)))
                .Cast<IDictionary<string, object?>>()
                .ToDictionary(r => Convert.ToInt64(r["sequence"], System.Globalization.CultureInfo.InvariantCulture)),
            default);

        // The event id is unique: park one first.
        await ExecuteAsync("UPDATE audit_entries SET event_id = 'parked' WHERE sequence = @A", new { A = a });
        await SetAsync(b, columns, rows[a]);
        await SetAsync(a, columns, rows[b]);
    }

    private Task<int> SetAsync(long sequence, string[] columns, IDictionary<string, object?> values)
    {
        var parameters = new DynamicParameters();
        parameters.Add("Sequence", sequence);
        foreach (var column in columns)
        {
            parameters.Add(column, values[column]);
        }

        return ExecuteAsync($"UPDATE audit_entries SET {string.Join(", ", columns.Select(c => $"{c} = @{c}"))} WHERE sequence = @Sequence", parameters);
    }

    private static AuditChainVerified Broken(long entriesChecked, long sequence, string reason) =>
        new() { IsIntact = false, EntriesChecked = entriesChecked, FirstBrokenSequence = sequence, Reason = reason };

    public void Dispose()
    {
        if (_database.IsValueCreated)
        {
            _database.Value.Dispose();
        }

        GC.SuppressFinalize(this);
    }
}

public sealed class SqliteAuditChainTests() : AuditChainTests(StorageProvider.Sqlite)
{
    protected override string? WhyNotAvailable => null;
}

public sealed class PostgresAuditChainTests() : AuditChainTests(StorageProvider.PostgreSql)
{
    protected override string? WhyNotAvailable => TestServers.WhyNoPostgres;
}
