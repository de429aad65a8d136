using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;
using Pmh.Contracts.Vaccination;
using Pmh.Identity.Simulator;
using Pmh.Testing;
using Pmh.Vaccination.Fhir;

namespace Pmh.Gateway.Tests.Apis;

public sealed class VaccinationApiTests : IDisposable
{
    private static readonly object AllKinds = new { subsidy = true, vaccination = true, maternalChild = true };
    private readonly PmhHubFactory _hub;
    private readonly HttpClient _clinic;
    private readonly HttpClient _chiyoda;

    public VaccinationApiTests()
    {
        _hub = new PmhHubFactory();
        _clinic = _hub.ClientFor(PmhHubFactory.ClinicKey);
        _chiyoda = _hub.ClientFor(PmhHubFactory.ChiyodaKey);
    }

    public void Dispose() => _hub.Dispose();

    private static JsonObject Record(string myNumber, string key, string vaccine, int dose, string date, string programme = "routineA") => new()
    {
        ["recordKey"] = key,
        ["myNumber"] = myNumber,
        ["localPersonId"] = "A-" + myNumber[..4],
        ["vaccine"] = vaccine,
        ["doseNumber"] = dose,
        ["date"] = date,
        ["lotNumber"] = "LOT" + dose,
        ["institutionCode"] = "1310123458",
        ["programme"] = programme,
    };

    private Task<HttpResponseMessage> UploadAsync(string batchId, params JsonObject[] records) =>
        _chiyoda.PostAsync(
            $"/api/v1/municipalities/{TestData.Chiyoda}/vaccination-records",
            new StringContent(new JsonObject { ["batchId"] = batchId, ["records"] = new JsonArray(records.Select(r => (JsonNode)r).ToArray()) }.ToJsonString(), Encoding.UTF8, "application/json"));

    /// <summary>A child born 2025-04-01 with a registered card, in Chiyoda's register with two Hib doses.</summary>
    private async Task<(SimulatedCard Card, string MyNumber)> ChildAsync(int seed)
    {
        var myNumber = TestData.MyNumber(seed);
        var card = _hub.Cards.Issue();
        await ReceptionDesk.RegisterCardAsync(_hub.ClientFor(PmhHubFactory.CardIssuerKey), card, myNumber, "2025-04-01");
        Assert.Equal(HttpStatusCode.Accepted, (await UploadAsync($"reg-{seed}",
            Record(myNumber, $"R-{seed}-1", "HIB", 1, "2025-06-03"),
            Record(myNumber, $"R-{seed}-2", "HIB", 2, "2025-07-01"))).StatusCode);
        Assert.Equal("completed", (string?)(await _chiyoda.WaitForBatchAsync($"reg-{seed}"))["status"]);
        return (card, myNumber);
    }

    private async Task<string> CheckAsync(SimulatedCard card, HttpClient? desk = null, object? consent = null)
    {
        var response = await ReceptionDesk.CheckAsync(desk ?? _clinic, card, consent ?? AllKinds, "2025-08-01");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (string)(await response.JsonAsync())["checkId"]!;
    }

    private Task<HttpResponseMessage> SubmitAsync(string checkId, string submissionId, string vaccine = "HIB", int dose = 3, HttpClient? desk = null) =>
        (desk ?? _clinic).PostAsJsonAsync("/api/v1/vaccinations", new
        {
            checkId,
            submissionId,
            vaccine,
            doseNumber = dose,
            date = "2025-08-01",
            lotNumber = "X123",
            programme = "routineA",
        });

