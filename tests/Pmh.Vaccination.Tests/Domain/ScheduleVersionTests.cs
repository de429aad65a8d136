using System.Text.Json.Nodes;
using Pmh.Vaccination.Domain;
using static Pmh.Vaccination.Domain.ScheduleStatus;
using static Pmh.Vaccination.Tests.Domain.ScheduleFixtures;

namespace Pmh.Vaccination.Tests.Domain;

/// <summary>Versions of the table: the one in force on the service date applies (elderly pneumococcal, 2026-04-01).</summary>
public class ScheduleVersionTests
{
    [Fact]
    public void The_default_table_has_the_2025_and_2026_versions_with_their_effective_dates()
    {
        Assert.Equal(
            [new ScheduleVersionInfo("2025-04", D("2025-04-01"), D("2026-03-31")), new ScheduleVersionInfo("2026-04", D("2026-04-01"), null)],
            RoutineSchedule.Default.Versions);
    }

    public static TheoryData<string, string> VersionsInForce => new()
    {
        { "2024-06-01", "2025-04" }, // before the first version: the first version (the table holds no earlier law)
        { "2026-03-31", "2025-04" },
        { "2026-04-01", "2026-04" },
        { "2026-04-02", "2026-04" },
    };

    [Theory]
    [MemberData(nameof(VersionsInForce))]
    public void The_version_in_force_on_a_date_is_the_latest_one_in_force_by_then(string date, string version)
    {
        Assert.Equal(version, RoutineSchedule.Default.VersionOn(D(date)));
    }

    public static TheoryData<string, ScheduleStatus> Pcv20At65AcrossTheChange => new()
    {
        // service date, status: born 1960-06-01 (65 from 2025-05-31 to 2026-05-31), PCV20 given on 2025-07-01
        { "2026-03-31", Due },      // PPSV23 was the routine vaccine: a PCV20 did not count
        { "2026-04-01", Complete }, // PCV20 is the routine vaccine
        { "2026-04-02", Complete },
    };

    [Theory]
    [MemberData(nameof(Pcv20At65AcrossTheChange))]
    public void From_2026_04_01_a_PCV20_dose_at_65_completes_elderly_pneumococcal(string service, ScheduleStatus status)
    {
        Assert.Equal(status, Evaluate("PNEUMO", "1960-06-01", service, "PCV20@2025-07-01").Status);
    }

    [Fact]
    public void From_2026_04_01_someone_who_had_PPSV23_is_excluded_and_shown_complete()
    {
        Assert.Equal(Complete, Evaluate("PNEUMO", "1961-10-10", "2026-10-20", "PPSV23@2020-01-10").Status);
    }

    public static TheoryData<string, ScheduleStatus> ChildhoodPcv20 => new()
    {
        // PCV20 date, status on 2026-10-20 (born 1961-10-10: 18 reached on 1979-10-09)
        { "1963-01-10", Due },      // a childhood dose never counts for the adult series
        { "1979-10-08", Due },
        { "1979-10-09", Complete }, // an adult dose counts (whether it should is not known for sure: see the table)
    };

    [Theory]
    [MemberData(nameof(ChildhoodPcv20))]
    public void A_childhood_PCV20_dose_does_not_count_for_elderly_pneumococcal(string given, ScheduleStatus status)
    {
        Assert.Equal(status, Evaluate("PNEUMO", "1961-10-10", "2026-10-20", $"PCV20@{given}").Status);
    }

    [Fact]
    public void A_PCV20_dose_at_65_counts_for_the_adult_series_and_the_product_counts_towards_both_series()
    {
        var results = RoutineSchedule.Default.Evaluate(D("1961-10-10"), D("2026-10-20"), Doses("PCV20@2026-10-15"));

        Assert.Equal(Complete, For(results, "PNEUMO").Status);
        Assert.Equal(["PCV", "PNEUMO"], RoutineSchedule.Default.SeriesFor("PCV20"));
    }

    [Fact]
    public void An_amendment_changes_only_the_series_it_lists_and_the_rest_carry_over()
    {
        var before = RoutineSchedule.Default.SeriesOn(D("2026-03-31"));
        var after = RoutineSchedule.Default.SeriesOn(D("2026-04-01"));

        Assert.Equal(before.Select(s => s.Code), after.Select(s => s.Code));
        Assert.Equal(["PPSV23"], before.Single(s => s.Code == "PNEUMO").Products);
        Assert.Equal(["PCV20", "PPSV23"], after.Single(s => s.Code == "PNEUMO").Products.Order());
        Assert.Equal(before.Single(s => s.Code == "VAR").Products, after.Single(s => s.Code == "VAR").Products);
    }

    public static TheoryData<string, string, string> InvalidAmendments => new()
    {
        // case, the entry the message must name, a word of the problem
        { "effective date not after the previous one", "amendment '2026-04'", "effectiveFrom" },
        { "no effective date", "amendment '2026-04'", "effectiveFrom" },
        { "version used twice", "amendment '2025-04'", "more than once" },
        { "bad series in an amendment", "amendment '2026-04', series 'PNEUMO'", "countsFromAge" },
        { "no effective date on the base version", "the table", "effectiveFrom" },
    };

    [Theory]
    [MemberData(nameof(InvalidAmendments))]
    public void An_invalid_amendment_fails_to_load_with_a_message_naming_it(string @case, string entry, string problem)
    {
        var json = Modified(root =>
        {
            var amendment = root["amendments"]![0]!.AsObject();
            switch (@case)
            {
                case "effective date not after the previous one": amendment["effectiveFrom"] = "2025-04-01"; break;
                case "no effective date": amendment.Remove("effectiveFrom"); break;
                case "version used twice": amendment["version"] = "2025-04"; break;
                case "bad series in an amendment":
                    amendment["series"]![0]!["countsFromAge"] = new JsonObject { ["MR"] = "18y" };
                    break;
                default: root.Remove("effectiveFrom"); break;
            }
        });

        var error = Assert.Throws<RoutineScheduleException>(() => Load(json));

        Assert.StartsWith(entry, error.Entry, StringComparison.Ordinal);
        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
        Assert.Single(error.Message.Split("Invalid routine schedule", StringSplitOptions.RemoveEmptyEntries));
    }
}
