using Pmh.Vaccination.Domain;
using static Pmh.Vaccination.Domain.ScheduleStatus;
using static Pmh.Vaccination.Tests.Domain.ScheduleFixtures;

namespace Pmh.Vaccination.Tests.Domain;

/// <summary>How given doses are counted and where the next dose falls. Infants are born on 2025-05-15.</summary>
public class RoutineScheduleDoseTests
{
    private const string Born = "2025-05-15";

    [Fact]
    public void Doses_recorded_out_of_order_with_wrong_numbers_are_counted_by_date()
    {
        GivenDose[] doses =
        [
            new("HIB", 1, D("2025-09-15")),
            new("HIB", 3, D("2025-07-15")),
            new("HIB", 7, D("2025-08-15")),
        ];

        var hib = For(RoutineSchedule.Default.Evaluate(D(Born), D("2026-01-10"), doses), "HIB");

        // Three doses, so the booster is next, 7 months after the latest one (2025-09-15), not the last listed.
        Assert.Equal(Expect(NotYetDue, 4, "2026-04-15", "2030-05-14"), Shape(hib));
    }

    [Fact]
    public void Two_records_of_one_day_count_as_one_dose()
    {
        var hib = Evaluate("HIB", Born, "2025-09-15", "HIB@2025-07-15; HIB@2025-07-15; HIB@2025-08-15");

        // The third primary dose: 27 clear days after 2025-08-15, and only until 生後12月に至るまで.
        Assert.Equal(Expect(Due, 3, "2025-09-12", "2026-05-14"), Shape(hib));
    }

    [Fact]
    public void A_completed_series_is_complete_with_nothing_due()
    {
        var dptIpv = Evaluate(
            "DPT-IPV", Born, "2026-08-01", "DPT-IPV@2025-07-15; DPT-IPV@2025-08-15; DPT-IPV@2025-09-15; DPT-IPV@2026-07-15");

        Assert.Equal(new VaccineEligibility("DPT-IPV", dptIpv.Name, "routineA", Complete, null, null, null), dptIpv);
    }

    [Fact]
    public void Five_in_one_doses_complete_both_DPT_IPV_and_Hib()
    {
        var results = RoutineSchedule.Default.Evaluate(
            D(Born), D("2026-08-01"), Doses("DPT-IPV-HIB@2025-07-15; DPT-IPV-HIB@2025-08-15; DPT-IPV-HIB@2025-09-15; DPT-IPV-HIB@2026-07-15"));

        Assert.Equal(Complete, For(results, "DPT-IPV").Status);
        Assert.Equal(Complete, For(results, "HIB").Status);
    }

    [Fact]
    public void Three_five_in_one_doses_make_the_booster_due_in_both_series_six_months_on()
    {
        var results = RoutineSchedule.Default.Evaluate(
            D(Born), D("2026-03-15"), Doses("DPT-IPV-HIB@2025-07-15; DPT-IPV-HIB@2025-08-15; DPT-IPV-HIB@2025-09-15"));

        Assert.Equal(Expect(Due, 4, "2026-03-15", "2032-11-14"), Shape(For(results, "DPT-IPV")));
        Assert.Equal(Expect(Due, 4, "2026-03-15", "2032-11-14"), Shape(For(results, "HIB"))); // the 5-in-1 window
    }

    [Fact]
    public void Three_standalone_Hib_doses_make_the_booster_due_seven_months_on()
    {
        var hib = Evaluate("HIB", Born, "2026-03-15", "HIB@2025-07-15; HIB@2025-08-15; HIB@2025-09-15");

        Assert.Equal(Expect(NotYetDue, 4, "2026-04-15", "2030-05-14"), Shape(hib));
    }

    [Fact]
    public void Four_DPT_IPV_doses_do_not_count_towards_Hib()
    {
        var hib = Evaluate(
            "HIB", Born, "2026-08-01", "DPT-IPV@2025-07-15; DPT-IPV@2025-08-15; DPT-IPV@2025-09-15; DPT-IPV@2026-07-15");

        Assert.Equal(Expect(Due, 1, "2025-07-14", "2030-05-14"), Shape(hib));
    }

