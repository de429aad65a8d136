using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using MassTransit.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Pmh.Contracts.Audit;
using Pmh.Identity.Simulator;
using Pmh.Testing;

namespace Pmh.Vaccination.Tests.Apis;

/// <summary>Price tables, claim lines, monthly claims, decisions and the claim CSV, over HTTP on the embedded hub with a fake clock.</summary>
public sealed class BillingApiTests : IDisposable
{
    private readonly PmhHubFactory _factory = new();
    private readonly Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactory<Program> _hub;
    private readonly FakeTimeProvider _clock;
    private readonly HttpClient _clinic;
    private readonly HttpClient _chiyoda;
    private readonly HttpClient _hachioji;
    private readonly DateOnly _today;

    public BillingApiTests()
    {
        // Today, at 12:00 in Japan: the day's doses, then the clock moves past the close.
        var now = DateTimeOffset.UtcNow;
        var japanToday = Pmh.Contracts.Validation.PlausibleDates.Today(now);
        _clock = new FakeTimeProvider(new DateTimeOffset(japanToday.Year, japanToday.Month, japanToday.Day, 12, 0, 0, TimeSpan.FromHours(9)));
        _today = japanToday;
        _hub = _factory.WithWebHostBuilder(b => b.ConfigureTestServices(s => s.AddSingleton<TimeProvider>(_clock)));
        _clinic = Client(PmhHubFactory.ClinicKey);
        _chiyoda = Client(PmhHubFactory.ChiyodaKey);
        _hachioji = Client(PmhHubFactory.HachiojiKey);
    }

    public void Dispose()
    {
        _hub.Dispose();
        _factory.Dispose();
    }

