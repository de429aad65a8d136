using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Polly;
using Pmh.Contracts.Vaccination;
using Pmh.Hosting;
using Pmh.Hosting.Privacy;
using Pmh.Hosting.Storage;
using Pmh.Vaccination.Apis;
using Pmh.Vaccination.Domain.Billing;
using Pmh.Vaccination.Storage;

namespace Pmh.Benchmarks;

/// <summary>
/// A month's claim of N routine doses (one institution, one municipality), closed and exported: the lines stored as
/// the dose transactions store them (<see cref="BillingStore.AddDoseLineAsync"/>, in transactions of 5,000), then,
/// with the clock past the close, the claim read (<see cref="BillingStore.ClaimAsync"/>: the lines, the person
/// references, exact totals), every line approved (decisions of 10,000 lines per request) and the claim written as CSV
/// (<see cref="ClaimCsv"/>). The database is the vaccination service's own, migrated by a hub process first.
/// </summary>
internal static class ClaimBenchmark
{
    private const string Institution = "1310123458";
    private const string Municipality = TestData.Chiyoda;

    public static async Task<string> RunAsync(string storage, int doses)
    {
        Console.WriteLine($"starting a hub on {storage} to migrate its databases...");
        await using var hub = await HubProcess.StartAsync(storage).ConfigureAwait(false);
        await hub.StopAsync().ConfigureAwait(false);
        var database = storage == "postgres"
            ? new ServiceDatabase("Vaccination", StorageProvider.PostgreSql, hub.DatabaseOf("Vaccination"), typeof(BillingStore).Assembly, ResiliencePipeline.Empty)
            : new ServiceDatabase(
                "Vaccination",
                StorageProvider.Sqlite,
                new SqliteConnectionStringBuilder { DataSource = hub.DatabaseOf("Vaccination"), Pooling = false, DefaultTimeout = 30 }.ToString(),
                typeof(BillingStore).Assembly,
                ResiliencePipeline.Empty);
        var secret = HubSecret.FromConfiguration(
            new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [HubSecret.ConfigurationKey] = PmhHubFactory.HubSecret }).Build(),
            new Microsoft.Extensions.Hosting.Internal.HostingEnvironment { EnvironmentName = "Testing" });
        var personKeys = new PersonKeys(secret);
        var month = new ClaimMonth(2026, 11);
        var recordedAt = new DateTimeOffset(2026, 11, 30, 3, 0, 0, TimeSpan.Zero);
        var clock = new FixedClock(month.ClosesAt.AddHours(1));
        var store = new BillingStore(database, clock, personKeys);

        var load = Stopwatch.StartNew();
        const int perTransaction = 5_000;
        for (var from = 0; from < doses; from += perTransaction)
        {
            var first = from;
            await database.InTransactionAsync(
                async (connection, transaction, ct) =>
                {
                    for (var i = first; i < Math.Min(first + perTransaction, doses); i++)
                    {
                        await BillingStore.AddDoseLineAsync(connection, transaction, new NewClaimLine(
                            Institution, Municipality, string.Create(CultureInfo.InvariantCulture, $"bench-{i}"), string.Create(CultureInfo.InvariantCulture, $"submission:{Institution}:bench-{i}"),
                            personKeys.Fingerprint(BitConverter.GetBytes(i)), string.Create(CultureInfo.InvariantCulture, $"A{i:D7}"),
                            i % 4 == 0 ? "MR" : "DPT-IPV-HIB", 1 + (i % 3), new DateOnly(2026, 11, 1 + (i % 30)), "routineA",
                            i % 1000 == 999 ? LineAmounts.Unpriced : new LineAmounts(i % 4 == 0 ? 10_890 : 15_312, i % 7 == 0 ? 1_000 : 0, true),
                            recordedAt), ct).ConfigureAwait(false);
                    }

                    return 0;
                },
                CancellationToken.None).ConfigureAwait(false);
        }

        load.Stop();
        var claimId = BillingStore.ClaimId(Institution, Municipality, month);
        GC.Collect();
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);

        var read = Stopwatch.StartNew();
        var claim = (await store.ClaimAsync(ClaimViewers.Municipality, Municipality, claimId, CancellationToken.None).ConfigureAwait(false))!;
        read.Stop();

        var decide = Stopwatch.StartNew();
        foreach (var chunk in claim.Lines.Where(l => l.Priced).Chunk(ClaimDecisionsRequestValidator.MaxLines))
        {
            var (decided, _, errors) = await store.DecideAsync(
                new DecideVaccinationClaimLines
                {
                    MunicipalityCode = Municipality,
                    ClaimId = claimId,
                    Lines = chunk.Select(l => new ClaimLineDecision(l.LineId, ClaimRules.Approved, null)).ToList(),
                },
                CancellationToken.None).ConfigureAwait(false);
            if (decided is null)
            {
                throw new InvalidOperationException("decisions refused: " + string.Join("; ", errors));
            }
        }

        decide.Stop();
        var reread = Stopwatch.StartNew();
        claim = (await store.ClaimAsync(ClaimViewers.Municipality, Municipality, claimId, CancellationToken.None).ConfigureAwait(false))!;
        reread.Stop();
        var export = Stopwatch.StartNew();
        var csv = ClaimCsv.Write(claim);
        export.Stop();
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        var expectedBilled = Enumerable.Range(0, doses).Where(i => i % 1000 != 999).Sum(i => (long)(i % 4 == 0 ? 10_890 : 15_312) - (i % 7 == 0 ? 1_000 : 0));
        if (claim.LineCount != doses || claim.BilledTotalYen != expectedBilled || claim.ApprovedTotalYen != expectedBilled)
        {
            throw new InvalidOperationException($"claim has {claim.LineCount} lines, billed {claim.BilledTotalYen}, approved {claim.ApprovedTotalYen}; expected {doses} and {expectedBilled}");
        }

        using var process = Process.GetCurrentProcess();
        return HubProcess.Format(FormattableStringFactory.Create("{0}",
            $"vaccination claim {storage} {doses:N0} doses: lines stored {load.Elapsed.TotalSeconds:F2} s ({doses / load.Elapsed.TotalSeconds:N0}/s); " +
            $"closed claim read {read.Elapsed.TotalSeconds:F2} s; {claim.LineCount - claim.UnpricedCount:N0} lines approved {decide.Elapsed.TotalSeconds:F2} s; " +
            $"read again {reread.Elapsed.TotalSeconds:F2} s; CSV {csv.Length / 1_048_576.0:F1} MiB written {export.Elapsed.TotalSeconds:F2} s | " +
            $"billed {claim.BilledTotalYen:N0} yen = approved {claim.ApprovedTotalYen:N0} yen (exact), {claim.UnpricedCount} unpriced | " +
            $"allocated {allocated / 1_048_576.0:N0} MiB from the read to the CSV, peak working set {process.PeakWorkingSet64 / 1_048_576.0:N0} MiB"));
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
