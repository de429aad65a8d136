using Pmh.MaternalChild.Domain;

namespace Pmh.MaternalChild.Tests.Domain;

public sealed class MaternalChildDatesTests
{
    private static readonly DateOnly Today = new(2026, 12, 3);

    [Theory]
    [InlineData("birthDate", "1900-01-01")]
    [InlineData("birthDate", "2026-12-04")]
    [InlineData("dueDate", "2027-12-04")]
    [InlineData("date", "2026-12-03")]
    public void A_date_inside_its_fields_window_is_believed(string field, string date) =>
        Assert.Null(MaternalChildDates.Refusal(field, DateOnly.ParseExact(date, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), Today));

    [Theory]
    [InlineData("birthDate", "0001-01-01", "must not be before 1900-01-01")]
    [InlineData("birthDate", "9999-12-31", "must not be after 2026-12-04 (today in Japan plus 1 day)")]
    [InlineData("birthDate", "2026-12-05", "must not be after 2026-12-04 (today in Japan plus 1 day)")]
    [InlineData("dueDate", "2027-12-05", "must not be after 2027-12-04 (today in Japan plus 366 days)")]
    [InlineData("registrationDate", "1899-12-31", "must not be before 1900-01-01")]
    public void A_date_outside_its_fields_window_is_refused_with_the_bound(string field, string date, string reason) =>
        Assert.Equal(reason, MaternalChildDates.Refusal(field, DateOnly.ParseExact(date, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), Today));
}
