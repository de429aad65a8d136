using Pmh.Vaccination.Domain;
using static Pmh.Vaccination.Domain.ScheduleStatus;
using static Pmh.Vaccination.Tests.Domain.ScheduleFixtures;

namespace Pmh.Vaccination.Tests.Domain;

/// <summary>B-class (B類) routine vaccination for older people: influenza, COVID-19, zoster.</summary>
public class BClassScheduleTests
{
    public static TheoryData<string> Yearly => new() { "FLU", "COVID" };

    [Theory]
    [MemberData(nameof(Yearly))]
    public void At_64_a_yearly_vaccine_is_not_yet_due_until_the_day_before_the_65th_birthday(string series)
    {
        var eligibility = Evaluate(series, "1961-10-10", "2026-06-01");

        Assert.Equal(Expect(NotYetDue, 1, "2026-10-09", "2027-03-31"), Shape(eligibility));
    }

    [Theory]
    [MemberData(nameof(Yearly))]
    public void At_64_with_the_65th_birthday_in_the_next_fiscal_year_it_is_due_from_the_day_before_that_birthday(string series)
    {
        var eligibility = Evaluate(series, "1962-05-01", "2026-06-01");

        Assert.Equal(Expect(NotYetDue, 1, "2027-04-30", "2028-03-31"), Shape(eligibility));
    }

    [Theory]
    [MemberData(nameof(Yearly))]
    public void At_65_a_yearly_vaccine_is_due_until_the_end_of_the_fiscal_year(string series)
    {
        var eligibility = Evaluate(series, "1961-03-10", "2026-06-01");

        Assert.Equal(Expect(Due, 1, "2026-04-01", "2027-03-31"), Shape(eligibility));
    }

    [Theory]
    [MemberData(nameof(Yearly))]
    public void A_dose_given_this_fiscal_year_completes_it_for_this_year(string series)
    {
        var eligibility = Evaluate(series, "1950-05-10", "2026-11-20", $"{series}@2026-10-15");

        Assert.Equal(Expect(Complete, null, null, null), Shape(eligibility));
    }

    [Theory]
    [MemberData(nameof(Yearly))]
    public void A_dose_given_last_fiscal_year_leaves_it_due_this_year(string series)
    {
        var eligibility = Evaluate(series, "1950-05-10", "2026-04-10", $"{series}@2026-01-15");

        Assert.Equal(Expect(Due, 1, "2026-04-01", "2027-03-31"), Shape(eligibility));
    }

    [Fact]
    public void Influenza_does_not_count_for_COVID_19()
    {
        var covid = Evaluate("COVID", "1950-05-10", "2026-11-20", "FLU@2026-10-15");

        Assert.Equal(Due, covid.Status);
    }

    public static TheoryData<string, string, ScheduleStatus, string?, string?> Zoster => new()
    {
        // birth, service date, status, due from, due until. Zoster is funded in the fiscal year in which the
        // person reaches 65 (in law, the day before the 65th birthday).
        { "1962-06-15", "2026-06-01", NotYetDue, "2027-04-01", "2028-03-31" },  // 64, reaches 65 in fiscal year 2027
        { "1961-12-01", "2026-06-01", Due, "2026-04-01", "2027-03-31" },        // 64, but reaches 65 this fiscal year
        { "1961-05-10", "2026-06-01", Due, "2026-04-01", "2027-03-31" },        // 65
        { "1961-02-10", "2026-06-01", PastWindow, null, "2026-03-31" },        // 65, reached it last fiscal year
        { "1960-06-15", "2026-06-01", PastWindow, null, "2026-03-31" },        // 66
        { "1960-02-10", "2026-06-01", NotYetDue, "2029-04-01", "2030-03-31" },  // 66, reaches 70 in transitional year 2029
        { "1956-06-15", "2026-06-01", Due, "2026-04-01", "2027-03-31" },        // 69, reaches 70 this fiscal year
        { "1961-04-01", "2026-04-01", PastWindow, null, "2026-03-31" },        // 65th birthday, reached 65 on 31 March
        { "1961-04-02", "2026-04-01", Due, "2026-04-01", "2027-03-31" },        // reaches 65 today
    };

    [Theory]
    [MemberData(nameof(Zoster))]
    public void Zoster_is_due_in_the_fiscal_year_the_person_reaches_65(
        string birth, string service, ScheduleStatus status, string? from, string? until)
    {
        var zoster = Evaluate("ZOSTER", birth, service);

        Assert.Equal(Expect(status, 1, from, until), Shape(zoster));
    }

    [Fact]
    public void One_live_zoster_dose_completes_zoster()
    {
        var zoster = Evaluate("ZOSTER", "1961-05-10", "2026-06-01", "ZOSTER-LIVE@2026-05-01");

        Assert.Equal(Complete, zoster.Status);
    }

    [Fact]
    public void The_recombinant_zoster_vaccine_needs_a_second_dose_two_months_on()
    {
        var zoster = Evaluate("ZOSTER", "1961-05-10", "2026-06-01", "ZOSTER-RZV@2026-05-01");

        Assert.Equal(Expect(NotYetDue, 2, "2026-07-01", "2027-03-31"), Shape(zoster));
    }

    [Fact]
    public void A_live_zoster_dose_does_not_count_as_childhood_varicella()
    {
        var results = RoutineSchedule.Default.Evaluate(D("2025-05-15"), D("2026-06-01"), Doses("ZOSTER-LIVE@2026-05-20"));

        Assert.Equal(1, For(results, "VAR").NextDose);
    }
}
