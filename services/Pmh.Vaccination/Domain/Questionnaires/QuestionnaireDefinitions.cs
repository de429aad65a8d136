using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Pmh.Vaccination.Domain.Questionnaires;

/// <summary>One question of a questionnaire: its id (the answer's key), text, answer type and what needs the doctor's attention.</summary>
public sealed record Question(
    string Id,
    string Text,
    string Type,
    bool Required = false,
    string? AttentionIf = null,
    decimal? AttentionFrom = null,
    IReadOnlyList<string>? Vaccines = null);

/// <summary>A questionnaire for a vaccine as the citizen answers it, in one version.</summary>
public sealed record QuestionnaireDefinition(
    string Id,
    string Version,
    DateOnly EffectiveFrom,
    string Title,
    string Vaccine,
    int ValidForHours,
    string Source,
    string WordingSource,
    IReadOnlyList<Question> Questions);

/// <summary>What came of checking answers against a definition: the refused answers (by <c>answers.{id}</c>) and those needing the doctor's attention.</summary>
public sealed record AnswerCheck(IReadOnlyDictionary<string, string> Errors, IReadOnlyList<string> Attention)
{
    public bool IsValid => Errors.Count == 0;
}

/// <summary>
/// The pre-vaccination questionnaires (予診票) as versioned data (<c>Domain/Questionnaires/questionnaires.json</c>),
/// like the routine schedule table: the definition in force on a date for a vaccine, and the check of answers.
/// </summary>
public sealed class QuestionnaireDefinitions
{
    public const string YesNo = "yesNo";
    public const string Temperature = "temperature";
    public const string Text = "text";
    public const int MaxText = 500;

    private readonly IReadOnlyList<(DateOnly From, string Version, IReadOnlyDictionary<string, QuestionnaireDefinition> ByVaccine)> _versions;

    private QuestionnaireDefinitions(IReadOnlyList<(DateOnly, string, IReadOnlyDictionary<string, QuestionnaireDefinition>)> versions) => _versions = versions;

    private static readonly Lazy<QuestionnaireDefinitions> Embedded = new(LoadEmbedded);

    public static QuestionnaireDefinitions Default => Embedded.Value;

    /// <summary>The vaccine codes that have a questionnaire in some version.</summary>
    public IReadOnlyCollection<string> Vaccines => _versions.SelectMany(v => v.ByVaccine.Keys).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();

    /// <summary>The definition for <paramref name="vaccine"/> in force on <paramref name="date"/> (the earliest version before any), or null.</summary>
    public QuestionnaireDefinition? For(string vaccine, DateOnly date)
    {
        var version = _versions.LastOrDefault(v => v.From <= date);
        if (version.ByVaccine is null)
        {
            version = _versions[0];
        }

        return version.ByVaccine.GetValueOrDefault(vaccine);
    }

    /// <summary>The answers checked against the definition: every answer must name a question and fit its type; required ones must be there.</summary>
    public static AnswerCheck Check(QuestionnaireDefinition definition, IReadOnlyDictionary<string, string?> answers)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(answers);
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        var attention = new List<string>();
        var questions = definition.Questions.ToDictionary(q => q.Id, StringComparer.Ordinal);
        foreach (var key in answers.Keys.Where(k => !questions.ContainsKey(k)).Order(StringComparer.Ordinal).Take(10))
        {
            errors[$"answers.{Cap(key)}"] = $"is not a question of {definition.Id} version {definition.Version}";
        }

        foreach (var question in definition.Questions)
        {
            var field = $"answers.{question.Id}";
            if (!answers.TryGetValue(question.Id, out var answer) || string.IsNullOrEmpty(answer))
            {
                if (question.Required)
                {
                    errors[field] = "is required";
                }

                continue;
            }

            switch (question.Type)
            {
                case YesNo when answer is not ("yes" or "no"):
                    errors[field] = "must be yes or no";
                    break;
                case YesNo when answer == question.AttentionIf:
                    attention.Add(question.Id);
                    break;
                case Temperature:
                    if (!TryTemperature(answer, out var degrees))
                    {
                        errors[field] = "must be a temperature in degrees Celsius from 34.0 to 42.0 with at most one decimal";
                    }
                    else if (question.AttentionFrom is { } from && degrees >= from)
                    {
                        attention.Add(question.Id);
                    }

                    break;
                case Text when answer.Length > MaxText:
                    errors[field] = $"must be at most {MaxText} characters";
                    break;
                case Text when answer.Any(c => char.IsControl(c) && c is not ('\n' or '\r')):
                    errors[field] = "must not contain control characters";
                    break;
            }
        }

