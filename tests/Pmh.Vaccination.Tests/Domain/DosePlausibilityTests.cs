using Pmh.Contracts.Validation;

using Microsoft.Extensions.Time.Testing;
using Pmh.Vaccination.Domain;

namespace Pmh.Vaccination.Tests.Domain;

public sealed class DosePlausibilityTests
{
    private static readonly DateOnly Today = new(2026, 12, 3);
    private static readonly DateOnly Birth = new(2025, 4, 1);

    [Theory]
    [InlineData("2025-04-01")]
    [InlineData("2026-12-03")]
    [InlineData("2026-12-04")]
    public void A_date_from_birth_to_tomorrow_is_believed(string date) =>
        Assert.Null(DosePlausibility.DateRefusal(DateOnly.Parse(date, System.Globalization.CultureInfo.InvariantCulture), Today, Birth));

    [Theory]
    [InlineData("2026-12-05", "must not be after 2026-12-04 (today in Japan plus 1 day)")]
    [InlineData("9999-12-31", "must not be after 2026-12-04 (today in Japan plus 1 day)")]
    [InlineData("2025-03-31", "must not be before the person's date of birth 2025-04-01")]
    [InlineData("0001-01-01", "must not be before the person's date of birth 2025-04-01")]
    public void A_date_after_tomorrow_or_before_birth_is_refused_with_the_bound(string date, string reason) =>
        Assert.Equal(reason, DosePlausibility.DateRefusal(DateOnly.Parse(date, System.Globalization.CultureInfo.InvariantCulture), Today, Birth));

    [Fact]
    public void Without_a_birth_date_the_earliest_believed_date_is_1900_01_01()
    {
        Assert.Equal("must not be before 1900-01-01", DosePlausibility.DateRefusal(new DateOnly(1899, 12, 31), Today, null));
        Assert.Null(DosePlausibility.DateRefusal(new DateOnly(1900, 1, 1), Today, null));
    }

    [Fact]
    public void Today_is_the_date_in_Japan_which_is_a_day_ahead_of_UTC_from_15_00()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 2, 14, 59, 59, TimeSpan.Zero));

        Assert.Equal(new DateOnly(2026, 12, 2), PlausibleDates.Today(clock));
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(new DateOnly(2026, 12, 3), PlausibleDates.Today(clock));
    }

    [Theory]
    [InlineData("HIB")]
    [InlineData("DPT-IPV-HIB")]
    [InlineData("PPSV23")]
    public void A_code_of_any_version_of_the_schedule_table_is_known(string vaccine) =>
        Assert.Null(DosePlausibility.VaccineRefusal(vaccine, RoutineSchedule.Default));

    [Theory]
    [InlineData("NOPE")]
    [InlineData("ZZZ-1")]
    public void An_unknown_code_is_refused_listing_the_known_codes(string vaccine)
    {
        var reason = DosePlausibility.VaccineRefusal(vaccine, RoutineSchedule.Default);

        Assert.StartsWith("is not a vaccine code of the schedule table; known codes: ", reason, StringComparison.Ordinal);
        Assert.All(RoutineSchedule.Default.ProductCodes, code => Assert.Contains(code, reason, StringComparison.Ordinal));
    }
}
