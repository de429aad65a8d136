namespace Pmh.Vaccination.Domain;

/// <summary>Fiscal years (年度, 1 April to 31 March) and legal age (年齢計算ニ関スル法律).</summary>
internal static class JapaneseCalendar
{
    public static int FiscalYearOf(DateOnly date) => date.Month >= 4 ? date.Year : date.Year - 1;

    public static DateOnly FiscalYearStart(int fiscalYear) => new(fiscalYear, 4, 1);

    public static DateOnly FiscalYearEnd(int fiscalYear) => new(fiscalYear + 1, 3, 31);

    public static DateRange FiscalYearContaining(DateOnly date)
    {
        var year = FiscalYearOf(date);
        return new DateRange(FiscalYearStart(year), FiscalYearEnd(year));
    }

    /// <summary>
    /// The day a person reaches <paramref name="years"/> of age in law: the day before the birthday (age counts from
    /// the day of birth and a period ends the day before its anniversary). Someone born on 1 April reaches 6 on
    /// 31 March, which is why they start school, and fall into fiscal-year cohorts, a year earlier. Born on 29 February:
    /// 28 February in a common year.
    /// </summary>
    public static DateOnly ReachesAge(DateOnly birthDate, int years)
    {
        var anniversary = birthDate.AddYears(years);
        return anniversary.Day != birthDate.Day ? anniversary : anniversary.AddDays(-1);
    }
}

/// <summary>Inclusive range of dates.</summary>
internal readonly record struct DateRange(DateOnly Start, DateOnly End)
{
    public static readonly DateRange Always = new(DateOnly.MinValue, DateOnly.MaxValue);

    public bool Contains(DateOnly date) => Start <= date && date <= End;

    public DateRange? Intersect(DateRange other)
    {
        var start = Start > other.Start ? Start : other.Start;
        var end = End < other.End ? End : other.End;
        return start <= end ? new DateRange(start, end) : null;
    }
}