        return new AnswerCheck(errors, attention);
    }

    private static string Cap(string key) => key.Length > 64 ? key[..64] + "…" : key;

    private static bool TryTemperature(string text, out decimal degrees)
    {
        degrees = 0;
        var dot = text.IndexOf('.', StringComparison.Ordinal);
        var ok = text.Length is >= 2 and <= 4
            && text.All(c => char.IsAsciiDigit(c) || c == '.')
            && text.Count(c => c == '.') <= 1
            && (dot < 0 || dot == text.Length - 2)
            && decimal.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out degrees);
        return ok && degrees is >= 34.0m and <= 42.0m;
    }

    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        ReadCommentHandling = JsonCommentHandling.Skip,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    /// <summary>Reads a definitions file; a definition that names an unknown type, repeats a question id or a vaccine is refused naming it.</summary>
    public static QuestionnaireDefinitions Load(Stream json)
    {
        var file = JsonSerializer.Deserialize<FileDocument>(json, Options) ?? throw new InvalidDataException("questionnaires: the file is empty");
        var versions = new List<(DateOnly, string, IReadOnlyDictionary<string, QuestionnaireDefinition>)>();
        foreach (var version in file.Versions.OrderBy(v => v.EffectiveFrom))
        {
            var byVaccine = new Dictionary<string, QuestionnaireDefinition>(StringComparer.Ordinal);
            foreach (var definition in version.Definitions)
            {
                var ids = new HashSet<string>(StringComparer.Ordinal);
                foreach (var q in definition.Questions)
                {
                    if (!ids.Add(q.Id))
                    {
                        throw new InvalidDataException($"questionnaires {version.Version}/{definition.Id}: question id {q.Id} appears twice");
                    }

                    if (q.Type is not (YesNo or Temperature or Text))
                    {
                        throw new InvalidDataException($"questionnaires {version.Version}/{definition.Id}/{q.Id}: unknown type {q.Type}");
                    }
                }

                foreach (var vaccine in definition.Vaccines)
                {
                    if (!RoutineSchedule.Default.ProductCodes.Contains(vaccine))
                    {
                        throw new InvalidDataException($"questionnaires {version.Version}/{definition.Id}: {vaccine} is not a vaccine code of the schedule table");
                    }

                    var questions = definition.Questions.Where(q => q.Vaccines is null || q.Vaccines.Contains(vaccine)).ToList();
                    if (!byVaccine.TryAdd(vaccine, new QuestionnaireDefinition(
                        definition.Id, version.Version, version.EffectiveFrom, definition.Title, vaccine, version.ValidForHours,
                        file.Source, file.WordingSource, questions)))
                    {
                        throw new InvalidDataException($"questionnaires {version.Version}: {vaccine} has two definitions");
                    }
                }
            }

            versions.Add((version.EffectiveFrom, version.Version, byVaccine));
        }

        if (versions.Count == 0)
        {
            throw new InvalidDataException("questionnaires: no version");
        }

        return new QuestionnaireDefinitions(versions);
    }

    private static QuestionnaireDefinitions LoadEmbedded()
    {
        using var stream = typeof(QuestionnaireDefinitions).Assembly.GetManifestResourceStream("Pmh.Vaccination.Domain.Questionnaires.questionnaires.json")
            ?? throw new InvalidOperationException("The questionnaire definitions are not embedded in the assembly.");
        return Load(stream);
    }

    private sealed record FileDocument(
        [property: JsonPropertyName("_notes")] IReadOnlyList<string>? Notes,
        string WordingSource,
        string Source,
        IReadOnlyList<VersionDocument> Versions);

    private sealed record VersionDocument(string Version, DateOnly EffectiveFrom, int ValidForHours, IReadOnlyList<DefinitionDocument> Definitions);

    private sealed record DefinitionDocument(string Id, string Title, IReadOnlyList<string> Vaccines, IReadOnlyList<Question> Questions);
}
