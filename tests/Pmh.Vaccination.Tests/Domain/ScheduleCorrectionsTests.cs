using Pmh.Vaccination.Domain;
using static Pmh.Vaccination.Domain.ScheduleStatus;
using static Pmh.Vaccination.Tests.Domain.ScheduleFixtures;

namespace Pmh.Vaccination.Tests.Domain;

/// <summary>
/// The rules of the 定期接種実施要領 that a late or irregular course depends on: Hib and PCV cut-offs, the 5-in-1 course,
/// the 9-valent HPV third dose, the Japanese encephalitis 特例. Infants are born on 2025-05-15: 生後12月 is reached on
/// 2026-05-14, which is also the last day of 「生後12月に至るまで」; the first birthday is 2026-05-15.
/// </summary>
public class ScheduleCorrectionsTests
{
    private const string Born = "2025-05-15";

    public static TheoryData<string, string, ScheduleStatus, int?, string?, string?> HibCutOff => new()
    {
        // doses, service date, status, next dose, due from, due until. Started at 5 months: two primary doses given.
        { "HIB@2025-10-15; HIB@2025-11-15", "2026-05-13", Due, 3, "2025-12-13", "2026-05-14" },
        { "HIB@2025-10-15; HIB@2025-11-15", "2026-05-14", Due, 3, "2025-12-13", "2026-05-14" },
        // The third primary dose is dropped after 生後12月に至るまで: one booster, 27 days after the last dose.
        { "HIB@2025-10-15; HIB@2025-11-15", "2026-05-15", Due, 4, "2025-12-13", "2030-05-14" },
        { "HIB@2025-10-15; HIB@2025-11-15; HIB@2026-06-01", "2026-06-02", Complete, null, null, null },
        // A second dose shortly before the cut-off: the booster counts 27 clear days from it.
        { "HIB@2025-10-15; HIB@2026-05-01", "2026-05-28", NotYetDue, 4, "2026-05-29", "2030-05-14" },
        { "HIB@2025-10-15; HIB@2026-05-01", "2026-05-29", Due, 4, "2026-05-29", "2030-05-14" },
        // A dose given after the cut-off is the booster: a late starter completes.
        { "HIB@2025-10-15; HIB@2026-05-20", "2026-06-01", Complete, null, null, null },
        // Finished in time: the booster is 7 months after the third primary dose.
        { "HIB@2025-07-15; HIB@2025-08-15; HIB@2025-09-15", "2026-05-15", Due, 4, "2026-04-15", "2030-05-14" },
        // Started at 8 months: two primary doses; the second dropped after the cut-off.
        { "HIB@2026-01-15", "2026-05-14", Due, 2, "2026-02-12", "2026-05-14" },
        { "HIB@2026-01-15", "2026-05-15", Due, 3, "2026-02-12", "2030-05-14" },
        { "HIB@2026-01-15; HIB@2026-06-15", "2026-07-01", Complete, null, null, null },
    };

    [Theory]
    [MemberData(nameof(HibCutOff))]
    public void Hib_primary_doses_not_given_by_12_months_are_dropped_and_one_booster_follows_27_days_on(
        string doses, string service, ScheduleStatus status, int? nextDose, string? from, string? until)
    {
        Assert.Equal(Expect(status, nextDose, from, until), Shape(Evaluate("HIB", Born, service, doses)));
    }

    public static TheoryData<string, string, ScheduleStatus, int?, string?, string?> PcvCutOffs => new()
    {
        // doses, service date, status, next dose, due from, due until
        // 2nd primary dose the day before the first birthday (before 12 months): the 3rd is still given, to 24 months.
        { "PCV20@2025-10-15; PCV20@2026-05-14", "2026-06-01", NotYetDue, 3, "2026-06-11", "2027-05-14" },
        // 2nd on the first birthday (after 12 months): no 3rd; the booster 60 days on.
        { "PCV20@2025-10-15; PCV20@2026-05-15", "2026-06-01", NotYetDue, 4, "2026-07-15", "2030-05-14" },
        { "PCV20@2025-10-15; PCV20@2026-05-15; PCV20@2026-07-15", "2026-08-01", Complete, null, null, null },
        // Only one primary dose: the 2nd is due until 生後24月に至るまで, then dropped for the booster.
        { "PCV20@2025-10-15", "2027-05-14", Due, 2, "2025-11-12", "2027-05-14" },
        { "PCV20@2025-10-15", "2027-05-15", Due, 4, "2026-05-14", "2030-05-14" },
        { "PCV20@2025-10-15; PCV20@2027-06-01", "2027-06-02", Complete, null, null, null },
        // Started at 8 months: the 2nd primary dose only to 24 months, then the booster.
        { "PCV20@2026-01-15", "2027-05-15", Due, 3, "2026-05-14", "2030-05-14" },
    };

    [Theory]
    [MemberData(nameof(PcvCutOffs))]
    public void PCV_2nd_and_3rd_primary_doses_end_at_24_months_and_there_is_no_3rd_after_a_2nd_past_12_months(
        string doses, string service, ScheduleStatus status, int? nextDose, string? from, string? until)
    {
        Assert.Equal(Expect(status, nextDose, from, until), Shape(Evaluate("PCV", Born, service, doses)));
    }

