namespace Pmh.Benchmarks;

/// <summary>Bulk publishing against the raw-load baseline, and lookup latency against the number of stored certificates.</summary>
internal static class StorageBenchmarks
{
    /// <summary>
    /// The storage provider's fastest load of the same certificate rows (current and revision rows) into a freshly
    /// migrated subsidy database: one transaction of prepared inserts on SQLite, binary COPY on PostgreSQL.
    /// </summary>
    public static async Task<(string Line, double RowsPerSecond)> RawBaselineAsync(string storage, int rows)
    {
        await using var hub = await HubProcess.StartAsync(storage);
        await hub.StopAsync();
        var took = await LoadAsync(hub, firstSeed: 0, rows, "raw-baseline", revisions: true);
        var perSecond = rows / took.TotalSeconds;
        return (HubProcess.Format($"raw load baseline {storage,-8} {rows} certificates (current + revision rows, {(storage == "postgres" ? "binary COPY" : "one transaction of prepared inserts")}): {took.TotalSeconds:F2} s = {perSecond:F0} rows/s"), perSecond);
    }

    /// <summary>
    /// Lookup latency with <paramref name="stored"/> certificates in the subsidy database (loaded raw as a fixture,
    /// current rows only: lookups never read the revision history): desks doing subsidy-only reception checks for holders spread
    /// over the whole table.
    /// </summary>
    public static async Task<LoadResult> LookupAtSizeAsync(string storage, int stored, int desks, TimeSpan duration, TimeSpan warmup)
    {
        await using var hub = await HubProcess.StartAsync(storage);
        await hub.StopAsync();
        Console.WriteLine(HubProcess.Format($"data size: loading {stored:N0} certificates into {storage}..."));
        var took = await RawCertificateLoad.LoadFixtureAsync(hub.Setup.Storage, hub.DatabaseOf("Subsidy"), stored, "data-size");
        Console.WriteLine(HubProcess.Format($"data size: loaded in {took.TotalSeconds:F1} s; restarting the hub"));
        await hub.RestartAsync();
        var seeds = Enumerable.Range(0, desks).Select(k => (int)((long)k * stored / desks)).ToList();
        var cards = await ReceptionBenchmark.RegisterCardsAsync(hub, seeds);
        try
        {
            return await ReceptionBenchmark.LoadAsync(hub, cards, ReceptionBenchmark.SubsidyOnly, duration, warmup);
        }
        finally
        {
            cards.ForEach(c => c.Dispose());
        }
    }

    private static Task<TimeSpan> LoadAsync(HubProcess hub, int firstSeed, int rows, string batchId, bool revisions) =>
        hub.Setup.Storage == "postgres"
            ? RawCertificateLoad.LoadPostgresAsync(hub.DatabaseOf("Subsidy"), firstSeed, rows, batchId, revisions)
            : RawCertificateLoad.LoadSqliteAsync(hub.DatabaseOf("Subsidy"), firstSeed, rows, batchId, revisions);
}
