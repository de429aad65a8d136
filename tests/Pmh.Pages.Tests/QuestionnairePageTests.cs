using System.Net;
using System.Text.Json.Nodes;
using Pmh.Identity.Simulator;
using Pmh.Testing;

namespace Pmh.Pages.Tests;

/// <summary>The citizen's questionnaire page (the definition as a form, proved with the card) and the desk that sees what was sent.</summary>
public sealed class QuestionnairePageTests : IDisposable
{
    private readonly PmhHubFactory _hub = new();

    public void Dispose() => _hub.Dispose();

    private static readonly Dictionary<string, string> MrAnswers = new(StringComparer.Ordinal)
    {
        ["temperature"] = "36.6", ["readLeaflet"] = "yes", ["unwellToday"] = "no", ["illLastMonth"] = "no", ["contactsIll"] = "no",
        ["vaccinatedLastMonth"] = "no", ["underCare"] = "no", ["seizures"] = "no", ["allergy"] = "yes", ["previousReaction"] = "no",
        ["familyImmunodeficiency"] = "no", ["transfusion"] = "no", ["consent"] = "yes",
    };

    private async Task<SimulatedCard> ChildCardAsync(int seed)
    {
        var card = _hub.Cards.Issue();
        Assert.Equal(HttpStatusCode.Created,
            (await ReceptionDesk.RegisterCardAsync(_hub.ClientFor(PmhHubFactory.CardIssuerKey), card, TestData.MyNumber(seed), "2025-04-01")).StatusCode);
        return card;
    }

    /// <summary>What the page's script does: a challenge from the citizen's page (data-challenge), signed by the card, then the form posted with the answers.</summary>
    private static async Task<(HttpResponseMessage Response, string Html)> SubmitAsync(
        PageSession citizen, Func<byte[], byte[]> sign, byte[] certificate, IReadOnlyDictionary<string, string> answers)
    {
        var (challengeResponse, challengeJson) = await citizen.PostAsync("/me?handler=challenge", []);
        Assert.Equal(HttpStatusCode.OK, challengeResponse.StatusCode);
        var challenge = JsonNode.Parse(challengeJson)!.AsObject();
        var fields = new List<KeyValuePair<string, string>>
        {
            new("challengeId", (string)challenge["challengeId"]!),
            new("certificate", Convert.ToBase64String(certificate)),
            new("signature", Convert.ToBase64String(sign(Convert.FromBase64String((string)challenge["nonce"]!)))),
            new("vaccine", "MR"),
            new("doseNumber", "1"),
            new("answeredBy", "山田 花子（母）"),
        };
        fields.AddRange(answers.Select(a => new KeyValuePair<string, string>("answers." + a.Key, a.Value)));
        return await citizen.PostAsync("/me/questionnaire?handler=submit", fields);
    }