    [Fact]
    public void A_5_in_1_course_begun_after_12_months_still_needs_4_doses_for_Hib()
    {
        var three = RoutineSchedule.Default.Evaluate(
            D(Born), D("2026-09-01"), Doses("DPT-IPV-HIB@2026-06-15; DPT-IPV-HIB@2026-07-15; DPT-IPV-HIB@2026-08-15"));
        var four = RoutineSchedule.Default.Evaluate(
            D(Born), D("2027-03-01"), Doses("DPT-IPV-HIB@2026-06-15; DPT-IPV-HIB@2026-07-15; DPT-IPV-HIB@2026-08-15; DPT-IPV-HIB@2027-02-15"));

        Assert.Equal(Expect(NotYetDue, 4, "2027-02-15", "2032-11-14"), Shape(For(three, "HIB")));
        Assert.Equal(Expect(NotYetDue, 4, "2027-02-15", "2032-11-14"), Shape(For(three, "DPT-IPV")));
        Assert.Equal(Complete, For(four, "HIB").Status);
        Assert.Equal(Complete, For(four, "DPT-IPV").Status);
    }

    public static TheoryData<string, ScheduleStatus, int?> FiveInOneWindow => new()
    {
        // service date of a 5-in-1 3rd dose's booster, given 6 months after the 3rd: born 2025-05-15, 生後90月に至るまで
        // ends 2032-11-14
        { "2032-11-14", Due, 4 },
        { "2032-11-15", PastWindow, 4 },
    };

    [Theory]
    [MemberData(nameof(FiveInOneWindow))]
    public void The_5_in_1_course_is_funded_for_Hib_to_90_months(string service, ScheduleStatus status, int? nextDose)
    {
        var hib = Evaluate("HIB", Born, service, "DPT-IPV-HIB@2031-01-15; DPT-IPV-HIB@2031-02-15; DPT-IPV-HIB@2031-03-15");

        Assert.Equal((status, nextDose), (hib.Status, hib.NextDose));
    }

    public static TheoryData<string, ScheduleStatus, int?, string?> NineValentSecondDose => new()
    {
        // 2nd dose date (1st on 2026-06-01, 5 months on: 2026-11-01), status on 2026-12-01, next dose, due from
        { "2026-10-31", NotYetDue, 3, "2027-01-31" }, // under 5 months: a 3rd, 3 months after the 2nd
        { "2026-11-01", Complete, null, null },
        { "2026-11-02", Complete, null, null },
    };

    [Theory]
    [MemberData(nameof(NineValentSecondDose))]
    public void A_9_valent_HPV_2nd_dose_under_5_months_after_the_1st_needs_a_3rd_3_months_on(
        string second, ScheduleStatus status, int? nextDose, string? from)
    {
        var hpv = Evaluate("HPV", "2013-05-15", "2026-12-01", $"HPV-9@2026-06-01; HPV-9@{second}");

        Assert.Equal((status, nextDose, OptionalDate(from)), (hpv.Status, hpv.NextDose, hpv.DueFrom));
    }

    public static TheoryData<string, ScheduleStatus> NineValentBefore15 => new()
    {
        // 1st dose date (born 2013-05-15: the 15th birthday is 2028-05-15), status after a 2nd 6 months on
        { "2028-05-13", Complete },
        { "2028-05-14", Complete },  // 15歳未満: up to the day before the birthday
        { "2028-05-15", Due },       // begun at 15: three doses
    };

    [Theory]
    [MemberData(nameof(NineValentBefore15))]
    public void Nine_valent_HPV_begun_before_the_15th_birthday_takes_2_doses(string first, ScheduleStatus status)
    {
        var second = D(first).AddMonths(6);
        var hpv = For(
            RoutineSchedule.Default.Evaluate(D("2013-05-15"), second.AddDays(100), [new("HPV-9", 1, D(first)), new("HPV-9", 2, second)]),
            "HPV");

        Assert.Equal(status, hpv.Status);
    }

    public static TheoryData<string, string, string, ScheduleStatus, int?, string?> JapaneseEncephalitisSpecialMeasure => new()
    {
        // birth, doses, service date, status, next dose, due until. Born 1995-04-02 to 2007-04-01: to 20歳未満.
        { "2007-04-01", "", "2027-03-31", Due, 1, "2027-03-31" },
        { "2007-04-01", "", "2027-04-01", PastWindow, 1, "2027-03-31" },
        { "2007-04-02", "", "2026-06-01", PastWindow, 1, "2014-10-01" },   // outside the cohort: the ordinary window
        { "2007-04-01", "JE@2010-05-01; JE@2010-05-10", "2026-06-01", Due, 3, "2027-03-31" },
        { "2007-04-01", "JE@2010-05-01; JE@2010-05-10; JE@2011-05-01; JE@2026-06-01", "2026-06-02", Complete, null, null },
    };

    [Theory]
    [MemberData(nameof(JapaneseEncephalitisSpecialMeasure))]
    public void Japanese_encephalitis_doses_are_funded_to_age_20_for_people_born_1995_04_02_to_2007_04_01(
        string birth, string doses, string service, ScheduleStatus status, int? nextDose, string? until)
    {
        var je = Evaluate("JE", birth, service, doses);

        Assert.Equal((status, nextDose, OptionalDate(until)), (je.Status, je.NextDose, je.DueUntil));
    }
}
