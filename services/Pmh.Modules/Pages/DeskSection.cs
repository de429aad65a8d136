using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Pmh.Modules.Pages;

/// <summary>What a desk section knows of the check it shows: the check's id and dates (never the person key).</summary>
public sealed record DeskCheck(Guid CheckId, DateOnly ServiceDate, DateOnly BirthDate);

/// <summary>
/// One kind's part of the desk page (§7's module shape for pages): its consent tick, its section of the aggregate
/// and its record forms. The page shell names no kind: it lists the registered sections, shows each provided part
/// through its section and hands each form post to the section that drew the form, which calls the same handler as
/// the kind's API endpoint (so validation, the current-check rule and the audit hold). Added with
/// <c>AddDeskSection&lt;T&gt;()</c>.
/// </summary>
public interface IDeskSection
{
    /// <summary>The kind, as its <see cref="Reception.IReceptionLookup.Kind"/> (the consent key and the part's name).</summary>
    string Kind { get; }

    /// <summary>The section's heading, e.g. 医療費助成 / Medical subsidy.</summary>
    LocalText Title { get; }

    /// <summary>The consent tick's label: what the patient agrees to share.</summary>
    LocalText ConsentLabel { get; }

    /// <summary>The part's tables and record forms, from the part of the check's answer (status <c>provided</c>).</summary>
    DeskView Show(JsonObject part, DeskCheck check);

    /// <summary>Records what the clerk entered in one of the section's forms.</summary>
    Task<DeskOutcome> SubmitAsync(string form, IFormCollection fields, DeskCheck check, HttpContext http, CancellationToken cancellationToken);
}

/// <summary>A section's part of the aggregate: tables to read, forms to record with.</summary>
public sealed record DeskView(IReadOnlyList<DeskTable> Tables, IReadOnlyList<DeskForm> Forms);

/// <summary>A table of the aggregate; <paramref name="Empty"/> is said instead when it has no rows.</summary>
public sealed record DeskTable(string Id, LocalText Caption, IReadOnlyList<LocalText> Columns, IReadOnlyList<IReadOnlyList<LocalText>> Rows, LocalText Empty);

/// <summary>A record form: its name (unique within the section), heading, fields and button.</summary>
public sealed record DeskForm(string Name, LocalText Title, IReadOnlyList<DeskField> Fields, LocalText Submit);

public enum DeskFieldKind
{
    Text,
    Number,
    Date,
    Choice,
}

/// <summary>A form field: its request field name, label, kind, initial value, choices, help.</summary>
public sealed record DeskField(
    string Name, LocalText Label, DeskFieldKind Kind, string? Value = null, IReadOnlyList<DeskChoice>? Choices = null, LocalText? Help = null, bool Required = false);

public sealed record DeskChoice(string Value, LocalText Label);

/// <summary>What came of a form: recorded (with what the clerk needs to know, e.g. what to charge) or refused, in words.</summary>
public sealed record DeskOutcome(bool Recorded, LocalText Message, string? Field = null)
{
    public static DeskOutcome Done(LocalText message) => new(true, message);
}

/// <summary>
/// The refusals of the API's handlers (problem details naming a field and a reason) in words a clerk understands:
/// a section passes its own reasons; the ones every desk call shares are here.
/// </summary>
public static class DeskRefusals
{
    private static readonly Dictionary<string, LocalText> Common = new(StringComparer.Ordinal)
    {
        ["the check has expired; check the card again"] = new("この確認は有効期限が切れました。カードをもう一度読み取ってください。", "This check has expired; read the card again."),
        ["No such check"] = new("この確認は見つかりません。カードをもう一度読み取ってください。", "This check cannot be found; read the card again."),
        ["is required as a date yyyy-MM-dd"] = new("日付を入力してください。", "Enter a date."),
        ["must be a date yyyy-MM-dd"] = new("日付の形式が正しくありません。", "The date is not valid."),
        ["must be 1 to 64 characters of letters, digits, '.', '_' and '-'"] = new(
            "番号は英数字と . _ - で 64 文字までにしてください。", "Use up to 64 letters, digits, '.', '_' or '-'."),
    };

    /// <summary>The problem in words: the section's or the common translation of its reason, else the hub's own text.</summary>
    public static DeskOutcome From(ProblemHttpResult problem, IReadOnlyDictionary<string, LocalText> reasons, IReadOnlyDictionary<string, LocalText> fieldNames)
    {
        ArgumentNullException.ThrowIfNull(problem);
        ArgumentNullException.ThrowIfNull(reasons);
        ArgumentNullException.ThrowIfNull(fieldNames);
        var details = problem.ProblemDetails;
        var (field, reason) = details is HttpValidationProblemDetails { Errors.Count: > 0 } v
            ? (v.Errors.First().Key, v.Errors.First().Value.FirstOrDefault() ?? "")
            : ((string?)null, details.Title ?? "");
        var words = reasons.GetValueOrDefault(reason) ?? Common.GetValueOrDefault(reason)
            ?? (details.Title is { } title ? Common.GetValueOrDefault(title) : null);
        var label = field is null ? null : fieldNames.GetValueOrDefault(field);
        if (words is null)
        {
            var said = field is null ? $"{details.Title}: {details.Detail}" : $"{field} {reason}";
            words = new LocalText($"受け付けられませんでした（{said}）", $"Not accepted ({said})");
        }

        return new DeskOutcome(false, label is null ? words : new LocalText($"{label.Ja}：{words.Ja}", $"{label.En}: {words.En}"), field);
    }

    /// <summary>The outcome of a handler's result: <paramref name="recorded"/>'s words for a 200/201, the refusal otherwise.</summary>
    public static DeskOutcome From<T>(IResult result, Func<T, LocalText> recorded, IReadOnlyDictionary<string, LocalText> reasons, IReadOnlyDictionary<string, LocalText> fieldNames)
    {
        ArgumentNullException.ThrowIfNull(recorded);
        return Unwrap(result) switch
        {
            Created<T> { Value: { } created } => DeskOutcome.Done(recorded(created)),
            Ok<T> { Value: { } ok } => DeskOutcome.Done(recorded(ok)),
            ProblemHttpResult problem => From(problem, reasons, fieldNames),
            var other => new DeskOutcome(false, new LocalText($"受け付けられませんでした（{other.GetType().Name}）", $"Not accepted ({other.GetType().Name})")),
        };
    }

    private static IResult Unwrap(IResult result) => result is INestedHttpResult nested ? Unwrap(nested.Result) : result;

    /// <summary>A part of the check's answer read as the lookup's own view type.</summary>
    public static T? Read<T>(JsonObject part) => part.Deserialize<T>(JsonSerializerOptions.Web);

    /// <summary>The value a clerk typed, or null for an empty field.</summary>
    public static string? Field(IFormCollection fields, string name)
    {
        ArgumentNullException.ThrowIfNull(fields);
        var value = fields[name].ToString().Trim();
        return value.Length == 0 ? null : value;
    }
}
