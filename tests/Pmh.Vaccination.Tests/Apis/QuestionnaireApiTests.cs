using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Pmh.Identity.Simulator;
using Pmh.Testing;

namespace Pmh.Vaccination.Tests.Apis;

/// <summary>Questionnaires (予診票): definitions, the citizen's submission with the card, reception, the dose, questionnaireRequired.</summary>
public sealed class QuestionnaireApiTests : IDisposable
{
    private readonly PmhHubFactory _factory = new();
    private readonly Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactory<Program> _hub;
    private readonly FakeTimeProvider _clock;
    private readonly HttpClient _clinic;
    private readonly HttpClient _chiyoda;
    private readonly HttpClient _citizen;
    private readonly DateOnly _today;

    public QuestionnaireApiTests()
    {
        _today = Pmh.Contracts.Validation.PlausibleDates.Today(DateTimeOffset.UtcNow);
        _clock = new FakeTimeProvider(new DateTimeOffset(_today.Year, _today.Month, _today.Day, 9, 0, 0, TimeSpan.FromHours(9)));
        _hub = _factory.WithWebHostBuilder(b => b.ConfigureTestServices(s => s.AddSingleton<TimeProvider>(_clock)));
        _clinic = Client(PmhHubFactory.ClinicKey);
        _chiyoda = Client(PmhHubFactory.ChiyodaKey);
        _citizen = _hub.CreateClient();
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

    private string Today => _today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static StringContent Json(JsonNode node) => new(node.ToJsonString(), Encoding.UTF8, "application/json");

    private static JsonObject FineAnswers(string vaccine)
    {
        var answers = new JsonObject { ["temperature"] = 36.6, ["consent"] = "yes", ["readLeaflet"] = "yes" };
        var noes = vaccine == "MR"
            ? new[] { "unwellToday", "illLastMonth", "contactsIll", "vaccinatedLastMonth", "underCare", "seizures", "allergy", "previousReaction", "familyImmunodeficiency", "transfusion" }
            : ["unwellToday", "illLastMonth", "vaccinatedLastMonth", "underCare", "pregnant", "fainted", "allergy", "previousReaction"];
        foreach (var id in noes)
        {
            answers[id] = "no";
        }

        return answers;
    }

    private async Task<SimulatedCard> RegisteredChildAsync(int seed)
    {
        var myNumber = TestData.MyNumber(seed);
        var card = _factory.Cards.Issue();
        await ReceptionDesk.RegisterCardAsync(Client(PmhHubFactory.CardIssuerKey), card, myNumber, "2025-04-01");
        var register = await _chiyoda.PostAsync(
            $"/api/v1/municipalities/{TestData.Chiyoda}/vaccination-records",
            Json(new JsonObject
            {
                ["batchId"] = $"reg-{seed}",
                ["records"] = new JsonArray(new JsonObject
                {
                    ["recordKey"] = $"R-{seed}", ["myNumber"] = myNumber, ["vaccine"] = "HIB", ["doseNumber"] = 1, ["date"] = "2025-06-03", ["programme"] = "routineA",
                }),
            }));
        Assert.Equal(HttpStatusCode.Accepted, register.StatusCode);
        await Eventually.UntilAsync(
            async () => (string?)(await (await _chiyoda.GetAsync($"/api/v1/batches/reg-{seed}")).Content.ReadFromJsonAsync<JsonObject>())!["status"],
            s => s == "completed",
            "the register batch");
        return card;
    }

    private async Task<HttpResponseMessage> SubmitAsync(SimulatedCard card, string vaccine, JsonObject answers, string answeredBy = "山田 花子（母）")
    {
        var challenge = (await (await _citizen.PostAsync("/api/v1/me/challenges", null)).Content.ReadFromJsonAsync<JsonObject>())!;
        var signature = card.Sign(Convert.FromBase64String((string)challenge["nonce"]!));
        return await _citizen.PostAsync("/api/v1/me/questionnaires", Json(new JsonObject
        {
            ["challengeId"] = (string)challenge["challengeId"]!,
            ["certificate"] = Convert.ToBase64String(card.CertificateDer),
            ["signature"] = Convert.ToBase64String(signature),
            ["vaccine"] = vaccine,
            ["doseNumber"] = 1,
            ["answers"] = answers,
            ["answeredBy"] = answeredBy,
        }));
    }

    private async Task<JsonObject> CheckAsync(SimulatedCard card)
    {
        var response = await ReceptionDesk.CheckAsync(_clinic, card, new { vaccination = true }, Today);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    private Task<HttpResponseMessage> DoseAsync(string checkId, string submissionId, string? questionnaireId, object? decision, string vaccine = "MR") =>
        _clinic.PostAsJsonAsync("/api/v1/vaccinations", new
        {
            checkId, submissionId, vaccine, doseNumber = 1, date = Today, programme = "routineA", questionnaireId, decision,
        });

    private static object Decision(bool vaccinate = true) => new { vaccinate, doctorName = "神田 一郎", decidedAt = "2026-12-03T10:15:00+09:00" };

    private static async Task<string> ReasonAsync(HttpResponseMessage response, string field)
    {
        await response.Content.LoadIntoBufferAsync();
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
        var reasons = problem["errors"]?[field]?.AsArray();
        Assert.True(reasons is not null, $"no error for {field}: {problem.ToJsonString()}");
        return string.Join(" ", reasons.Select(r => (string?)r));
    }

    [Fact]
    public async Task The_definition_in_force_is_served_to_citizens_and_desks_and_an_unknown_vaccine_is_404()
    {
        var citizen = (await (await _citizen.GetAsync("/api/v1/me/questionnaires/HPV")).Content.ReadFromJsonAsync<JsonObject>())!;
        var desk = await _clinic.GetAsync("/api/v1/questionnaires/FLU");
        var unknown = await _citizen.GetAsync("/api/v1/me/questionnaires/BCG");

        Assert.Equal("hpv", (string?)citizen["id"]);
        Assert.Equal("paraphrase, official wording not available offline", (string?)citizen["wordingSource"]);
        Assert.Contains(citizen["questions"]!.AsArray(), q => (string?)q!["id"] == "pregnant");
        Assert.Equal(HttpStatusCode.OK, desk.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Contains("questionnaires exist for", await ReasonAsync(unknown, "vaccine"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_submitted_questionnaire_is_pending_at_reception_then_used_by_the_dose_with_the_doctors_decision()
    {
        var card = await RegisteredChildAsync(301);
        var answers = FineAnswers("MR");
        answers["temperature"] = "37.6";

        var submitted = await SubmitAsync(card, "MR", answers);

        Assert.Equal(HttpStatusCode.Created, submitted.StatusCode);
        var accepted = (await submitted.Content.ReadFromJsonAsync<JsonObject>())!;
        var questionnaireId = (string)accepted["questionnaireId"]!;
        Assert.Equal(["temperature"], accepted["attention"]!.AsArray().Select(a => (string?)a));
        var check = await CheckAsync(card);
        var pending = Assert.Single(check["vaccination"]!["questionnaires"]!.AsArray())!;
        Assert.Equal(questionnaireId, (string?)pending["questionnaireId"]);
        Assert.Equal("山田 花子（母）", (string?)pending["answeredBy"]);
        Assert.Equal("37.6", (string?)pending["answers"]!["temperature"]);

        var dose = await DoseAsync((string)check["checkId"]!, "mr-1", questionnaireId, Decision());
        var again = await DoseAsync((string)check["checkId"]!, "mr-2", questionnaireId, Decision());

        Assert.Equal(HttpStatusCode.Created, dose.StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, again.StatusCode);
        Assert.Equal("was used for another dose already", await ReasonAsync(again, "questionnaireId"));
        Assert.Empty((await CheckAsync(card))["vaccination"]!["questionnaires"]!.AsArray());
    }

    [Fact]
    public async Task Answers_that_do_not_fit_the_definition_are_422_naming_each_answer_and_nothing_is_stored()
    {
        var card = await RegisteredChildAsync(302);
        var answers = FineAnswers("MR");
        answers["consent"] = "maybe";
        answers.Remove("seizures");
        answers["mood"] = "fine";

        var response = await SubmitAsync(card, "MR", answers);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal("must be yes or no", await ReasonAsync(response, "answers.consent"));
        Assert.Equal("is required", await ReasonAsync(response, "answers.seizures"));
        Assert.StartsWith("is not a question of child", await ReasonAsync(response, "answers.mood"), StringComparison.Ordinal);
        Assert.Empty((await CheckAsync(card))["vaccination"]!["questionnaires"]!.AsArray());
    }

    [Fact]
    public async Task A_questionnaire_signed_with_a_card_that_is_not_registered_is_422_on_certificate()
    {
        var response = await SubmitAsync(_factory.Cards.Issue(), "HPV", FineAnswers("HPV"));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal("unregisteredCard", await ReasonAsync(response, "certificate"));
    }

    [Fact]
    public async Task An_expired_questionnaire_is_no_longer_pending_and_cannot_be_used()
    {
        var card = await RegisteredChildAsync(303);
        var id = (string)(await (await SubmitAsync(card, "MR", FineAnswers("MR"))).Content.ReadFromJsonAsync<JsonObject>())!["questionnaireId"]!;

        _clock.Advance(TimeSpan.FromHours(37));
        var check = await CheckAsync(card);
        var dose = await DoseAsync((string)check["checkId"]!, "mr-1", id, Decision());

        Assert.Empty(check["vaccination"]!["questionnaires"]!.AsArray());
        Assert.Equal(HttpStatusCode.UnprocessableEntity, dose.StatusCode);
        Assert.StartsWith("expired at", await ReasonAsync(dose, "questionnaireId"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Someone_elses_questionnaire_or_one_for_another_vaccine_cannot_be_used()
    {
        var child = await RegisteredChildAsync(304);
        var other = await RegisteredChildAsync(305);
        var othersId = (string)(await (await SubmitAsync(other, "MR", FineAnswers("MR"))).Content.ReadFromJsonAsync<JsonObject>())!["questionnaireId"]!;
        var hpvId = (string)(await (await SubmitAsync(child, "HPV", FineAnswers("HPV"))).Content.ReadFromJsonAsync<JsonObject>())!["questionnaireId"]!;
        var checkId = (string)(await CheckAsync(child))["checkId"]!;

        var notTheirs = await DoseAsync(checkId, "mr-1", othersId, Decision());
        var wrongVaccine = await DoseAsync(checkId, "mr-2", hpvId, Decision());

        Assert.Equal("is not a questionnaire of the checked person", await ReasonAsync(notTheirs, "questionnaireId"));
        Assert.Equal("was answered for HPV, not MR", await ReasonAsync(wrongVaccine, "questionnaireId"));
    }

    [Fact]
    public async Task A_questionnaire_without_the_doctors_decision_or_a_decision_not_to_vaccinate_is_400()
    {
        var card = await RegisteredChildAsync(306);
        var checkId = (string)(await CheckAsync(card))["checkId"]!;

        var noDecision = await DoseAsync(checkId, "mr-1", "q-0123", null);
        var declined = await DoseAsync(checkId, "mr-2", "q-0123", Decision(vaccinate: false));

        Assert.Equal(HttpStatusCode.BadRequest, noDecision.StatusCode);
        Assert.StartsWith("is required with a questionnaire", await ReasonAsync(noDecision, "decision"), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, declined.StatusCode);
        Assert.StartsWith("must be true", await ReasonAsync(declined, "decision.vaccinate"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_municipality_that_requires_the_questionnaire_gets_422_for_a_routine_dose_without_one()
    {
        var prices = await _chiyoda.PostAsync($"/api/v1/municipalities/{TestData.Chiyoda}/vaccination-prices", Json(new JsonObject
        {
            ["batchId"] = "prices-q",
            ["prices"] = new JsonArray(new JsonObject
            {
                ["vaccine"] = "MR", ["programme"] = "routineA", ["validFrom"] = "2025-04-01", ["unitPriceYen"] = 10_890, ["questionnaireRequired"] = "1",
            }),
        }));
        Assert.Equal(HttpStatusCode.Accepted, prices.StatusCode);
        await Eventually.UntilAsync(
            async () => (string?)(await (await _chiyoda.GetAsync("/api/v1/batches/prices-q")).Content.ReadFromJsonAsync<JsonObject>())!["status"],
            s => s == "completed",
            "the price batch");
        var card = await RegisteredChildAsync(307);
        var questionnaireId = (string)(await (await SubmitAsync(card, "MR", FineAnswers("MR"))).Content.ReadFromJsonAsync<JsonObject>())!["questionnaireId"]!;
        var checkId = (string)(await CheckAsync(card))["checkId"]!;

        var without = await DoseAsync(checkId, "mr-1", null, null);
        var voluntary = await _clinic.PostAsJsonAsync("/api/v1/vaccinations", new { checkId, submissionId = "vol-1", vaccine = "MR", doseNumber = 1, date = Today, programme = "voluntary" });
        var with = await DoseAsync(checkId, "mr-2", questionnaireId, Decision());

        Assert.Equal(HttpStatusCode.UnprocessableEntity, without.StatusCode);
        Assert.Contains("requires a pre-vaccination questionnaire", await ReasonAsync(without, "questionnaireId"), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Created, voluntary.StatusCode);
        Assert.Equal(HttpStatusCode.Created, with.StatusCode);
    }

    [Fact]
    public async Task The_citizens_access_log_shows_which_institution_read_the_questionnaire()
    {
        var card = await RegisteredChildAsync(308);
        await SubmitAsync(card, "MR", FineAnswers("MR"));
        await CheckAsync(card);

        var entries = await Eventually.UntilAsync(
            async () =>
            {
                var challenge = (await (await _citizen.PostAsync("/api/v1/me/challenges", null)).Content.ReadFromJsonAsync<JsonObject>())!;
                var log = await _citizen.PostAsync("/api/v1/me/access-log", Json(new JsonObject
                {
                    ["challengeId"] = (string)challenge["challengeId"]!,
                    ["certificate"] = Convert.ToBase64String(card.CertificateDer),
                    ["signature"] = Convert.ToBase64String(card.Sign(Convert.FromBase64String((string)challenge["nonce"]!))),
                }));
                return (await log.Content.ReadFromJsonAsync<JsonObject>())!["entries"]!.AsArray();
            },
            e => e.Any(x => (string?)x!["purpose"] == "vaccinationQuestionnaire"),
            "the questionnaire read in the citizen's log");

        var read = entries.First(x => (string?)x!["purpose"] == "vaccinationQuestionnaire")!;
        Assert.Equal(PmhHubFactory.ClinicCode, (string?)read["institutionCode"]);
    }
}
