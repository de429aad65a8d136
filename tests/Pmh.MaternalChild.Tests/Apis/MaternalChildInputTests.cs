using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Pmh.Testing;

namespace Pmh.MaternalChild.Tests.Apis;

/// <summary>Implausible maternal-child input over HTTP on the embedded hub.</summary>
public sealed class MaternalChildInputTests : IDisposable
{
    private readonly PmhHubFactory _hub = new();
    private readonly HttpClient _chiyoda;
    private readonly HttpClient _clinic;

    public MaternalChildInputTests()
    {
        _chiyoda = _hub.ClientFor(PmhHubFactory.ChiyodaKey);
        _clinic = _hub.ClientFor(PmhHubFactory.ClinicKey);
    }

    public void Dispose() => _hub.Dispose();

    private async Task<JsonObject> WaitForBatchAsync(string batchId) =>
        await Eventually.UntilAsync(
            async () => (await (await _chiyoda.GetAsync($"/api/v1/batches/{batchId}")).Content.ReadFromJsonAsync<JsonObject>())!,
            batch => (string?)batch["status"] != "accepted",
            $"batch {batchId} to leave \"accepted\"");

    [Fact]
    public async Task Child_rows_born_in_year_1_or_9999_are_rejected_on_birthDate_and_the_rest_stored()
    {
        var response = await _chiyoda.PostAsJsonAsync($"/api/v1/municipalities/{TestData.Chiyoda}/children", new
        {
            batchId = "births",
            children = new[]
            {
                new { recordKey = "C-1", myNumber = TestData.MyNumber(201), birthDate = "2026-01-10" },
                new { recordKey = "C-2", myNumber = TestData.MyNumber(202), birthDate = "0001-01-01" },
                new { recordKey = "C-3", myNumber = TestData.MyNumber(203), birthDate = "9999-12-31" },
            },
        });

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var batch = await WaitForBatchAsync("births");
        Assert.Equal(1, (int?)batch["acceptedCount"]);
        Assert.Equal([(1, "birthDate"), (2, "birthDate")], batch["rejected"]!.AsArray().Select(r => ((int?)r!["index"], (string?)r["field"])));
    }

    [Fact]
    public async Task Pregnancy_rows_with_dates_outside_the_window_are_rejected_naming_the_field()
    {
        var response = await _chiyoda.PostAsJsonAsync($"/api/v1/municipalities/{TestData.Chiyoda}/pregnancies", new
        {
            batchId = "pregs",
            pregnancies = new[]
            {
                new { recordKey = "P-1", myNumber = TestData.MyNumber(211), dueDate = "9999-12-31", registrationDate = "2026-03-01" },
                new { recordKey = "P-2", myNumber = TestData.MyNumber(212), dueDate = "2026-10-01", registrationDate = "0001-01-01" },
            },
        });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync();
        Assert.Contains("dueDate", text, StringComparison.Ordinal);
        Assert.Contains("registrationDate", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/api/v1/maternal-child/infant-checkups")]
    [InlineData("/api/v1/maternal-child/voucher-redemptions")]
    public async Task A_checkup_dated_9999_12_31_is_422_naming_the_date(string path)
    {
        var response = await _clinic.PostAsJsonAsync(path, new
        {
            checkId = Guid.NewGuid().ToString(), submissionId = "s-1", redemptionId = "r-1", voucher = "v", checkup = "1m", ageMonths = 1,
            gestationalWeek = 10, date = "9999-12-31",
        });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var problem = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.StartsWith("must not be after", (string?)problem["errors"]!["date"]![0], StringComparison.Ordinal);
    }
}
