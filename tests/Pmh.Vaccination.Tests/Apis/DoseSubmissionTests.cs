using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Pmh.Identity.Simulator;
using Pmh.Testing;

namespace Pmh.Vaccination.Tests.Apis;

/// <summary>Doses submitted at reception and uploaded by municipalities, over HTTP on the embedded hub.</summary>
public sealed class DoseSubmissionTests : IDisposable
{
    private static readonly object VaccinationOnly = new { vaccination = true };
    private readonly PmhHubFactory _hub = new();
    private readonly HttpClient _clinic;
    private readonly HttpClient _chiyoda;
    private readonly HttpClient _hachioji;

    public DoseSubmissionTests()
    {
        _clinic = _hub.ClientFor(PmhHubFactory.ClinicKey);
        _chiyoda = _hub.ClientFor(PmhHubFactory.ChiyodaKey);
        _hachioji = _hub.ClientFor(PmhHubFactory.HachiojiKey);
    }

    public void Dispose() => _hub.Dispose();

    private static JsonObject Record(string myNumber, string key, string vaccine = "HIB", string date = "2025-06-03") => new()
    {
        ["recordKey"] = key,
        ["myNumber"] = myNumber,
        ["vaccine"] = vaccine,
        ["doseNumber"] = 1,
        ["date"] = date,
        ["programme"] = "routineA",
    };

    private Task<HttpResponseMessage> UploadAsync(string batchId, params JsonObject[] records) =>
        _chiyoda.PostAsync(
            $"/api/v1/municipalities/{TestData.Chiyoda}/vaccination-records",
            new StringContent(
                new JsonObject { ["batchId"] = batchId, ["records"] = new JsonArray(records.Select(r => (JsonNode)r).ToArray()) }.ToJsonString(),
                Encoding.UTF8,
                "application/json"));

    private async Task<JsonObject> WaitForBatchAsync(string batchId) =>
        await Eventually.UntilAsync(
            async () => (await (await _chiyoda.GetAsync($"/api/v1/batches/{batchId}")).Content.ReadFromJsonAsync<JsonObject>())!,
            batch => (string?)batch["status"] != "accepted",
            $"batch {batchId} to leave \"accepted\"");

    /// <summary>A child born 2025-04-01 with a card, in Chiyoda's register (one Hib dose), and a desk's check.</summary>
    private async Task<string> RegisteredChildCheckAsync(int seed)
    {
        var myNumber = TestData.MyNumber(seed);
        var card = _hub.Cards.Issue();
        await ReceptionDesk.RegisterCardAsync(_hub.ClientFor(PmhHubFactory.CardIssuerKey), card, myNumber, "2025-04-01");
        Assert.Equal(HttpStatusCode.Accepted, (await UploadAsync($"reg-{seed}", Record(myNumber, $"R-{seed}"))).StatusCode);
        Assert.Equal("completed", (string?)(await WaitForBatchAsync($"reg-{seed}"))["status"]);
        return await CheckAsync(card);
    }

    private async Task<string> CheckAsync(SimulatedCard card)
    {
        var response = await ReceptionDesk.CheckAsync(_clinic, card, VaccinationOnly, "2025-08-01");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (string)(await response.Content.ReadFromJsonAsync<JsonObject>())!["checkId"]!;
    }

    private Task<HttpResponseMessage> SubmitAsync(string checkId, string submissionId, string? municipalityCode = null, string vaccine = "HIB", string date = "2025-08-01") =>
        _clinic.PostAsJsonAsync("/api/v1/vaccinations", new
        {
            checkId, submissionId, municipalityCode, vaccine, doseNumber = 2, date, programme = "routineA",
        });

    private static async Task<string> ReasonAsync(HttpResponseMessage response, string field)
    {
        var problem = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        var reasons = problem["errors"]?[field]?.AsArray();
        Assert.True(reasons is not null, $"no error for {field}: {problem.ToJsonString()}");
        return string.Join(" ", reasons.Select(r => (string?)r));
    }

    private async Task<int> FeedCountAsync(HttpClient municipality, string code) =>
        (await (await municipality.GetAsync($"/api/v1/municipalities/{code}/vaccination-events")).Content.ReadFromJsonAsync<JsonObject>())!["events"]!
        .AsArray().Count;