    public static TheoryData<string, ScheduleStatus, int?> RotavirusCourses => new()
    {
        { "ROTA-1@2025-07-01; ROTA-1@2025-08-01", Complete, null },
        { "ROTA-5@2025-07-01; ROTA-5@2025-08-01", Due, 3 },
        { "ROTA-5@2025-07-01; ROTA-5@2025-08-01; ROTA-5@2025-09-01", Complete, null },
        { "ROTA-1@2025-07-01; ROTA-5@2025-08-01", Due, 3 },
        { "ROTA-1@2025-07-01", Due, 2 },
        { "ROTA@2025-07-01; ROTA@2025-08-01", Due, 3 }, // product not recorded: three doses to be safe
    };

    [Theory]
    [MemberData(nameof(RotavirusCourses))]
    public void Rotavirus_completes_at_two_Rotarix_doses_or_three_RotaTeq_doses(string doses, ScheduleStatus status, int? nextDose)
    {
        var rota = Evaluate("ROTA", Born, "2025-09-30", doses);

        Assert.Equal((status, nextDose), (rota.Status, rota.NextDose));
    }

    public static TheoryData<string, string, string, ScheduleStatus, int, string> Intervals => new()
    {
        // series, doses, service date, status, next dose, due from. 「N日以上の間隔」: N clear days, due on the (N+1)th day.
        { "HIB", "HIB@2025-07-15", "2025-08-11", NotYetDue, 2, "2025-08-12" },
        { "HIB", "HIB@2025-07-15", "2025-08-12", Due, 2, "2025-08-12" },
        { "DPT-IPV", "DPT-IPV@2025-07-15", "2025-08-04", NotYetDue, 2, "2025-08-05" },
        { "DPT-IPV", "DPT-IPV@2025-07-15", "2025-08-05", Due, 2, "2025-08-05" },
        // The third hepatitis B dose counts 139 days from the first, not from the second.
        { "HEPB", "HEPB@2025-07-15; HEPB@2025-08-15", "2025-12-01", NotYetDue, 3, "2025-12-02" },
        { "HEPB", "HEPB@2025-07-15; HEPB@2025-08-15", "2025-12-02", Due, 3, "2025-12-02" },
        // The PCV booster needs both 60 days after the third dose and 生後12月 (reached 2026-05-14).
        { "PCV", "PCV20@2025-07-15; PCV20@2025-08-15; PCV20@2025-09-15", "2026-01-01", NotYetDue, 4, "2026-05-14" },
        { "PCV", "PCV20@2025-07-15; PCV20@2025-08-15; PCV20@2026-04-01", "2026-05-20", NotYetDue, 4, "2026-06-01" },
        { "VAR", "VAR@2026-05-15", "2026-08-14", NotYetDue, 2, "2026-08-15" },
        { "JE", "JE@2028-05-15; JE@2028-05-21", "2028-11-20", NotYetDue, 3, "2028-11-21" },
    };

    [Theory]
    [MemberData(nameof(Intervals))]
    public void The_next_dose_falls_due_its_minimum_interval_after_the_previous_one(
        string series, string doses, string service, ScheduleStatus status, int nextDose, string from)
    {
        var eligibility = Evaluate(series, Born, service, doses);

        Assert.Equal((status, (int?)nextDose, OptionalDate(from)), (eligibility.Status, eligibility.NextDose, eligibility.DueFrom));
    }

    [Fact]
    public void A_dose_given_before_the_minimum_age_still_counts()
    {
        // DPT-IPV at 1 month (the minimum is 2 months): counted as dose 1, so dose 2 is due once the window is open.
        var dptIpv = Evaluate("DPT-IPV", Born, "2025-07-20", "DPT-IPV@2025-06-15");

        Assert.Equal(Expect(Due, 2, "2025-07-14", "2032-11-14"), Shape(dptIpv));
    }

    [Fact]
    public void A_dose_given_before_the_minimum_interval_still_counts_and_the_next_interval_runs_from_it()
    {
        // Hib dose 2 only 10 days after dose 1: it counts; dose 3 is due 27 clear days after it.
        var hib = Evaluate("HIB", Born, "2025-08-01", "HIB@2025-07-15; HIB@2025-07-25");

        Assert.Equal(Expect(NotYetDue, 3, "2025-08-22", "2026-05-14"), Shape(hib));
    }

    [Fact]
    public void Doses_after_the_service_date_before_birth_or_of_unknown_products_are_ignored()
    {
        var hib = Evaluate("HIB", Born, "2025-08-01", "HIB@2025-05-01; XYZ@2025-07-15; HIB@2025-08-15");

        Assert.Equal(Expect(Due, 1, "2025-07-14", "2030-05-14"), Shape(hib));
    }

