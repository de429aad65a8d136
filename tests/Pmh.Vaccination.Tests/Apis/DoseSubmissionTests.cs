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
}
