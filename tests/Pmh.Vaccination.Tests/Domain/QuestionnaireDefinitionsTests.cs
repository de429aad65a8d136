using Pmh.Vaccination.Domain.Questionnaires;

namespace Pmh.Vaccination.Tests.Domain;

/// <summary>The questionnaire definitions (予診票) as data, and answers checked against them.</summary>
public sealed class QuestionnaireDefinitionsTests
{
    private static readonly DateOnly Day = new(2026, 12, 3);

    private static Dictionary<string, string?> AllFine(QuestionnaireDefinition definition) =>
        definition.Questions.Where(q => q.Required).ToDictionary(
            q => q.Id,
            q => (string?)(q.Type == QuestionnaireDefinitions.Temperature ? "36.5" : q.AttentionIf == "yes" ? "no" : "yes"),
            StringComparer.Ordinal);

    [Theory]
    [InlineData("MR", "child")]
    [InlineData("DPT-IPV", "child")]
    [InlineData("DPT-IPV-HIB", "child")]
    [InlineData("HPV", "hpv")]
    [InlineData("FLU", "elderly-influenza")]
    public void Each_vaccine_of_the_standard_forms_has_a_definition_that_says_its_wording_is_a_paraphrase(string vaccine, string id)
    {
        var definition = QuestionnaireDefinitions.Default.For(vaccine, Day)!;

        Assert.Equal(id, definition.Id);
        Assert.Equal("paraphrase, official wording not available offline", definition.WordingSource);
        Assert.Contains("定期接種実施要領", definition.Source, StringComparison.Ordinal);
        Assert.Contains(definition.Questions, q => q.Id == "temperature" && q.AttentionFrom == 37.5m);
        Assert.Contains(definition.Questions, q => q.Id == "consent" && q.Required);
    }

    [Fact]
    public void A_question_for_some_vaccines_only_is_asked_only_for_them()
    {
        Assert.Contains(QuestionnaireDefinitions.Default.For("MR", Day)!.Questions, q => q.Id == "transfusion");
        Assert.DoesNotContain(QuestionnaireDefinitions.Default.For("DPT-IPV", Day)!.Questions, q => q.Id == "transfusion");
    }

    [Fact]
    public void A_vaccine_without_a_questionnaire_has_no_definition() => Assert.Null(QuestionnaireDefinitions.Default.For("BCG", Day));

    [Fact]
    public void Complete_ordinary_answers_are_valid_and_need_no_attention()
    {
        var definition = QuestionnaireDefinitions.Default.For("MR", Day)!;

        var check = QuestionnaireDefinitions.Check(definition, AllFine(definition));

        Assert.True(check.IsValid, string.Join("; ", check.Errors));
        Assert.Empty(check.Attention);
    }

    [Theory]
    [InlineData("37.4", false)]
    [InlineData("37.5", true)]
    [InlineData("39", true)]
    public void A_temperature_from_37_5_needs_the_doctors_attention(string temperature, bool attention)
    {
        var definition = QuestionnaireDefinitions.Default.For("HPV", Day)!;
        var answers = AllFine(definition);
        answers["temperature"] = temperature;

        var check = QuestionnaireDefinitions.Check(definition, answers);

        Assert.True(check.IsValid);
        Assert.Equal(attention, check.Attention.Contains("temperature"));
    }

    [Fact]
    public void A_yes_to_a_health_question_and_a_no_to_consent_need_the_doctors_attention()
    {
        var definition = QuestionnaireDefinitions.Default.For("FLU", Day)!;
        var answers = AllFine(definition);
        answers["respiratory"] = "yes";
        answers["consent"] = "no";

        Assert.Equal(["respiratory", "consent"], QuestionnaireDefinitions.Check(definition, answers).Attention);
    }

    [Theory]
    [InlineData("temperature", "41.95", "must be a temperature in degrees Celsius from 34.0 to 42.0 with at most one decimal")]
    [InlineData("temperature", "45", "must be a temperature in degrees Celsius from 34.0 to 42.0 with at most one decimal")]
    [InlineData("temperature", "３６.５", "must be a temperature in degrees Celsius from 34.0 to 42.0 with at most one decimal")]
    [InlineData("consent", "はい", "must be yes or no")]
    [InlineData("consent", null, "is required")]
    [InlineData("mood", "good", "is not a question of child version 2026-04")]
    public void A_wrong_missing_or_unknown_answer_is_refused_naming_it(string id, string? answer, string reason)
    {
        var definition = QuestionnaireDefinitions.Default.For("MR", Day)!;
        var answers = AllFine(definition);
        answers[id] = answer;

        var check = QuestionnaireDefinitions.Check(definition, answers);

        Assert.Equal(reason, check.Errors[$"answers.{id}"]);
    }

    [Fact]
    public void A_definition_naming_a_vaccine_the_schedule_does_not_know_is_refused_at_load()
    {
        const string json = """
            {"wordingSource":"w","source":"s","versions":[{"version":"v","effectiveFrom":"2026-04-01","validForHours":24,
             "definitions":[{"id":"x","title":"t","vaccines":["NOPE"],"questions":[]}]}]}
            """;

        var e = Assert.Throws<InvalidDataException>(() => QuestionnaireDefinitions.Load(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(json))));

        Assert.Contains("NOPE is not a vaccine code", e.Message, StringComparison.Ordinal);
    }
}