    [Fact]
    public void Product_codes_are_matched_regardless_of_case_and_spaces()
    {
        var mr = For(RoutineSchedule.Default.Evaluate(D(Born), D("2026-06-01"), [new GivenDose(" mr ", 1, D("2026-05-20"))]), "MR");

        Assert.Equal(2, mr.NextDose);
        Assert.Equal("乾燥弱毒生麻しん風しん混合ワクチン", RoutineSchedule.Default.NameFor(" mr "));
    }

    [Fact]
    public void A_dose_in_a_later_stage_window_fills_that_stage_and_the_missed_stage_stays_past_its_window()
    {
        // MR stage 1 never given, stage 2 given in the pre-school year: nothing more can be funded.
        var mr = Evaluate("MR", Born, "2031-06-01", "MR@2031-05-01");

        Assert.Equal(Expect(PastWindow, 1, null, "2027-05-14"), Shape(mr));
    }

    public static TheoryData<string, string, string, ScheduleStatus, int?> CatchUps => new()
    {
        // series, doses, service date, status, next dose
        { "PCV", "PCV20@2027-06-15", "2027-07-01", Complete, null },              // begun at 25 months: 1 dose
        { "PCV", "PCV20@2026-06-15", "2026-07-01", NotYetDue, 2 },                // begun at 13 months: 2 doses, 60 days apart
        { "PCV", "PCV20@2026-06-15; PCV20@2026-08-15", "2026-09-01", Complete, null },
        { "HIB", "HIB@2026-06-15", "2026-07-01", Complete, null },                 // begun at 13 months: 1 dose
        { "HIB", "HIB@2026-01-15; HIB@2026-02-15", "2026-10-01", Due, 3 },        // begun at 8 months: 2 + booster
        { "HIB", "HIB@2026-01-15; HIB@2026-02-15; HIB@2026-09-15", "2026-10-01", Complete, null },
    };

    [Theory]
    [MemberData(nameof(CatchUps))]
    public void A_late_start_needs_fewer_doses_as_the_table_says(string series, string doses, string service, ScheduleStatus status, int? nextDose)
    {
        var eligibility = Evaluate(series, Born, service, doses);

        Assert.Equal((status, nextDose), (eligibility.Status, eligibility.NextDose));
    }

    public static TheoryData<string, string, string, ScheduleStatus, int?, string?> HpvCourses => new()
    {
        // birth, doses, service date, status, next dose, due from
        { "2013-05-15", "HPV-9@2026-06-01; HPV-9@2026-11-01", "2026-12-01", Complete, null, null },
        { "2011-05-15", "HPV-9@2026-06-01; HPV-9@2026-07-01", "2026-08-01", NotYetDue, 3, "2026-10-01" },
        { "2013-05-15", "HPV-4@2026-06-01; HPV-4@2026-07-01", "2026-08-01", NotYetDue, 3, "2026-10-01" },
        { "2013-05-15", "HPV-2@2026-06-01; HPV-2@2026-07-01", "2026-08-01", NotYetDue, 3, "2026-11-01" },
    };

    [Theory]
    [MemberData(nameof(HpvCourses))]
    public void HPV_needs_two_nine_valent_doses_begun_before_15_and_three_otherwise(
        string birth, string doses, string service, ScheduleStatus status, int? nextDose, string? from)
    {
        var hpv = Evaluate("HPV", birth, service, doses);

        Assert.Equal((status, nextDose, OptionalDate(from)), (hpv.Status, hpv.NextDose, hpv.DueFrom));
    }

    [Fact]
    public void An_evaluation_has_one_entry_per_series_in_table_order()
    {
        var results = RoutineSchedule.Default.Evaluate(D(Born), D("2026-01-01"), []);

        Assert.Equal(RoutineSchedule.Default.Series.Select(s => s.Code), results.Select(r => r.Series));
        Assert.All(results, r => Assert.Equal(RoutineSchedule.Default.Series.Single(s => s.Code == r.Series).Name, r.Name));
    }

    [Fact]
    public void A_service_date_before_birth_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => RoutineSchedule.Default.Evaluate(D(Born), D("2025-05-14"), []));
    }
}
