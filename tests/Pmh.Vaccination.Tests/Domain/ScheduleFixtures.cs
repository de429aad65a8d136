using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Pmh.Vaccination.Domain;

namespace Pmh.Vaccination.Tests.Domain;

internal static class ScheduleFixtures
{
    public static DateOnly D(string iso) => DateOnly.ParseExact(iso, "yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static DateOnly? OptionalDate(string? iso) => iso is null ? null : D(iso);

    /// <summary>Doses written as <c>"HIB@2025-07-15; HIB@2025-08-15"</c>, numbered in the order written.</summary>
    public static GivenDose[] Doses(string specs) =>
        specs.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select((spec, i) => spec.Split('@') is [var code, var date]
                ? new GivenDose(code, i + 1, D(date))
                : throw new ArgumentException($"Bad dose spec '{spec}'", nameof(specs)))
            .ToArray();

    public static VaccineEligibility Evaluate(string series, string birth, string service, string doses = "") =>
        For(RoutineSchedule.Default.Evaluate(D(birth), D(service), Doses(doses)), series);

    public static VaccineEligibility For(IReadOnlyList<VaccineEligibility> results, string series) =>
        results.Single(r => r.Series == series);

    public static (ScheduleStatus, int?, DateOnly?, DateOnly?) Shape(VaccineEligibility e) =>
        (e.Status, e.NextDose, e.DueFrom, e.DueUntil);

    public static (ScheduleStatus, int?, DateOnly?, DateOnly?) Expect(ScheduleStatus status, int? nextDose, string? from, string? until) =>
        (status, nextDose, OptionalDate(from), OptionalDate(until));

    public static string DefaultJson()
    {
        var assembly = typeof(RoutineSchedule).Assembly;
        var name = assembly.GetManifestResourceNames().Single(n => n.EndsWith(".routine-schedule.json", StringComparison.Ordinal));
        using var stream = assembly.GetManifestResourceStream(name)!;
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    public static RoutineSchedule Load(string json)
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(json));
        return RoutineSchedule.Load(stream);
    }

    /// <summary>The default table with a change made to its JSON, loaded: no code involved.</summary>
    public static RoutineSchedule LoadModified(Action<JsonObject> change) => Load(Modified(change));

    public static string Modified(Action<JsonObject> change)
    {
        var root = JsonNode.Parse(DefaultJson())!.AsObject();
        change(root);
        return root.ToJsonString();
    }

    public static JsonObject Series(JsonObject root, string code) =>
        root["series"]!.AsArray().Select(s => s!.AsObject()).Single(s => (string?)s["code"] == code);

    public static JsonObject Product(JsonObject root, string code) =>
        root["products"]!.AsArray().Select(s => s!.AsObject()).Single(s => (string?)s["code"] == code);
}
