namespace Pmh.Benchmarks;

/// <summary>Lookup latency against the number of stored certificates.</summary>
internal static class StorageBenchmarks
{
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
}
