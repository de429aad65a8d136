namespace Pmh.Vaccination.Domain;

/// <summary>How often a series recurs: once in a lifetime, once per fiscal year (年度), or once per season.</summary>
internal enum Recurrence
{
    Once,
    PerFiscalYear,
    PerSeason,
}

/// <summary>A recurring season, as month-day pairs (inclusive); the end may fall in the next calendar year.</summary>
internal sealed record SeasonRule(int StartMonth, int StartDay, int EndMonth, int EndDay)
{
    /// <summary>The season that contains <paramref name="date"/>, or else the next one.</summary>
    public DateRange ContainingOrAfter(DateOnly date)
    {
        for (var year = date.Year - 1; ; year++)
        {
            var start = new DateOnly(year, StartMonth, StartDay);
            var endYear = (EndMonth, EndDay).CompareTo((StartMonth, StartDay)) >= 0 ? year : year + 1;
            var end = new DateOnly(endYear, EndMonth, EndDay);
            if (end >= date)
            {
                return new DateRange(start, end);
            }
        }
    }
}

/// <summary>
/// A funded window. Lower bounds: the day <see cref="FromAge"/> is reached (<see cref="ScheduleCounting.AgeReached"/>),
/// 1 April of the fiscal year in which the person reaches <see cref="FromFiscalYearOfAge"/>, <see cref="FromDate"/>.
/// Upper bounds: the last day before <see cref="UntilAge"/> (生後N月に至るまで, <see cref="ScheduleCounting.LastDayBeforeAge"/>),
/// 31 March ending the fiscal year in which the person reaches <see cref="ToFiscalYearOfAge"/>, <see cref="ToDate"/>.
/// <see cref="BornFrom"/> and <see cref="BornTo"/> (inclusive) limit the window to people born on those dates (a 特例 for
/// a birth cohort). The window is the intersection of every bound given.
/// </summary>
internal sealed record WindowRule(
    AgeSpan? FromAge,
    AgeSpan? UntilAge,
    int? FromFiscalYearOfAge,
    int? ToFiscalYearOfAge,
    DateOnly? FromDate,
    DateOnly? ToDate,
    DateOnly? BornFrom = null,
    DateOnly? BornTo = null)
{
    public DateRange? Resolve(DateOnly birthDate)
    {
        if (birthDate < BornFrom || birthDate > BornTo)
        {
            return null;
        }

        var start = birthDate;
        var end = DateOnly.MaxValue;
        if (FromAge is { } fromAge)
        {
            start = Later(start, ScheduleCounting.AgeReached(birthDate, fromAge));
        }

        if (FromFiscalYearOfAge is { } fromYears)
        {
            start = Later(start, JapaneseCalendar.FiscalYearStart(
                JapaneseCalendar.FiscalYearOf(JapaneseCalendar.ReachesAge(birthDate, fromYears))));
        }

        if (FromDate is { } fromDate)
        {
            start = Later(start, fromDate);
        }

        if (UntilAge is { } untilAge)
        {
            end = Earlier(end, ScheduleCounting.LastDayBeforeAge(birthDate, untilAge));
        }

        if (ToFiscalYearOfAge is { } toYears)
        {
            end = Earlier(end, JapaneseCalendar.FiscalYearEnd(
                JapaneseCalendar.FiscalYearOf(JapaneseCalendar.ReachesAge(birthDate, toYears))));
        }

        if (ToDate is { } toDate)
        {
            end = Earlier(end, toDate);
        }

        return start <= end ? new DateRange(start, end) : null;
    }

    internal static DateOnly Later(DateOnly a, DateOnly b) => a > b ? a : b;

    internal static DateOnly Earlier(DateOnly a, DateOnly b) => a < b ? a : b;
}

