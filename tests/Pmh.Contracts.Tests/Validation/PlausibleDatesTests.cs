using Pmh.Contracts.Validation;

namespace Pmh.Contracts.Tests.Validation;

public sealed class PlausibleDatesTests
{
    private static readonly DateOnly Today = new(2026, 4, 1);

    [Theory]
    [InlineData("1900-01-01")]
    [InlineData("2019-04-01")]
    [InlineData("2026-04-01")]
    public void A_birth_date_from_1900_to_today_is_believed(string date)
    {
        Assert.Null(PlausibleDates.BirthDateProblem(DateOnly.Parse(date, System.Globalization.CultureInfo.InvariantCulture), Today));
    }

    [Theory]
    [InlineData("0001-01-01")]
    [InlineData("1899-12-31")]
    [InlineData("2026-04-02")]
    [InlineData("9999-12-31")]
    public void A_birth_date_before_1900_or_after_today_is_refused_with_the_window(string date)
    {
        var problem = PlausibleDates.BirthDateProblem(DateOnly.Parse(date, System.Globalization.CultureInfo.InvariantCulture), Today);

        Assert.Equal("must be a birth date from 1900-01-01 to today (2026-04-01)", problem);
    }

    [Theory]
    [InlineData("2023-04-01")]
    [InlineData("2026-04-01")]
    [InlineData("2026-04-02")]
    public void A_service_date_from_three_years_back_to_tomorrow_is_believed(string date)
    {
        Assert.Null(PlausibleDates.ServiceDateProblem(DateOnly.Parse(date, System.Globalization.CultureInfo.InvariantCulture), Today));
    }

    [Theory]
    [InlineData("0001-01-01")]
    [InlineData("2023-03-31")]
    [InlineData("2026-04-03")]
    [InlineData("9999-12-31")]
    public void A_service_date_older_than_three_years_or_after_tomorrow_is_refused_with_the_window(string date)
    {
        var problem = PlausibleDates.ServiceDateProblem(DateOnly.Parse(date, System.Globalization.CultureInfo.InvariantCulture), Today);

        Assert.Equal("must be a service date from 2023-04-01 (3 years back) to 2026-04-02 (today + 1 day)", problem);
    }

    [Fact]
    public void Today_is_the_date_in_japan_whatever_the_offset_of_the_moment()
    {
        Assert.Equal(new DateOnly(2026, 4, 2), PlausibleDates.Today(new DateTimeOffset(2026, 4, 1, 15, 0, 0, TimeSpan.Zero)));
        Assert.Equal(new DateOnly(2026, 4, 1), PlausibleDates.Today(new DateTimeOffset(2026, 4, 1, 14, 59, 59, TimeSpan.Zero)));
    }
}
