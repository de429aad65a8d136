using System.Text.Json.Nodes;
using Pmh.Vaccination.Domain;
using static Pmh.Vaccination.Domain.ScheduleStatus;
using static Pmh.Vaccination.Tests.Domain.ScheduleFixtures;

namespace Pmh.Vaccination.Tests.Domain;

/// <summary>The schedule is data: the embedded table, invalid tables, and changes made in the JSON alone.</summary>
public class RoutineScheduleTableTests
{
    [Fact]
    public void The_default_table_loads_with_its_version()
    {
        Assert.Equal("2026-04", RoutineSchedule.Default.Version);
    }

    [Fact]
    public void The_default_table_has_every_routine_A_and_B_series()
    {
        string[] routineA = ["HIB", "PCV", "HEPB", "ROTA", "DPT-IPV", "BCG", "MR", "VAR", "JE", "HPV"];
        string[] routineB = ["FLU", "COVID", "ZOSTER"];
        var series = RoutineSchedule.Default.Series.ToDictionary(s => s.Code);

        Assert.All(routineA, code => Assert.Equal("routineA", series[code].Programme));
        Assert.All(routineB, code => Assert.Equal("routineB", series[code].Programme));
        Assert.All(series.Values, s => Assert.Contains(s.Programme, new[] { "routineA", "routineB" }));
    }

    [Fact]
    public void A_product_counts_towards_the_series_the_table_names()
    {
        Assert.Equal(["DPT-IPV", "HIB"], RoutineSchedule.Default.SeriesFor("DPT-IPV-HIB"));
        Assert.Equal(["MR"], RoutineSchedule.Default.SeriesFor("MR"));
        Assert.Empty(RoutineSchedule.Default.SeriesFor("NOPE"));
    }

    [Fact]
    public void Products_have_names_and_no_HOT9_code_until_real_codes_are_sourced()
    {
        Assert.Equal("乾燥BCGワクチン", RoutineSchedule.Default.NameFor("BCG"));
        Assert.Null(RoutineSchedule.Default.NameFor("NOPE"));
        var products = RoutineSchedule.Default.Series.SelectMany(s => s.Products).Distinct().ToList();
        Assert.NotEmpty(products);
        Assert.All(products, p => Assert.NotNull(RoutineSchedule.Default.NameFor(p)));
        Assert.All(products, p => Assert.Null(RoutineSchedule.Default.Hot9For(p)));
    }

    [Fact]
    public void A_HOT9_code_in_the_table_is_returned_for_its_product()
    {
        var schedule = LoadModified(root => Product(root, "BCG")["hot9"] = "123456789");

        Assert.Equal("123456789", schedule.Hot9For("bcg"));
    }

    [Fact]
    public void Loading_the_embedded_json_gives_the_default_table()
    {
        var loaded = Load(DefaultJson());
        var birth = D("2025-05-15");
        var doses = Doses("DPT-IPV-HIB@2025-07-15; ROTA-5@2025-07-01; MR@2026-05-20");

        Assert.Equal(
            RoutineSchedule.Default.Evaluate(birth, D("2026-06-01"), doses),
            loaded.Evaluate(birth, D("2026-06-01"), doses));
    }

    [Fact]
    public void Changing_a_window_in_the_json_changes_the_result_with_no_code_change()
    {
        var birth = D("2025-05-15");
        var service = D("2028-09-15"); // 40 months old, no varicella dose
        var widened = LoadModified(root => Series(root, "VAR")["windows"]![0]!["untilAge"] = "48m");

        Assert.Equal(PastWindow, For(RoutineSchedule.Default.Evaluate(birth, service, []), "VAR").Status);
        Assert.Equal(
            Expect(Due, 1, "2026-05-14", "2029-05-14"),
            Shape(For(widened.Evaluate(birth, service, []), "VAR")));
    }

    [Fact]
    public void Changing_a_dose_count_in_the_json_changes_when_a_series_completes()
    {
        var threeDoseVaricella = LoadModified(root =>
            Series(root, "VAR")["courses"]![0]!["doses"]!.AsArray().Add(new JsonObject { ["minInterval"] = "3m" }));
        var doses = Doses("VAR@2026-05-15; VAR@2026-08-15");

        Assert.Equal(Complete, For(RoutineSchedule.Default.Evaluate(D("2025-05-15"), D("2026-09-01"), doses), "VAR").Status);
        Assert.Equal(
            Expect(NotYetDue, 3, "2026-11-15", "2028-05-14"),
            Shape(For(threeDoseVaricella.Evaluate(D("2025-05-15"), D("2026-09-01"), doses), "VAR")));
    }