/// <summary>
/// When a dose of a course is left out rather than missed. <see cref="IfPastWindow"/>: when its windows have closed
/// (e.g. the Hib 2nd and 3rd primary doses after 生後12月に至るまで). <see cref="PreviousAfterAge"/>: when the previous
/// dose was given after the age was past (on or after birth + the age: no PCV 3rd primary dose after a 2nd given past
/// 12 months). <see cref="PreviousIntervalAtLeast"/>: when the previous dose came at least this interval after the one
/// before it (no 3rd 9-valent HPV dose when the 2nd was 5 months or more after the 1st).
/// </summary>
internal sealed record OmitRule(bool IfPastWindow, AgeSpan? PreviousAfterAge, AgeSpan? PreviousIntervalAtLeast);

/// <summary>
/// One dose of a course: its earliest date is the latest of the day <see cref="MinAge"/> is reached, the end of
/// <see cref="MinInterval"/> after the previous dose (<see cref="MinIntervalAfterOmission"/> instead when an earlier dose
/// of the course was left out) and of <see cref="MinIntervalFromFirst"/> after the first dose; it is funded within
/// <see cref="Windows"/> (any of them).
/// </summary>
internal sealed record DoseRule(
    AgeSpan? MinAge,
    AgeSpan? MinInterval,
    AgeSpan? MinIntervalFromFirst,
    IReadOnlyList<WindowRule> Windows,
    OmitRule? Omit = null,
    AgeSpan? MinIntervalAfterOmission = null);

/// <summary>
/// One way of completing a series. It applies when every product given for the series is among
/// <see cref="Products"/> (when listed) and the first dose was given on or after the day <see cref="FirstDoseFrom"/> was
/// reached and no later than the last day before <see cref="FirstDoseUntil"/> (「15歳未満」: up to the day before the
/// 15th birthday), when given. For years and months those two days are the same day; courses are tried in table order,
/// so on that day the course listed first applies.
/// </summary>
internal sealed record CourseRule(
    string Name,
    IReadOnlySet<string>? Products,
    AgeSpan? FirstDoseFrom,
    AgeSpan? FirstDoseUntil,
    IReadOnlyList<DoseRule> Doses)
{
    public bool SelectsByFirstDoseAge => FirstDoseFrom is not null || FirstDoseUntil is not null;

    public bool Matches(DateOnly birthDate, IReadOnlyList<CountedDose> doses)
    {
        if (Products is not null && !doses.All(d => d.Products.All(Products.Contains)))
        {
            return false;
        }

        var first = doses[0].Date;
        return (FirstDoseFrom is not { } from || first >= ScheduleCounting.AgeReached(birthDate, from))
            && (FirstDoseUntil is not { } until || ScheduleCounting.BeforeAge(birthDate, first, until));
    }
}

internal sealed record SeriesRule(
    string Code,
    string Name,
    string Programme,
    Recurrence Recurrence,
    SeasonRule? Season,
    IReadOnlyList<CourseRule> Courses,
    IReadOnlyList<string> Products,
    IReadOnlyDictionary<string, AgeSpan>? CountsFromAge = null)
{
    /// <summary>Whether a dose of <paramref name="product"/> on <paramref name="date"/> counts (see <see cref="CountsFromAge"/>).</summary>
    public bool Counts(string product, DateOnly birthDate, DateOnly date) =>
        CountsFromAge is null || !CountsFromAge.TryGetValue(product, out var age) || date >= ScheduleCounting.AgeReached(birthDate, age);

    /// <summary>The period whose doses count on <paramref name="date"/>, or, outside any season, the next one.</summary>
    public DateRange PeriodContainingOrAfter(DateOnly date) => Recurrence switch
    {
        Recurrence.PerFiscalYear => JapaneseCalendar.FiscalYearContaining(date),
        Recurrence.PerSeason => Season!.ContainingOrAfter(date),
        _ => DateRange.Always,
    };
}

internal sealed record ProductRule(string Code, string Name, string? Hot9, IReadOnlyList<string> Series);

/// <summary>A date on which one or more products counting towards a series were given.</summary>
internal sealed record CountedDose(DateOnly Date, IReadOnlySet<string> Products);
