using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Polly;
using Pmh.Contracts.Vaccination;
using Pmh.Hosting;
using Pmh.Hosting.Privacy;
using Pmh.Hosting.Storage;
using Pmh.Vaccination.Domain.Billing;
using Pmh.Vaccination.Storage;

namespace Pmh.Benchmarks;

/// <summary>
/// A month's claim of N routine doses (one institution, one municipality), closed, reviewed and exported through the
/// hub's HTTP API: the lines stored as the dose transactions store them (<see cref="BillingStore.AddDoseLineAsync"/>,
/// in transactions of 5,000, in a month that has closed) while the hub is stopped, then with the hub running the
/// claim read page by page (<c>?limit=5000&amp;after=</c>, every page within the request timeout), every pending
/// line approved in one request (<c>approve-pending</c>), the first page read again for the totals, and the claim's
/// CSV downloaded (streamed by the hub page by page; counted here as it arrives, never held).
/// </summary>
internal static class ClaimBenchmark
{
    private const string Institution = PmhHubFactory.ClinicCode;
    private const string Municipality = TestData.Chiyoda;
    private const int PageSize = 5_000;

    public static async Task<string> RunAsync(string storage, int doses)
    {
        Console.WriteLine($"starting a hub on {storage} to migrate its databases...");
        await using var hub = await HubProcess.StartAsync(new HubSetup(storage, Distributed: false) { Development = false }).ConfigureAwait(false);
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

        // The last month that has closed by the real clock (the hub runs on it): its claim can be decided.
        var month = ClaimMonth.EarliestOpenAt(DateTimeOffset.UtcNow).Previous;
        var recordedAt = new DateTimeOffset(month.Year, month.Month, 20, 3, 0, 0, TimeSpan.Zero);

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
                            i % 4 == 0 ? "MR" : "DPT-IPV-HIB", 1 + (i % 3), new DateOnly(month.Year, month.Month, 1 + (i % 28)), "routineA",
                            i % 1000 == 999 ? LineAmounts.Unpriced : new LineAmounts(i % 4 == 0 ? 10_890 : 15_312, i % 7 == 0 ? 1_000 : 0, true),
                            recordedAt), ct).ConfigureAwait(false);
                    }

                    return 0;
                },
                CancellationToken.None).ConfigureAwait(false);
        }

        load.Stop();
        await hub.RestartAsync().ConfigureAwait(false);
        var claimId = BillingStore.ClaimId(Institution, Municipality, month);
        var path = $"/api/v1/municipalities/{Municipality}/vaccination-claims/{claimId}";
        using var http = new HttpClient { BaseAddress = hub.BaseAddress, Timeout = TimeSpan.FromMinutes(5) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", PmhHubFactory.ChiyodaKey);
        var expectedBilled = Enumerable.Range(0, doses).Where(i => i % 1000 != 999).Sum(i => (long)(i % 4 == 0 ? 10_890 : 15_312) - (i % 7 == 0 ? 1_000 : 0));
        var expectedPending = doses - Enumerable.Range(0, doses).Count(i => i % 1000 == 999);

        // Warm the hub's paths once (a page of one line), so the figures are the claim's, not the first request's.
        (await GetAsync(http, $"{path}?limit=1").ConfigureAwait(false)).Dispose();

        var read = Stopwatch.StartNew();
        var pages = 0;
        var lines = 0;
        var slowestPage = TimeSpan.Zero;
        string? cursor = null;
        JsonObject? firstPage = null;
        do
        {
            var pageClock = Stopwatch.StartNew();
            using var response = await GetAsync(http, $"{path}?limit={PageSize}" + (cursor is null ? "" : $"&after={Uri.EscapeDataString(cursor)}")).ConfigureAwait(false);
            var page = (await response.Content.ReadFromJsonAsync<JsonObject>().ConfigureAwait(false))!;
            slowestPage = TimeSpan.FromTicks(Math.Max(slowestPage.Ticks, pageClock.Elapsed.Ticks));
            firstPage ??= page;
            pages++;
            lines += page["lines"]!.AsArray().Count;
            cursor = (string?)page["nextCursor"];
        }
        while (cursor is not null);
        read.Stop();
        if (lines != doses || (int?)firstPage["lineCount"] != doses || (long?)firstPage["billedTotalYen"] != expectedBilled)
        {
            throw new InvalidOperationException($"read {lines} lines of {(int?)firstPage["lineCount"]}, billed {(long?)firstPage["billedTotalYen"]}; expected {doses} and {expectedBilled}");
        }

        var approve = Stopwatch.StartNew();
        using (var approved = await http.PostAsync($"{path}/approve-pending", null).ConfigureAwait(false))
        {
            if (approved.StatusCode != HttpStatusCode.OK)
            {
                throw new InvalidOperationException($"approve-pending answered {(int)approved.StatusCode}: {await approved.Content.ReadAsStringAsync().ConfigureAwait(false)}");
            }
        }

        approve.Stop();
        var reread = Stopwatch.StartNew();
        using var again = await GetAsync(http, $"{path}?limit={PageSize}").ConfigureAwait(false);
        var after = (await again.Content.ReadFromJsonAsync<JsonObject>().ConfigureAwait(false))!;
        reread.Stop();
        var approvedCount = after["stateCounts"]!.AsArray().Where(c => (string?)c!["state"] == "approved").Sum(c => (int)c!["lines"]!);
        if ((long?)after["approvedTotalYen"] != expectedBilled || approvedCount != expectedPending)
        {
            throw new InvalidOperationException($"approved {approvedCount} lines, {(long?)after["approvedTotalYen"]} yen; expected {expectedPending} and {expectedBilled}");
        }

        var export = Stopwatch.StartNew();
        using var csvRequest = new HttpRequestMessage(HttpMethod.Get, path);
        csvRequest.Headers.Accept.ParseAdd("text/csv");
        using var csvResponse = await http.SendAsync(csvRequest, HttpCompletionOption.ResponseHeadersRead).ConfigureAwait(false);
        csvResponse.EnsureSuccessStatusCode();
        var firstByte = export.Elapsed;
        long bytes = 0, rows = 0;
        await using (var body = await csvResponse.Content.ReadAsStreamAsync().ConfigureAwait(false))
        {
            var buffer = new byte[81_920];
            int read1;
            while ((read1 = await body.ReadAsync(buffer).ConfigureAwait(false)) > 0)
            {
                bytes += read1;
                rows += buffer.AsSpan(0, read1).Count((byte)'\n');
            }
        }

        export.Stop();
        if (rows != doses + 1)
        {
            throw new InvalidOperationException($"the CSV has {rows} rows; expected {doses + 1} (header and lines)");
        }

        var hubPeak = hub.PeakWorkingSetMiB().Values.Sum();
        using var process = Process.GetCurrentProcess();
        return HubProcess.Format(FormattableStringFactory.Create("{0}",
            $"vaccination claim {storage} {doses:N0} doses over HTTP: lines stored {load.Elapsed.TotalSeconds:F2} s ({doses / load.Elapsed.TotalSeconds:N0}/s); " +
            $"closed claim read in {pages} pages of {PageSize:N0} {read.Elapsed.TotalSeconds:F2} s (slowest page {slowestPage.TotalSeconds:F2} s); " +
            $"{approvedCount:N0} pending lines approved in one request {approve.Elapsed.TotalSeconds:F2} s; first page read again {reread.Elapsed.TotalSeconds:F2} s; " +
            $"CSV {bytes / 1_048_576.0:F1} MiB streamed {export.Elapsed.TotalSeconds:F2} s (first byte {firstByte.TotalSeconds:F2} s) | " +
            $"billed {expectedBilled:N0} yen = approved (exact) | peak working set: hub {hubPeak:N0} MiB, benchmark process {process.PeakWorkingSet64 / 1_048_576.0:N0} MiB"));
    }

    private static async Task<HttpResponseMessage> GetAsync(HttpClient http, string path)
    {
        var response = await http.GetAsync(path).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            var body = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
            response.Dispose();
            throw new InvalidOperationException($"GET {path} answered {(int)response.StatusCode}: {body}");
        }

        return response;
    }
}
