namespace Pmh.Contracts.Validation;

/// <summary>
/// The windows a date of the API must fall in to be believed, in one place: a well-formed date outside its window
/// (0001-01-01, 9999-12-31, a birth tomorrow) is refused naming the field. "Today" is the date in Japan (UTC+9, no
/// daylight saving), where every desk and municipality is, whatever the server's zone.
/// </summary>
public static class PlausibleDates
{
    /// <summary>The earliest birth date believed: no one alive was born before it.</summary>
    public static readonly DateOnly EarliestBirthDate = new(1900, 1, 1);

    /// <summary>
    /// How far back a service date may go: three years, as far back as an institution may still claim a medical fee
    /// (診療報酬請求権の消滅時効), so a desk checking again for a late claim or a correction is inside it.
    /// </summary>
    public const int ServiceDateYearsBack = 3;

    /// <summary>
    /// How far ahead a service date may go: one day, for a desk working across midnight or a clock a little ahead;
    /// a check is made at the visit, never for a visit weeks away.
    /// </summary>
    public const int ServiceDateDaysAhead = 1;

    /// <summary>Japan Standard Time: UTC+9 all year (no daylight saving).</summary>
    public static readonly TimeSpan JapanOffset = TimeSpan.FromHours(9);

    /// <summary>The date in Japan at <paramref name="now"/>.</summary>
    public static DateOnly Today(DateTimeOffset now) => DateOnly.FromDateTime(now.ToOffset(JapanOffset).DateTime);

    /// <summary>Today's date in Japan by <paramref name="clock"/>.</summary>
    public static DateOnly Today(TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(clock);
        return Today(clock.GetUtcNow());
    }

    /// <summary>Why <paramref name="date"/> is not a believable birth date on <paramref name="today"/>, or null.</summary>
    public static string? BirthDateProblem(DateOnly date, DateOnly today) =>
        date < EarliestBirthDate || date > today
            ? $"must be a birth date from {Iso(EarliestBirthDate)} to today ({Iso(today)})"
            : null;

    /// <summary>Why <paramref name="date"/> is not a believable service date on <paramref name="today"/>, or null.</summary>
    public static string? ServiceDateProblem(DateOnly date, DateOnly today)
    {
        var (from, to) = ServiceDateWindow(today);
        return date < from || date > to
            ? $"must be a service date from {Iso(from)} ({ServiceDateYearsBack} years back) to {Iso(to)} (today + {ServiceDateDaysAhead} day)"
            : null;
    }

    public static (DateOnly From, DateOnly To) ServiceDateWindow(DateOnly today) =>
        (today.AddYears(-ServiceDateYearsBack), today.AddDays(ServiceDateDaysAhead));

    private static string Iso(DateOnly date) => date.ToString(IsoDate.Format, System.Globalization.CultureInfo.InvariantCulture);
}
