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
    public static DateOnly ReachesAge(DateOnly birthDate, int years) => ScheduleCounting.AgeReached(birthDate, new AgeSpan(years, 0, 0));
}

/// <summary>
/// How the schedule counts ages and intervals: the one place where a table value becomes a date. Every rule here is a
/// rule of counting, not of one vaccine.
/// <list type="bullet">
/// <item>An age in years or months (「生後N月」, 「N歳」) is reached on the day before the anniversary, or on the last day of
/// the month when that month has no anniversary (年齢計算ニ関スル法律 with 民法第143条): born 15 May, 2 months are
/// reached on 14 July; born 31 December, on the last day of February.</item>
/// <item>A window or minimum age 「生後N月から」 / 「N歳以上」 opens on the day that age is reached.</item>
/// <item>A window 「生後N月に至るまで」 / 「N歳未満」 closes on the day before the anniversary (the municipal reading,
/// 「誕生日の前日まで」): for years and months the same day as the age is reached.</item>
/// <item>Ages in weeks or days (「出生6週0日後」) are exact day counts from birth: no day before.</item>
/// <item>「N日以上の間隔をおいて」 leaves N whole days between the doses: the next dose is on the (N+1)th day
/// (27 days from 1 April: 29 April).</item>
/// <item>「N月以上の間隔」 runs to the same day N months on, or, when that month has no such day, to the day after the
/// month's end (30 November + 3 months: 1 March).</item>
/// <item>An interval of months and days (「2月半」 written "2m15d") runs the months as above and then the days (1 May:
/// 16 July); half a month as 15 days is this table's reading, not a definition found in a source.</item>
/// </list>
/// </summary>
internal static class ScheduleCounting
{
    /// <summary>The first day of a window or minimum age 「生後N月から」 / 「N歳以上」: the day the age is reached.</summary>
    public static DateOnly AgeReached(DateOnly birthDate, AgeSpan age)
    {
        if (age.Days > 0 || (age.Years == 0 && age.Months == 0))
        {
            return age.AddTo(birthDate);
        }

        var months = (age.Years * 12) + age.Months;
        var anniversary = birthDate.AddMonths(months);
        return anniversary.Day == birthDate.Day ? anniversary.AddDays(-1) : anniversary;
    }

    /// <summary>The last day of a window 「生後N月に至るまで」 / 「N歳未満」 (in weeks or days: the day before birth + the span).</summary>
    public static DateOnly LastDayBeforeAge(DateOnly birthDate, AgeSpan age) =>
        age.Days > 0 || (age.Years == 0 && age.Months == 0)
            ? age.AddTo(birthDate).AddDays(-1)
            : AgeReached(birthDate, age);

    /// <summary>Whether <paramref name="date"/> is before the age is past: on or before <see cref="LastDayBeforeAge"/>.</summary>
    public static bool BeforeAge(DateOnly birthDate, DateOnly date, AgeSpan age) => date <= LastDayBeforeAge(birthDate, age);

    /// <summary>The first day a dose may follow <paramref name="previous"/> with 「<paramref name="interval"/>以上の間隔」.</summary>
    public static DateOnly AfterInterval(DateOnly previous, AgeSpan interval)
    {
        var months = (interval.Years * 12) + interval.Months;
        if (months == 0)
        {
            return previous.AddDays(interval.Days + 1);
        }

        var target = previous.AddMonths(months);
        if (target.Day != previous.Day)
        {
            target = target.AddDays(1);
        }

        return target.AddDays(interval.Days);
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