    [Fact]
    public void A_new_vaccine_is_a_new_version_in_the_json_only_and_applies_from_its_effective_date()
    {
        // Mumps is not routine today; were it made routine at 1 year from 2027-04-01, this is all it would take.
        var schedule = LoadModified(root =>
        {
            root["amendments"]!.AsArray().Add(JsonNode.Parse("""
                {
                  "version": "2027-04", "effectiveFrom": "2027-04-01",
                  "products": [{ "code": "MUMPS", "name": "乾燥弱毒生おたふくかぜワクチン", "hot9": null, "series": ["MUMPS"] }],
                  "series": [{
                    "code": "MUMPS", "name": "おたふくかぜ (mumps)", "programme": "routineA", "recurrence": "once",
                    "windows": [{ "fromAge": "12m", "untilAge": "24m" }],
                    "courses": [{ "name": "single dose", "doses": [{ "minAge": "12m" }] }]
                  }]
                }
                """));
        });
        var birth = D("2026-05-15");

        var before = schedule.Evaluate(birth, D("2027-03-31"), []);
        var from = schedule.Evaluate(birth, D("2027-04-01"), []);

        Assert.Equal("2027-04", schedule.Version);
        Assert.Equal("2026-04", schedule.VersionOn(D("2027-03-31")));
        Assert.Equal("2027-04", schedule.VersionOn(D("2027-04-01")));
        Assert.DoesNotContain(before, r => r.Series == "MUMPS");
        Assert.Equal("MUMPS", from[^1].Series);
        Assert.Equal(Expect(NotYetDue, 1, "2027-05-14", "2028-05-14"), Shape(from[^1]));
        Assert.Equal(Complete, For(schedule.Evaluate(birth, D("2027-06-01"), Doses("MUMPS@2027-05-20")), "MUMPS").Status);
    }

    [Fact]
    public void A_season_set_in_the_json_replaces_the_fiscal_year_for_influenza()
    {
        var seasonal = LoadModified(root =>
        {
            var flu = Series(root, "FLU");
            flu["recurrence"] = "perSeason";
            flu["season"] = new JsonObject { ["start"] = "10-01", ["end"] = "01-31" };
        });
        var birth = D("1950-05-10");

        Assert.Equal(
            Expect(NotYetDue, 1, "2026-10-01", "2027-01-31"),
            Shape(For(seasonal.Evaluate(birth, D("2026-06-01"), Doses("FLU@2025-11-01")), "FLU")));
        Assert.Equal(
            Expect(Complete, null, null, null),
            Shape(For(seasonal.Evaluate(birth, D("2027-01-10"), Doses("FLU@2026-11-01")), "FLU")));
        Assert.Equal(
            Expect(Due, 1, "2026-10-01", "2027-01-31"),
            Shape(For(seasonal.Evaluate(birth, D("2026-10-01"), Doses("FLU@2026-03-01")), "FLU")));
    }

    public static TheoryData<string, string, string> InvalidTables => new()
    {
        // case, the entry the message must name, a word of the problem
        { "bad interval", "series 'VAR', course 'standard', dose 2", "minInterval" },
        { "product of an unknown series", "product 'MR'", "MMR" },
        { "duplicate series", "series 'BCG'", "more than once" },
        { "unknown programme", "series 'FLU'", "routineC" },
        { "misspelt field", "series 'VAR', window 1", "untilage" },
        { "wrong type", "series 'ZOSTER', window 1", "fromFiscalYearOfAge" },
        { "window closing before it opens", "series 'VAR', window 1", "fromAge" },
        { "course product not in the series", "series 'HIB', course '5-in-1 (DPT-IPV-Hib)'", "'MR'" },
        { "dose without a window", "series 'MR', course 'stages 1 and 2', dose 2", "no funded window" },
        { "interval on a first dose", "series 'BCG', course 'standard', dose 1", "minInterval" },
        { "fake HOT9", "product 'BCG'", "hot9" },
        { "season missing", "series 'FLU'", "season" },
        { "missing version", "the table", "version" },
        { "not JSON", "line", "not valid JSON" },
    };

    [Theory]
    [MemberData(nameof(InvalidTables))]
    public void An_invalid_table_fails_to_load_with_a_message_naming_the_entry(string @case, string entry, string problem)
    {
        var json = @case == "not JSON" ? DefaultJson().Replace("\"series\": [", "\"series\": [,,", StringComparison.Ordinal) : Modified(Break(@case));

        var error = Assert.Throws<RoutineScheduleException>(() => Load(json));

        Assert.StartsWith(entry, error.Entry, StringComparison.Ordinal);
        Assert.Contains(entry, error.Message, StringComparison.Ordinal);
        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
    }

    private static Action<JsonObject> Break(string @case) => @case switch
    {
        "bad interval" => root => Series(root, "VAR")["courses"]![0]!["doses"]![1]!["minInterval"] = "3x",
        "product of an unknown series" => root => Product(root, "MR")["series"] = new JsonArray("MMR"),
        "duplicate series" => root => root["series"]!.AsArray().Add(Series(root, "BCG").DeepClone()),
        "unknown programme" => root => Series(root, "FLU")["programme"] = "routineC",
        "misspelt field" => root =>
        {
            var window = Series(root, "VAR")["windows"]![0]!.AsObject();
            window["untilage"] = window["untilAge"]!.DeepClone();
            window.Remove("untilAge");
        },
        "wrong type" => root => Series(root, "ZOSTER")["windows"]![0]!["fromFiscalYearOfAge"] = "65",
        "window closing before it opens" => root => Series(root, "VAR")["windows"]![0]!["fromAge"] = "36m",
        "course product not in the series" => root => Series(root, "HIB")["courses"]![0]!["products"] = new JsonArray("MR"),
        "dose without a window" => root => Series(root, "MR")["courses"]![0]!["doses"]![1]!.AsObject().Remove("windows"),
        "interval on a first dose" => root => Series(root, "BCG")["courses"]![0]!["doses"]![0]!["minInterval"] = "1m",
        "fake HOT9" => root => Product(root, "BCG")["hot9"] = "12345",
        "season missing" => root => Series(root, "FLU")["recurrence"] = "perSeason",
        "missing version" => root => root.Remove("version"),
        _ => throw new ArgumentOutOfRangeException(nameof(@case), @case, null),
    };
}