    private HttpClient Client(string key)
    {
        var client = _hub.CreateClient();
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    private string Month => _today.ToString("yyyy-MM", CultureInfo.InvariantCulture);

    private string Today => _today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static JsonObject Price(string vaccine, string programme, string validFrom, long unitPrice, long patientShare = 0, string? validTo = null, bool questionnaire = false) => new()
    {
        ["vaccine"] = vaccine,
        ["programme"] = programme,
        ["validFrom"] = validFrom,
        ["validTo"] = validTo,
        ["unitPriceYen"] = unitPrice,
        ["patientShareYen"] = patientShare,
        ["questionnaireRequired"] = questionnaire ? "1" : "0",
    };

    private static StringContent Json(JsonNode node) => new(node.ToJsonString(), Encoding.UTF8, "application/json");

    private async Task<JsonObject> PublishPricesAsync(HttpClient municipality, string code, string batchId, params JsonObject[] rows)
    {
        var response = await municipality.PostAsync(
            $"/api/v1/municipalities/{code}/vaccination-prices",
            Json(new JsonObject { ["batchId"] = batchId, ["prices"] = new JsonArray(rows.Select(r => (JsonNode)r).ToArray()) }));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return await WaitForBatchAsync(municipality, batchId);
    }

    private static async Task<JsonObject> WaitForBatchAsync(HttpClient municipality, string batchId) =>
        await Eventually.UntilAsync(
            async () => (await (await municipality.GetAsync($"/api/v1/batches/{batchId}")).Content.ReadFromJsonAsync<JsonObject>())!,
            batch => (string?)batch["status"] != "accepted",
            $"batch {batchId} to leave \"accepted\"");

    /// <summary>A child born 2025-04-01 with a card, in <paramref name="code"/>'s register, and the clinic's check of them today.</summary>
    private async Task<string> RegisteredChildCheckAsync(int seed, HttpClient municipality, string code)
    {
        var myNumber = TestData.MyNumber(seed);
        var card = _factory.Cards.Issue();
        await ReceptionDesk.RegisterCardAsync(Client(PmhHubFactory.CardIssuerKey), card, myNumber, "2025-04-01");
        var register = await municipality.PostAsync(
            $"/api/v1/municipalities/{code}/vaccination-records",
            Json(new JsonObject
            {
                ["batchId"] = $"reg-{seed}",
                ["records"] = new JsonArray(new JsonObject
                {
                    ["recordKey"] = $"R-{seed}", ["myNumber"] = myNumber, ["localPersonId"] = $"L{seed}", ["vaccine"] = "HIB", ["doseNumber"] = 1,
                    ["date"] = "2025-06-03", ["programme"] = "routineA",
                }),
            }));
        Assert.Equal(HttpStatusCode.Accepted, register.StatusCode);
        Assert.Equal("completed", (string?)(await WaitForBatchAsync(municipality, $"reg-{seed}"))["status"]);
        return await CheckAsync(card);
    }

    private async Task<string> CheckAsync(SimulatedCard card)
    {
        var response = await ReceptionDesk.CheckAsync(_clinic, card, new { vaccination = true }, Today);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (string)(await response.Content.ReadFromJsonAsync<JsonObject>())!["checkId"]!;
    }

    private Task<HttpResponseMessage> DoseAsync(string checkId, string submissionId, string vaccine = "MR", string programme = "routineA", int doseNumber = 1) =>
        _clinic.PostAsJsonAsync("/api/v1/vaccinations", new { checkId, submissionId, vaccine, doseNumber, date = Today, programme });

    private async Task<JsonArray> ClaimsAsync(HttpClient client, string path)
    {
        var response = await client.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!["claims"]!.AsArray();
    }

    private void PastTheClose() => _clock.SetUtcNow(
        new DateTimeOffset(_today.Year, _today.Month, 1, 0, 0, 0, TimeSpan.FromHours(9)).AddMonths(1).AddDays(9).AddHours(1));

    [Fact]
    public async Task A_price_table_row_overlapping_an_earlier_one_is_rejected_on_validFrom_and_the_rest_is_stored()
    {
        var batch = await PublishPricesAsync(_chiyoda, TestData.Chiyoda, "prices-1",
            Price("MR", "routineA", "2025-04-01", 10_450, validTo: "2026-03-31"),
            Price("MR", "routineA", "2026-03-01", 10_890),
            Price("MR", "voluntary", "2026-03-01", 10_890),
            Price("FLU", "routineB", "2026-10-01", 4_730, patientShare: 5_000));

        Assert.Equal("completed", (string?)batch["status"]);
        Assert.Equal(1, (int?)batch["acceptedCount"]);
        var rejected = batch["rejected"]!.AsArray().Select(r => ((int?)r!["index"], (string?)r["field"])).ToList();
        Assert.Equal([(1, "validFrom"), (2, "programme"), (3, "patientShareYen")], rejected);
        Assert.Contains("overlaps row 0", (string?)batch["rejected"]![0]!["reason"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_price_table_is_taken_as_CSV_too()
    {
        var csv = "vaccine,programme,validFrom,validTo,unitPriceYen,patientShareYen,questionnaireRequired\r\n"
            + "MR,routineA,2025-04-01,,10890,0,0\r\nHPV,routineA,2025-04-01,,16500,,1\r\n";

        var response = await _chiyoda.PostAsync(
            $"/api/v1/municipalities/{TestData.Chiyoda}/vaccination-prices?batchId=prices-csv", new StringContent(csv, Encoding.UTF8, "text/csv"));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var batch = await WaitForBatchAsync(_chiyoda, "prices-csv");
        Assert.Equal("completed", (string?)batch["status"]);
        Assert.Equal(2, (int?)batch["acceptedCount"]);
    }

    [Fact]
    public async Task A_routine_dose_becomes_a_priced_line_of_the_institutions_monthly_claim_to_the_persons_municipality()
    {
        await PublishPricesAsync(_chiyoda, TestData.Chiyoda, "prices-1", Price("MR", "routineA", "2025-04-01", 10_890, patientShare: 1_000));
        var checkId = await RegisteredChildCheckAsync(201, _chiyoda, TestData.Chiyoda);

        Assert.Equal(HttpStatusCode.Created, (await DoseAsync(checkId, "mr-1")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await DoseAsync(checkId, "mr-1")).StatusCode);

        var claims = await ClaimsAsync(_clinic, $"/api/v1/vaccination-claims?month={Month}");
        var claim = Assert.Single(claims)!;
        Assert.Equal($"{PmhHubFactory.ClinicCode}-{TestData.Chiyoda}-{Month}", (string?)claim["claimId"]);
        Assert.Equal("open", (string?)claim["status"]);
        Assert.Equal(9_890, (long?)claim["billedTotalYen"]);
        var line = Assert.Single(claim["lines"]!.AsArray())!;
        Assert.Equal("pending", (string?)line["state"]);
        Assert.Equal(10_890, (long?)line["unitPriceYen"]);
        Assert.Equal(1_000, (long?)line["patientShareYen"]);
        Assert.Null(line["localPersonId"]);

        var municipal = Assert.Single(await ClaimsAsync(_chiyoda, $"/api/v1/municipalities/{TestData.Chiyoda}/vaccination-claims?month={Month}"))!;
        var municipalLine = Assert.Single(municipal["lines"]!.AsArray())!;
        Assert.Equal("L201", (string?)municipalLine["localPersonId"]);
        Assert.NotEqual((string?)line["personRef"], (string?)municipalLine["personRef"]);
        Assert.DoesNotContain(TestData.MyNumber(201), municipal.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_out_of_area_dose_is_claimed_from_the_persons_own_municipality()
    {
        await PublishPricesAsync(_hachioji, TestData.Hachioji, "prices-h", Price("MR", "routineA", "2025-04-01", 11_000));
        var checkId = await RegisteredChildCheckAsync(202, _hachioji, TestData.Hachioji);

        Assert.Equal(HttpStatusCode.Created, (await DoseAsync(checkId, "mr-h")).StatusCode);

        Assert.Empty(await ClaimsAsync(_chiyoda, $"/api/v1/municipalities/{TestData.Chiyoda}/vaccination-claims?month={Month}"));
        var claim = Assert.Single(await ClaimsAsync(_hachioji, $"/api/v1/municipalities/{TestData.Hachioji}/vaccination-claims?month={Month}"))!;
        Assert.Equal(11_000, (long?)claim["billedTotalYen"]);
    }

    [Fact]
    public async Task A_voluntary_dose_is_not_billed_and_a_routine_dose_without_a_price_is_an_unpriced_line()
    {
        await PublishPricesAsync(_chiyoda, TestData.Chiyoda, "prices-1", Price("MR", "routineA", "2025-04-01", 10_890));
        var checkId = await RegisteredChildCheckAsync(203, _chiyoda, TestData.Chiyoda);

        Assert.Equal(HttpStatusCode.Created, (await DoseAsync(checkId, "vol-1", vaccine: "MR", programme: "voluntary")).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await DoseAsync(checkId, "var-1", vaccine: "VAR")).StatusCode);

        var claim = Assert.Single(await ClaimsAsync(_clinic, $"/api/v1/vaccination-claims?month={Month}"))!;
        var line = Assert.Single(claim["lines"]!.AsArray())!;
        Assert.Equal("VAR", (string?)line["vaccine"]);
        Assert.Equal("unpriced", (string?)line["state"]);
        Assert.False((bool)line["priced"]!);
        Assert.Equal(1, (int?)claim["unpricedCount"]);
        Assert.Equal(0, (long?)claim["billedTotalYen"]);
    }

    [Fact]
    public async Task Lines_are_decided_once_the_claim_has_closed_and_the_institution_sees_each_lines_state()
    {
        await PublishPricesAsync(_chiyoda, TestData.Chiyoda, "prices-1", Price("MR", "routineA", "2025-04-01", 10_890));
        var checkId = await RegisteredChildCheckAsync(204, _chiyoda, TestData.Chiyoda);
        await DoseAsync(checkId, "mr-1");
        await DoseAsync(checkId, "mr-2", doseNumber: 2);
        var claim = Assert.Single(await ClaimsAsync(_chiyoda, $"/api/v1/municipalities/{TestData.Chiyoda}/vaccination-claims?month={Month}"))!;
        var claimId = (string)claim["claimId"]!;
        var lineIds = claim["lines"]!.AsArray().Select(l => (string)l!["lineId"]!).ToList();
        var decisions = new
        {
            lines = new object[]
            {
                new { lineId = lineIds[0], decision = "approved" },
                new { lineId = lineIds[1], decision = "rejected", reason = "=HYPERLINK(\"x\") second dose too early" },
            },
        };
        var path = $"/api/v1/municipalities/{TestData.Chiyoda}/vaccination-claims/{claimId}/decisions";

        var early = await _chiyoda.PostAsJsonAsync(path, decisions);
        PastTheClose();
        var decided = await _chiyoda.PostAsJsonAsync(path, decisions);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, early.StatusCode);
        Assert.Contains("is open until", (await early.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, decided.StatusCode);
        var after = (await decided.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal("closed", (string?)after["status"]);
        Assert.Equal(10_890, (long?)after["approvedTotalYen"]);
        Assert.Equal(10_890, (long?)after["rejectedTotalYen"]);
        var seen = (await (await _clinic.GetAsync($"/api/v1/vaccination-claims/{claimId}")).Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal(["approved", "rejected"], seen["lines"]!.AsArray().Select(l => (string?)l!["state"]));

        var csvRequest = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/vaccination-claims/{claimId}");
        csvRequest.Headers.Accept.ParseAdd("text/csv");
        var csv = await (await _clinic.SendAsync(csvRequest)).Content.ReadAsStringAsync();
        var rows = csv.TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, rows.Length);
        Assert.StartsWith("claimId,institutionCode,municipalityCode,month,lineId", rows[0], StringComparison.Ordinal);
        Assert.Contains(",10890,0,10890,approved,", rows[1], StringComparison.Ordinal);
        Assert.Contains("\"'=HYPERLINK(\"\"x\"\") second dose too early\"", rows[2], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_claim_s_lines_are_read_page_by_page_in_a_stable_order_each_page_with_the_whole_claim_s_totals()
    {
        await PublishPricesAsync(_chiyoda, TestData.Chiyoda, "prices-1", Price("MR", "routineA", "2025-04-01", 10_890));
        var checkId = await RegisteredChildCheckAsync(206, _chiyoda, TestData.Chiyoda);
        await DoseAsync(checkId, "mr-1");
        await DoseAsync(checkId, "mr-2", doseNumber: 2);
        await DoseAsync(checkId, "var-1", vaccine: "VAR");
        var claimId = (string)Assert.Single(await ClaimsAsync(_clinic, $"/api/v1/vaccination-claims?month={Month}"))!["claimId"]!;
        var path = $"/api/v1/municipalities/{TestData.Chiyoda}/vaccination-claims/{claimId}";

        var whole = (await _chiyoda.GetFromJsonAsync<JsonObject>(path))!;
        var first = (await _chiyoda.GetFromJsonAsync<JsonObject>($"{path}?limit=2"))!;
        var second = (await _chiyoda.GetFromJsonAsync<JsonObject>($"{path}?limit=2&after={Uri.EscapeDataString((string)first["nextCursor"]!)}"))!;

        Assert.Null(whole["nextCursor"]);
        Assert.Equal(2, first["lines"]!.AsArray().Count);
        Assert.Single(second["lines"]!.AsArray());
        Assert.Null(second["nextCursor"]);
        Assert.Equal(
            whole["lines"]!.AsArray().Select(l => (string?)l!["lineId"]),
            first["lines"]!.AsArray().Concat(second["lines"]!.AsArray()).Select(l => (string?)l!["lineId"]));
        foreach (var page in new[] { first, second })
        {
            Assert.Equal(3, (int?)page["lineCount"]);
            Assert.Equal(2 * 10_890, (long?)page["billedTotalYen"]);
            Assert.Equal(1, (int?)page["unpricedCount"]);
            Assert.Equal("pending:2,unpriced:1", string.Join(',', page["stateCounts"]!.AsArray().Select(c => $"{(string?)c!["state"]}:{(int?)c["lines"]}")));
        }
    }

    [Theory]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=5001", "limit")]
    [InlineData("limit=ten", "limit")]
    [InlineData("after=not-a-cursor", "after")]
    public async Task A_page_of_lines_that_is_not_one_is_400_naming_the_field(string query, string field)
    {
        var response = await _clinic.GetAsync($"/api/v1/vaccination-claims/{PmhHubFactory.ClinicCode}-{TestData.Chiyoda}-2026-11?{query}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.Content.ReadFromJsonAsync<JsonObject>())!["errors"]![field] is not null);
    }

    [Fact]
    public async Task A_decision_answers_the_decided_lines_and_the_claim_s_new_totals_only()
    {
        await PublishPricesAsync(_chiyoda, TestData.Chiyoda, "prices-1", Price("MR", "routineA", "2025-04-01", 10_890));
        var checkId = await RegisteredChildCheckAsync(207, _chiyoda, TestData.Chiyoda);
        await DoseAsync(checkId, "mr-1");
        await DoseAsync(checkId, "mr-2", doseNumber: 2);
        await DoseAsync(checkId, "mr-3", doseNumber: 3);
        var claim = Assert.Single(await ClaimsAsync(_chiyoda, $"/api/v1/municipalities/{TestData.Chiyoda}/vaccination-claims?month={Month}"))!;
        var lineId = (string)claim["lines"]![1]!["lineId"]!;
        PastTheClose();

        var decided = await _chiyoda.PostAsJsonAsync(
            $"/api/v1/municipalities/{TestData.Chiyoda}/vaccination-claims/{(string)claim["claimId"]!}/decisions",
            new { lines = new object[] { new { lineId, decision = "approved" } } });

        Assert.Equal(HttpStatusCode.OK, decided.StatusCode);
        var answer = (await decided.Content.ReadFromJsonAsync<JsonObject>())!;
        var line = Assert.Single(answer["lines"]!.AsArray())!;
        Assert.Equal(lineId, (string?)line["lineId"]);
        Assert.Equal("approved", (string?)line["state"]);
        Assert.Equal(3, (int?)answer["lineCount"]);
        Assert.Equal(10_890, (long?)answer["approvedTotalYen"]);
        Assert.Equal(3 * 10_890, (long?)answer["billedTotalYen"]);
        Assert.Equal("approved:1,pending:2", string.Join(',', answer["stateCounts"]!.AsArray().Select(c => $"{(string?)c!["state"]}:{(int?)c["lines"]}")));
    }

    [Fact]
    public async Task Every_pending_line_of_a_closed_claim_is_approved_in_one_operation_leaving_unpriced_and_decided_lines_and_it_is_audited()
    {
        await PublishPricesAsync(_chiyoda, TestData.Chiyoda, "prices-1", Price("MR", "routineA", "2025-04-01", 10_890));
        var checkId = await RegisteredChildCheckAsync(208, _chiyoda, TestData.Chiyoda);
        await DoseAsync(checkId, "mr-1");
        await DoseAsync(checkId, "mr-2", doseNumber: 2);
        await DoseAsync(checkId, "mr-3", doseNumber: 3);
        await DoseAsync(checkId, "var-1", vaccine: "VAR");
        var claim = Assert.Single(await ClaimsAsync(_chiyoda, $"/api/v1/municipalities/{TestData.Chiyoda}/vaccination-claims?month={Month}"))!;
        var claimId = (string)claim["claimId"]!;
        var rejectedId = (string)claim["lines"]![0]!["lineId"]!;
        var path = $"/api/v1/municipalities/{TestData.Chiyoda}/vaccination-claims/{claimId}";

        var early = await _chiyoda.PostAsync($"{path}/approve-pending", null);
        PastTheClose();
        await _chiyoda.PostAsJsonAsync($"{path}/decisions", new { lines = new object[] { new { lineId = rejectedId, decision = "rejected", reason = "duplicate" } } });
        var approved = await _chiyoda.PostAsync($"{path}/approve-pending", null);
        var otherMunicipality = await _hachioji.PostAsync($"/api/v1/municipalities/{TestData.Hachioji}/vaccination-claims/{claimId}/approve-pending", null);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, early.StatusCode);
        Assert.True((await early.Content.ReadFromJsonAsync<JsonObject>())!["errors"]!["claim"] is not null);
        Assert.Equal(HttpStatusCode.OK, approved.StatusCode);
        var answer = (await approved.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Empty(answer["lines"]!.AsArray());
        Assert.Equal(2 * 10_890, (long?)answer["approvedTotalYen"]);
        Assert.Equal(10_890, (long?)answer["rejectedTotalYen"]);
        Assert.Equal(HttpStatusCode.NotFound, otherMunicipality.StatusCode);
        var states = (await _chiyoda.GetFromJsonAsync<JsonObject>(path))!["lines"]!.AsArray().Select(l => (string?)l!["state"]);
        Assert.Equal(["rejected", "approved", "approved", "unpriced"], states);
        var harness = _hub.Services.GetTestHarness();
        await Eventually.UntilAsync(
            () => harness.Published.Select<AccessRecorded>().Count(m => m.Context.Message.Detail == $"approved all 2 pending line(s) of claim {claimId}"),
            n => n == 1,
            "the approval of every pending line audited");
    }

    [Fact]
    public async Task A_decision_on_a_line_not_in_the_claim_or_without_a_reason_refuses_every_decision_of_the_request()
    {
        await PublishPricesAsync(_chiyoda, TestData.Chiyoda, "prices-1", Price("MR", "routineA", "2025-04-01", 10_890));
        var checkId = await RegisteredChildCheckAsync(205, _chiyoda, TestData.Chiyoda);
        await DoseAsync(checkId, "mr-1");
        var claim = Assert.Single(await ClaimsAsync(_chiyoda, $"/api/v1/municipalities/{TestData.Chiyoda}/vaccination-claims?month={Month}"))!;
        var claimId = (string)claim["claimId"]!;
        var lineId = (string)claim["lines"]![0]!["lineId"]!;
        PastTheClose();
        var path = $"/api/v1/municipalities/{TestData.Chiyoda}/vaccination-claims/{claimId}/decisions";

        var unknown = await _chiyoda.PostAsJsonAsync(path, new { lines = new object[] { new { lineId, decision = "approved" }, new { lineId = "nope", decision = "approved" } } });
        var noReason = await _chiyoda.PostAsJsonAsync(path, new { lines = new object[] { new { lineId, decision = "rejected" } } });
        var otherMunicipality = await _hachioji.PostAsJsonAsync($"/api/v1/municipalities/{TestData.Hachioji}/vaccination-claims/{claimId}/decisions",
            new { lines = new object[] { new { lineId, decision = "approved" } } });
        var notYours = await _hachioji.PostAsJsonAsync(path, new { lines = new object[] { new { lineId, decision = "approved" } } });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, unknown.StatusCode);
        Assert.Contains("lines[1].lineId", await unknown.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, noReason.StatusCode);
        Assert.Contains("lines[0].reason", await noReason.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, otherMunicipality.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, notYours.StatusCode);
        var still = (await (await _clinic.GetAsync($"/api/v1/vaccination-claims/{claimId}")).Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal("pending", (string?)still["lines"]![0]!["state"]);
    }

    [Fact]
    public async Task A_correction_before_the_close_changes_the_line_and_after_it_adjusts_in_the_next_open_claim()
    {
        await PublishPricesAsync(_chiyoda, TestData.Chiyoda, "prices-1", Price("MR", "routineA", "2025-04-01", 10_890), Price("VAR", "routineA", "2025-04-01", 8_000));
        var checkId = await RegisteredChildCheckAsync(206, _chiyoda, TestData.Chiyoda);
        await DoseAsync(checkId, "mr-1");

        var before = await _clinic.PostAsJsonAsync("/api/v1/vaccinations/mr-1/corrections", new { correctionId = "fix-1", vaccine = "VAR" });
        var repeat = await _clinic.PostAsJsonAsync("/api/v1/vaccinations/mr-1/corrections", new { correctionId = "fix-1", vaccine = "VAR" });
        var conflict = await _clinic.PostAsJsonAsync("/api/v1/vaccinations/mr-1/corrections", new { correctionId = "fix-1", vaccine = "MR" });
        var claim = Assert.Single(await ClaimsAsync(_clinic, $"/api/v1/vaccination-claims?month={Month}"))!;
        PastTheClose();
        var after = await _clinic.PostAsJsonAsync("/api/v1/vaccinations/mr-1/corrections", new { correctionId = "fix-2", programme = "voluntary" });

        Assert.Equal("lineChanged", (string?)(await before.Content.ReadFromJsonAsync<JsonObject>())!["effect"]);
        Assert.True((bool)(await repeat.Content.ReadFromJsonAsync<JsonObject>())!["isRepeat"]!);
        Assert.Equal(HttpStatusCode.Conflict, conflict.StatusCode);
        var line = Assert.Single(claim["lines"]!.AsArray())!;
        Assert.Equal("VAR", (string?)line["vaccine"]);
        Assert.Equal(8_000, (long?)line["billedYen"]);
        var adjusted = (await after.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal("adjustment", (string?)adjusted["effect"]);
        var nextMonth = _today.AddMonths(1).ToString("yyyy-MM", CultureInfo.InvariantCulture);
        Assert.Equal($"{PmhHubFactory.ClinicCode}-{TestData.Chiyoda}-{nextMonth}", (string?)adjusted["claimId"]);
        var next = Assert.Single(await ClaimsAsync(_chiyoda, $"/api/v1/municipalities/{TestData.Chiyoda}/vaccination-claims?month={nextMonth}"))!;
        var adjustment = Assert.Single(next["lines"]!.AsArray())!;
        Assert.Equal("adjustment", (string?)adjustment["kind"]);
        Assert.Equal((string?)line["lineId"], (string?)adjustment["adjustsLineId"]);
        Assert.Equal(-8_000, (long?)next["billedTotalYen"]);
        var csvRequest = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/municipalities/{TestData.Chiyoda}/vaccination-claims/{(string?)adjusted["claimId"]}");
        csvRequest.Headers.Accept.ParseAdd("text/csv");
        Assert.Contains(",-8000,0,-8000,pending,", await (await _chiyoda.SendAsync(csvRequest)).Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_correction_of_a_dose_the_institution_never_submitted_is_404()
    {
        var response = await _clinic.PostAsJsonAsync("/api/v1/vaccinations/nope/corrections", new { correctionId = "fix-1", lotNumber = "L2" });

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Theory]
    [InlineData("")]
    [InlineData("2026-13")]
    [InlineData("2026-1")]
    [InlineData("november")]
    public async Task A_claims_request_without_a_yyyy_MM_month_is_400_naming_month(string month)
    {
        var response = await _clinic.GetAsync($"/api/v1/vaccination-claims?month={month}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("\"month\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Another_municipalitys_claims_are_403_and_another_institutions_claim_is_404()
    {
        Assert.Equal(HttpStatusCode.Forbidden, (await _chiyoda.GetAsync($"/api/v1/municipalities/{TestData.Hachioji}/vaccination-claims?month=2026-11")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _clinic.GetAsync($"/api/v1/vaccination-claims/9999999999-{TestData.Chiyoda}-2026-11")).StatusCode);
    }

    [Fact]
    public async Task Every_read_of_a_claim_is_audited_with_the_reader()
    {
        await _clinic.GetAsync($"/api/v1/vaccination-claims?month={Month}");
        await _chiyoda.GetAsync($"/api/v1/municipalities/{TestData.Chiyoda}/vaccination-claims?month={Month}");

        var harness = _hub.Services.GetTestHarness();
        await Eventually.UntilAsync(
            () => harness.Published.Select<AccessRecorded>().Count(m => m.Context.Message.Purpose == "vaccinationClaim"),
            n => n == 2,
            "two audited claim reads");
        var readers = harness.Published.Select<AccessRecorded>().Where(m => m.Context.Message.Purpose == "vaccinationClaim")
            .Select(m => m.Context.Message.ParticipantCode).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(new[] { TestData.Chiyoda, PmhHubFactory.ClinicCode }.Order(StringComparer.Ordinal), readers);
    }
}