    [Fact]
    public async Task The_questionnaire_page_renders_each_question_of_the_definition_as_an_input_of_its_answer_type()
    {
        var citizen = new PageSession(_hub);

        var (response, html) = await citizen.GetAsync("/me/questionnaire?vaccine=MR");
        var (unknown, _) = await citizen.GetAsync("/me/questionnaire?vaccine=NOPE");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("id=\"q-temperature\" name=\"answers.temperature\" type=\"number\"", html, StringComparison.Ordinal);
        Assert.Contains("id=\"q-consent-yes\" name=\"answers.consent\" value=\"yes\"", html, StringComparison.Ordinal);
        Assert.Contains("data-challenge=\"/me?handler=challenge\"", html, StringComparison.Ordinal);
        Assert.Contains("card-check.js", html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [Fact]
    public async Task A_questionnaire_submitted_from_the_page_is_pending_at_the_desk_s_next_check()
    {
        var card = await ChildCardAsync(401);
        var citizen = new PageSession(_hub);
        await citizen.GetAsync("/me/questionnaire?vaccine=MR");

        var (response, html) = await SubmitAsync(citizen, card.Sign, card.CertificateDer, MrAnswers);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var id = PageSession.TextOf(html, "questionnaire-id")!;
        Assert.StartsWith("q-", id, StringComparison.Ordinal);
        Assert.Matches(@"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$", PageSession.TextOf(html, "questionnaire-valid-until")!);
        Assert.Equal("allergy", PageSession.TextOf(html, "questionnaire-attention"));
        var desk = new PageSession(_hub);
        await desk.SignInAsync(PmhHubFactory.ClinicKey);
        var today = DateOnly.FromDateTime(DateTime.UtcNow.AddHours(9)).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var (checkResponse, checkHtml) = await desk.CheckCardAsync(nonce => (card.CertificateDer, card.Sign(nonce)), ["vaccination"], today);
        Assert.Equal(HttpStatusCode.OK, checkResponse.StatusCode);
        Assert.Contains("id=\"vaccination-questionnaires\"", checkHtml, StringComparison.Ordinal);
        Assert.Contains($"<td>{id}</td>", checkHtml, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Answers_the_definition_refuses_are_named_on_the_page_and_nothing_is_stored()
    {
        var card = await ChildCardAsync(402);
        var citizen = new PageSession(_hub);
        await citizen.GetAsync("/me/questionnaire?vaccine=MR");
        var answers = new Dictionary<string, string>(MrAnswers, StringComparer.Ordinal) { ["temperature"] = "45" };

        var (response, html) = await SubmitAsync(citizen, card.Sign, card.CertificateDer, answers);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("<li>answers.temperature: ", html, StringComparison.Ordinal);
        Assert.Contains("value=\"45\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"questionnaire-id\"", html, StringComparison.Ordinal);
        var desk = new PageSession(_hub);
        await desk.SignInAsync(PmhHubFactory.ClinicKey);
        var today = DateOnly.FromDateTime(DateTime.UtcNow.AddHours(9)).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var (_, checkHtml) = await desk.CheckCardAsync(nonce => (card.CertificateDer, card.Sign(nonce)), ["vaccination"], today);
        Assert.Contains("id=\"vaccination-questionnaires\"", checkHtml, StringComparison.Ordinal);
        Assert.Contains("未使用の予診票はありません。", checkHtml, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_desk_records_a_dose_with_the_person_s_questionnaire_and_the_doctor_s_decision_from_the_form_naming_a_missing_doctor_in_words()
    {
        var card = await ChildCardAsync(403);
        var citizen = new PageSession(_hub);
        await citizen.GetAsync("/me/questionnaire?vaccine=MR");
        var (_, sent) = await SubmitAsync(citizen, card.Sign, card.CertificateDer, MrAnswers);
        var id = PageSession.TextOf(sent, "questionnaire-id")!;
        var desk = new PageSession(_hub);
        await desk.SignInAsync(PmhHubFactory.ClinicKey);
        var today = DateOnly.FromDateTime(DateTime.UtcNow.AddHours(9)).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var (_, checkHtml) = await desk.CheckCardAsync(nonce => (card.CertificateDer, card.Sign(nonce)), ["vaccination"], today);
        var checkId = PageSession.TextOf(checkHtml, "check-id");
        List<KeyValuePair<string, string>> Dose(string submissionId, string doctor) =>
        [
            new("section", "vaccination"), new("form", "dose"), new("vaccine", "MR"), new("doseNumber", "1"), new("date", today),
            new("programme", "routineA"), new("municipalityCode", TestData.Chiyoda), new("submissionId", submissionId),
            new("questionnaireId", id), new("decision.vaccinate", "true"), new("decision.doctorName", doctor),
            new("decision.decidedAt", $"{today}T10:15+09:00"),
        ];

        var (refused, refusedHtml) = await desk.PostAsync($"/desk/{checkId}?handler=record", Dose("q-dose-1", ""));
        await desk.PostAsync("/language", [new("language", "en"), new("returnUrl", "/")]);
        var (_, english) = await desk.PostAsync($"/desk/{checkId}?handler=record", Dose("q-dose-1", ""));
        var (recorded, recordedHtml) = await desk.PostAsync($"/desk/{checkId}?handler=record", Dose("q-dose-1", "佐藤 医師"));

        Assert.Contains("id=\"vaccination-dose-questionnaireId\"", checkHtml, StringComparison.Ordinal);
        Assert.Contains($"<option value=\"{id}\">{id} — MR 1</option>", checkHtml, StringComparison.Ordinal);
        Assert.Contains("id=\"vaccination-dose-decision.doctorName\"", checkHtml, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        Assert.StartsWith("記録できませんでした: 医師の氏名：", PageSession.TextOf(refusedHtml, "vaccination-dose-outcome"), StringComparison.Ordinal);
        Assert.Matches("id=\"vaccination-dose-decision.doctorName\"[^>]*aria-invalid=\"true\"", refusedHtml);
        Assert.StartsWith("Not recorded: Doctor's name: ", PageSession.TextOf(english, "vaccination-dose-outcome"), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, recorded.StatusCode);
        Assert.StartsWith("Dose recorded", PageSession.TextOf(recordedHtml, "vaccination-dose-outcome"), StringComparison.Ordinal);
    }
}
