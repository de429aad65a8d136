using Pmh.Vaccination.Domain;
using static Pmh.Vaccination.Domain.ScheduleStatus;
using static Pmh.Vaccination.Tests.Domain.ScheduleFixtures;

namespace Pmh.Vaccination.Tests.Domain;

/// <summary>
/// How ages and intervals are counted (one rule for every vaccine): 年齢計算ニ関スル法律 with 民法第143条 for ages, the
/// Ministry's 事務連絡 on counting days and months for intervals. Each case gives the dates that decide it.
/// </summary>
public class ScheduleCountingTests
{
    public static TheoryData<string, string, string> AgesReached => new()
    {
        // birth, age, the day the age is reached (a window 「生後N月から」 / 「N歳以上」 opens)
        { "2025-05-15", "2m", "2025-07-14" },   // the day before the anniversary
        { "2025-05-01", "2m", "2025-06-30" },
        { "2025-12-31", "2m", "2026-02-28" },   // February has no 31st: its last day
        { "2025-03-31", "2m", "2025-05-30" },
        { "2024-02-29", "1y", "2025-02-28" },
        { "1961-10-10", "65y", "2026-10-09" },
        { "2025-04-01", "6y", "2031-03-31" },   // born 1 April: reaches 6 on 31 March
        { "2025-05-15", "6w", "2025-06-26" },   // 出生6週0日後: an exact day count, no day before
    };

    [Theory]
    [MemberData(nameof(AgesReached))]
    public void An_age_in_months_or_years_is_reached_the_day_before_the_anniversary_and_an_age_in_weeks_exactly(
        string birth, string age, string reached)
    {
        Assert.Equal(D(reached), ScheduleCounting.AgeReached(D(birth), AgeSpan.Parse(age, "test", "age")));
    }

    public static TheoryData<string, string, string> LastDaysBefore => new()
    {
        // birth, age, the last day of 「生後N月に至るまで」 / 「N歳未満」
        { "2025-05-15", "60m", "2030-05-14" },
        { "2025-05-15", "1y", "2026-05-14" },
        { "2025-12-31", "2m", "2026-02-28" },
        { "2025-05-15", "24w1d", "2025-10-30" }, // to 24 weeks 0 days after birth, inclusive
    };

    [Theory]
    [MemberData(nameof(LastDaysBefore))]
    public void A_window_until_an_age_closes_on_the_day_before_the_anniversary(string birth, string age, string last)
    {
        Assert.Equal(D(last), ScheduleCounting.LastDayBeforeAge(D(birth), AgeSpan.Parse(age, "test", "age")));
    }

    public static TheoryData<string, string, string> Intervals => new()
    {
        // previous dose, interval, the first day of the next dose
        { "2026-04-01", "27d", "2026-04-29" },  // 27 clear days (4/2-4/28): the 28th day after
        { "2026-04-01", "20d", "2026-04-22" },
        { "2026-06-01", "6d", "2026-06-08" },   // a Monday: the next Monday
        { "2026-04-01", "60d", "2026-06-01" },
        { "2026-04-01", "139d", "2026-08-19" },
        { "2026-04-01", "1m", "2026-05-01" },   // the same day a month on
        { "2025-11-30", "3m", "2026-03-01" },   // no 30 February: the day after the month's end
        { "2026-01-31", "1m", "2026-03-01" },
        { "2026-05-01", "2m15d", "2026-07-16" }, // 2月半: two months, then 15 days
        { "2025-12-31", "2m15d", "2026-03-16" },
    };

    [Theory]
    [MemberData(nameof(Intervals))]
    public void An_interval_of_days_leaves_that_many_clear_days_and_one_of_months_runs_to_the_same_day(
        string previous, string interval, string earliest)
    {
        Assert.Equal(D(earliest), ScheduleCounting.AfterInterval(D(previous), AgeSpan.Parse(interval, "test", "interval")));
    }

    public static TheoryData<string, ScheduleStatus, string> TwentySevenDays => new()
    {
        // service date, status, due from: Hib dose 1 on 2025-04-01 (born 2025-01-15)
        { "2025-04-28", NotYetDue, "2025-04-29" },
        { "2025-04-29", Due, "2025-04-29" },
        { "2025-04-30", Due, "2025-04-29" },
    };

    [Theory]
    [MemberData(nameof(TwentySevenDays))]
    public void A_dose_27_days_after_the_previous_one_is_due_from_the_28th_day(string service, ScheduleStatus status, string from)
    {
        var hib = Evaluate("HIB", "2025-01-15", service, "HIB@2025-04-01");

        Assert.Equal((status, (int?)2, OptionalDate(from)), (hib.Status, hib.NextDose, hib.DueFrom));
    }

    public static TheoryData<string, ScheduleStatus> ThreeMonthsFromAMonthEnd => new()
    {
        // service date, status: varicella dose 1 on 2025-11-30 (born 2024-10-01), dose 2 from 2026-03-01
        { "2026-02-28", NotYetDue },
        { "2026-03-01", Due },
        { "2026-03-02", Due },
    };

    [Theory]
    [MemberData(nameof(ThreeMonthsFromAMonthEnd))]
    public void Three_months_from_30_November_end_on_1_March(string service, ScheduleStatus status)
    {
        var varicella = Evaluate("VAR", "2024-10-01", service, "VAR@2025-11-30");

        Assert.Equal(Expect(status, 2, "2026-03-01", "2027-09-30"), Shape(varicella));
    }

    public static TheoryData<string, ScheduleStatus> TwoAndAHalfMonths => new()
    {
        // service date, status: 2-valent HPV on 2026-02-01 and 2026-05-01; the 3rd 5 months after the 1st (2026-07-01)
        // and 2.5 months after the 2nd (2026-07-16)
        { "2026-07-15", NotYetDue },
        { "2026-07-16", Due },
        { "2026-07-17", Due },
    };

    [Theory]
    [MemberData(nameof(TwoAndAHalfMonths))]
    public void The_third_two_valent_HPV_dose_waits_two_and_a_half_months_after_the_second(string service, ScheduleStatus status)
    {
        var hpv = Evaluate("HPV", "2013-05-15", service, "HPV-2@2026-02-01; HPV-2@2026-05-01");

        Assert.Equal((status, (int?)3, OptionalDate("2026-07-16")), (hpv.Status, hpv.NextDose, hpv.DueFrom));
    }

    [Fact]
    public void A_window_from_two_months_for_a_child_born_on_31_December_opens_on_the_last_day_of_February()
    {
        Assert.Equal(NotYetDue, Evaluate("HIB", "2025-12-31", "2026-02-27").Status);
        Assert.Equal(Expect(Due, 1, "2026-02-28", "2030-12-30"), Shape(Evaluate("HIB", "2025-12-31", "2026-02-28")));
    }
}