    [Fact]
    public async Task A_dose_for_a_registered_person_naming_another_municipality_is_422_and_reaches_no_feed()
    {
        var checkId = await RegisteredChildCheckAsync(101);

        var response = await SubmitAsync(checkId, "sub-1", municipalityCode: TestData.Hachioji);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal(
            $"the person is in {TestData.Chiyoda}'s register; omit municipalityCode or send {TestData.Chiyoda}",
            await ReasonAsync(response, "municipalityCode"));
        Assert.Equal(0, await FeedCountAsync(_hachioji, TestData.Hachioji));
        Assert.Equal(0, await FeedCountAsync(_chiyoda, TestData.Chiyoda));
    }

    [Fact]
    public async Task A_dose_for_a_registered_person_naming_their_own_municipality_is_recorded()
    {
        var checkId = await RegisteredChildCheckAsync(102);

        var response = await SubmitAsync(checkId, "sub-1", municipalityCode: TestData.Chiyoda);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(1, await FeedCountAsync(_chiyoda, TestData.Chiyoda));
    }

    [Theory]
    [InlineData("9999-12-31", "must not be after")]
    [InlineData("0001-01-01", "must not be before the person's date of birth 2025-04-01")]
    [InlineData("2025-03-31", "must not be before the person's date of birth 2025-04-01")]
    public async Task A_dose_dated_outside_birth_to_tomorrow_is_422_naming_the_date(string date, string reason)
    {
        var checkId = await RegisteredChildCheckAsync(103);

        var response = await SubmitAsync(checkId, "sub-1", date: date);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains(reason, await ReasonAsync(response, "date"), StringComparison.Ordinal);
        Assert.Equal(0, await FeedCountAsync(_chiyoda, TestData.Chiyoda));
    }

    [Fact]
    public async Task A_dose_dated_two_days_ahead_is_422_and_one_dated_tomorrow_is_recorded()
    {
        var checkId = await RegisteredChildCheckAsync(104);
        var today = Pmh.Contracts.Validation.PlausibleDates.Today(TimeProvider.System);

        var ahead = await SubmitAsync(checkId, "sub-1", date: today.AddDays(2).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        var tomorrow = await SubmitAsync(checkId, "sub-2", date: today.AddDays(1).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, ahead.StatusCode);
        Assert.Contains("must not be after", await ReasonAsync(ahead, "date"), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Created, tomorrow.StatusCode);
    }

    [Theory]
    [InlineData("NOPE")]
    [InlineData("ZZZ-1")]
    public async Task A_dose_of_a_vaccine_code_the_schedule_does_not_know_is_422_listing_the_known_codes(string vaccine)
    {
        var checkId = await RegisteredChildCheckAsync(105);

        var response = await SubmitAsync(checkId, "sub-1", vaccine: vaccine);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var reason = await ReasonAsync(response, "vaccine");
        Assert.Contains("is not a vaccine code of the schedule table", reason, StringComparison.Ordinal);
        Assert.Contains("DPT-IPV-HIB", reason, StringComparison.Ordinal);
        var history = (await (await _clinic.GetAsync($"/api/v1/reception/checks/{checkId}/vaccinations")).Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Single(history["doses"]!.AsArray());
    }

    [Fact]
    public async Task Register_rows_with_implausible_dates_or_unknown_vaccines_are_rejected_by_field_and_the_rest_stored()
    {
        var myNumber = TestData.MyNumber(106);

        var response = await UploadAsync(
            "implausible",
            Record(myNumber, "ok"),
            Record(myNumber, "far-future", date: "9999-12-31"),
            Record(myNumber, "ancient", date: "0001-01-01"),
            Record(myNumber, "nope", vaccine: "NOPE"),
            Record(myNumber, "zzz", vaccine: "ZZZ-1"));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var batch = await WaitForBatchAsync("implausible");
        Assert.Equal(1, (int?)batch["acceptedCount"]);
        var rejected = batch["rejected"]!.AsArray().Select(r => ((int?)r!["index"], (string?)r["field"])).ToList();
        Assert.Equal([(1, "date"), (2, "date"), (3, "vaccine"), (4, "vaccine")], rejected);
    }
}