    [Fact]
    public async Task The_reception_check_returns_history_newest_first_and_eligibility()
    {
        var (card, _) = await ChildAsync(1);

        var body = await (await ReceptionDesk.CheckAsync(_clinic, card, AllKinds, "2025-08-01")).JsonAsync();

        var part = body["vaccination"]!;
        Assert.Equal("provided", (string?)part["status"]);
        Assert.Equal([2, 1], part["doses"]!.AsArray().Select(d => (int)d!["doseNumber"]!));
        var hib = part["eligibility"]!.AsArray().Single(e => (string?)e!["series"] == "HIB")!;
        Assert.Equal(3, (int?)hib["nextDose"]);
        Assert.NotNull(part["scheduleVersion"]);
        Assert.DoesNotContain("localPersonId", part.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_same_submission_twice_stores_one_dose_and_publishes_one_event()
    {
        var (card, _) = await ChildAsync(2);
        var checkId = await CheckAsync(card);

        var first = await SubmitAsync(checkId, "sub-1");
        var again = await SubmitAsync(checkId, "sub-1");

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        var (firstBody, againBody) = (await first.JsonAsync(), await again.JsonAsync());
        Assert.Equal((string?)firstBody["recordId"], (string?)againBody["recordId"]);
        Assert.Equal(TestData.Chiyoda, (string?)againBody["municipalityCode"]);
        var harness = _hub.Services.GetTestHarness();
        // The event leaves through the vaccination database's outbox, after the answer: wait for it, then count.
        await Eventually.UntilAsync(() => harness.Published.Select<VaccinationDoseRecorded>().Any(), "the dose's event");
        Assert.Single(harness.Published.Select<VaccinationDoseRecorded>());
        var history = await (await _clinic.GetAsync($"/api/v1/reception/checks/{checkId}/vaccinations")).JsonAsync();
        Assert.Equal(3, history["doses"]!.AsArray().Count);
    }

    [Fact]
    public async Task The_same_submission_id_with_another_dose_is_a_conflict()
    {
        var (card, _) = await ChildAsync(3);
        var checkId = await CheckAsync(card);
        await SubmitAsync(checkId, "sub-1");

        var response = await SubmitAsync(checkId, "sub-1", dose: 4);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.NotNull((await response.JsonAsync())["errors"]!["submissionId"]);
    }

    [Fact]
    public async Task A_submission_for_another_participants_check_is_refused()
    {
        var (card, _) = await ChildAsync(4);
        var checkId = await CheckAsync(card);
        var pharmacy = _hub.ClientFor(PmhHubFactory.PharmacyKey);

        var response = await SubmitAsync(checkId, "sub-x", desk: pharmacy);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.False(await _hub.Services.GetTestHarness().Published.Any<VaccinationDoseRecorded>(Quick()));
    }

    [Fact]
    public async Task Bad_submissions_get_400_naming_each_field_and_store_nothing()
    {
        var (card, _) = await ChildAsync(5);
        var checkId = await CheckAsync(card);

        var response = await _clinic.PostAsJsonAsync("/api/v1/vaccinations", new
        {
            checkId,
            submissionId = "has spaces",
            vaccine = "mr",
            doseNumber = 0,
            date = "2025-13-01",
            programme = "sometimes",
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.JsonAsync())["errors"]!.AsObject().Select(e => e.Key).Order();
        Assert.Equal(["date", "doseNumber", "programme", "submissionId", "vaccine"], errors);
        Assert.False(await _hub.Services.GetTestHarness().Published.Any<VaccinationDoseRecorded>(Quick()));
    }

    [Fact]
    public async Task A_person_in_no_register_needs_the_municipality_code()
    {
        var card = _hub.Cards.Issue();
        await ReceptionDesk.RegisterCardAsync(_hub.ClientFor(PmhHubFactory.CardIssuerKey), card, TestData.MyNumber(6), "2025-04-01");
        var checkId = await CheckAsync(card);

        var refused = await SubmitAsync(checkId, "sub-1");
        var accepted = await _clinic.PostAsJsonAsync("/api/v1/vaccinations", new
        {
            checkId, submissionId = "sub-2", municipalityCode = TestData.Hachioji, vaccine = "BCG", doseNumber = 1, date = "2025-08-01", programme = "routineA",
        });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        Assert.NotNull((await refused.JsonAsync())["errors"]!["municipalityCode"]);
        Assert.Equal(HttpStatusCode.Created, accepted.StatusCode);
        Assert.Equal(TestData.Hachioji, (string?)(await accepted.JsonAsync())["municipalityCode"]);
    }

    [Fact]
    public async Task The_history_is_served_as_FHIR_when_asked_and_parses_back()
    {
        var (card, _) = await ChildAsync(7);
        var checkId = await CheckAsync(card);
        var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/reception/checks/{checkId}/vaccinations");
        request.Headers.Accept.ParseAdd("application/fhir+json");

        var response = await _clinic.SendAsync(request);

        Assert.Equal("application/fhir+json", response.Content.Headers.ContentType?.MediaType);
        var bundle = ImmunizationBundle.Parse(await response.Content.ReadAsStringAsync());
        var immunizations = bundle.Entry.Select(e => (Hl7.Fhir.Model.Immunization)e.Resource!).ToList();
        Assert.Equal(2, immunizations.Count);
        Assert.Equal("2025-07-01", immunizations[0].Occurrence.ToString());
        Assert.Equal("LOT2", immunizations[0].LotNumber);
        Assert.Equal($"{TestData.Chiyoda}:R-7-2", immunizations[0].Identifier.Single().Value);
    }

    [Fact]
    public async Task Without_consent_the_history_cannot_be_read()
    {
        var (card, _) = await ChildAsync(8);
        var checkId = await CheckAsync(card, consent: new { subsidy = true, vaccination = false });

        Assert.Equal(HttpStatusCode.Forbidden, (await _clinic.GetAsync($"/api/v1/reception/checks/{checkId}/vaccinations")).StatusCode);
    }

    [Fact]
    public async Task The_municipality_feed_returns_each_dose_once_in_order_from_a_cursor()
    {
        var (card, myNumber) = await ChildAsync(9);
        var checkId = await CheckAsync(card);
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(HttpStatusCode.Created, (await SubmitAsync(checkId, $"sub-{i}", dose: 3 + i)).StatusCode);
        }

        var page1 = await (await _chiyoda.GetAsync($"/api/v1/municipalities/{TestData.Chiyoda}/vaccination-events?after=0&limit=3")).JsonAsync();
        var page2 = await (await _chiyoda.GetAsync($"/api/v1/municipalities/{TestData.Chiyoda}/vaccination-events?after={page1["next"]}&limit=3")).JsonAsync();
        var page3 = await (await _chiyoda.GetAsync($"/api/v1/municipalities/{TestData.Chiyoda}/vaccination-events?after={page2["next"]}")).JsonAsync();

        var doses = page1["events"]!.AsArray().Concat(page2["events"]!.AsArray()).Select(e => (int)e!["doseNumber"]!).ToList();
        Assert.Equal([3, 4, 5, 6, 7], doses);
        Assert.Empty(page3["events"]!.AsArray());
        var first = page1["events"]![0]!;
        Assert.Equal("A-" + myNumber[..4], (string?)first["localPersonId"]);
        Assert.NotNull((string?)first["personRef"]);
        Assert.DoesNotContain(myNumber, page1.ToJsonString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, (await _chiyoda.GetAsync($"/api/v1/municipalities/{TestData.Hachioji}/vaccination-events")).StatusCode);
    }

    [Fact]
    public async Task The_feed_continues_across_a_restart()
    {
        var folder = Path.Combine(Path.GetTempPath(), "pmh-tests", Guid.NewGuid().ToString("N"));
        long cursor;
        using var card = TestCards.Shared.Issue();
        string myNumber = TestData.MyNumber(10);
        await using (var before = new PmhHubFactory(dataFolder: folder))
        {
            await ReceptionDesk.RegisterCardAsync(before.ClientFor(PmhHubFactory.CardIssuerKey), card, myNumber, "2025-04-01");
            var clinic = before.ClientFor(PmhHubFactory.ClinicKey);
            var check = (string)(await (await ReceptionDesk.CheckAsync(clinic, card, AllKinds, "2025-08-01")).JsonAsync())["checkId"]!;
            await clinic.PostAsJsonAsync("/api/v1/vaccinations", new { checkId = check, submissionId = "a", municipalityCode = TestData.Chiyoda, vaccine = "BCG", doseNumber = 1, date = "2025-08-01", programme = "routineA" });
            var page = await (await before.ClientFor(PmhHubFactory.ChiyodaKey).GetAsync($"/api/v1/municipalities/{TestData.Chiyoda}/vaccination-events")).JsonAsync();
            Assert.Single(page["events"]!.AsArray());
            cursor = (long)page["next"]!;
        }

        await using var after = new PmhHubFactory(dataFolder: folder);
        var clinicAfter = after.ClientFor(PmhHubFactory.ClinicKey);
        var checkAfter = (string)(await (await ReceptionDesk.CheckAsync(clinicAfter, card, AllKinds, "2025-08-01")).JsonAsync())["checkId"]!;
        await clinicAfter.PostAsJsonAsync("/api/v1/vaccinations", new { checkId = checkAfter, submissionId = "b", vaccine = "HEPB", doseNumber = 1, date = "2025-08-01", programme = "routineA", municipalityCode = TestData.Chiyoda });

        var next = await (await after.ClientFor(PmhHubFactory.ChiyodaKey).GetAsync($"/api/v1/municipalities/{TestData.Chiyoda}/vaccination-events?after={cursor}")).JsonAsync();
        var again = await (await after.ClientFor(PmhHubFactory.ChiyodaKey).GetAsync($"/api/v1/municipalities/{TestData.Chiyoda}/vaccination-events")).JsonAsync();

        Assert.Equal(["HEPB"], next["events"]!.AsArray().Select(e => (string?)e!["vaccine"]));
        Assert.Equal(cursor + 1, (long)next["events"]![0]!["sequence"]!);
        Assert.Equal(["BCG", "HEPB"], again["events"]!.AsArray().Select(e => (string?)e!["vaccine"]));
    }

    [Fact]
    public async Task Register_uploads_have_batch_semantics_and_bad_rows_are_reported()
    {
        var myNumber = TestData.MyNumber(11);
        var bad = Record(myNumber, "R-2", "HIB", 0, "2025-02-30", "later");
        var response = await UploadAsync("reg-bad", Record(myNumber, "R-1", "HIB", 1, "2025-06-03"), bad, Record(myNumber, "R-1", "HIB", 1, "2025-06-03"));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var batch = await _chiyoda.WaitForBatchAsync("reg-bad");
        Assert.Equal(1, (int?)batch["acceptedCount"]);
        var rejected = batch["rejected"]!.AsArray().Select(r => ((int)r!["index"]!, (string)r["field"]!)).ToList();
        Assert.Contains((1, "doseNumber"), rejected);
        Assert.Contains((1, "date"), rejected);
        Assert.Contains((1, "programme"), rejected);
        Assert.Contains((2, "recordKey"), rejected);

        var again = await UploadAsync("reg-bad", Record(myNumber, "R-1", "HIB", 1, "2025-06-03"), (JsonObject)bad.DeepClone(), Record(myNumber, "R-1", "HIB", 1, "2025-06-03"));
        Assert.Equal(batch.ToJsonString(), (await again.JsonAsync()).ToJsonString());

        var allBad = await UploadAsync("reg-allbad", (JsonObject)bad.DeepClone());
        Assert.Equal(HttpStatusCode.UnprocessableEntity, allBad.StatusCode);
        Assert.NotNull((await allBad.JsonAsync())["errors"]!["records[0].doseNumber"]);
    }

    [Fact]
    public async Task A_register_upload_can_be_CSV()
    {
        var myNumber = TestData.MyNumber(12);
        var csv = $"""
            recordKey,myNumber,localPersonId,vaccine,doseNumber,date,lotNumber,institutionCode,programme
            C-1,{myNumber},A-1,MR,1,2026-04-02,M1,1310123458,routineA
            C-2,{myNumber},A-1,MR,2,2026-05-07,,,routineA
            """;

        var response = await _chiyoda.PostAsync($"/api/v1/municipalities/{TestData.Chiyoda}/vaccination-records?batchId=csv-v1", new StringContent(csv, Encoding.UTF8, "text/csv"));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(2, (int?)(await _chiyoda.WaitForBatchAsync("csv-v1"))["acceptedCount"]);
    }

    private static CancellationToken Quick() => new CancellationTokenSource(TimeSpan.FromMilliseconds(300)).Token;
}
