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
/// A funded window. Lower bounds: birth + <see cref="FromAge"/>, 1 April of the fiscal year in which the person reaches
/// <see cref="FromFiscalYearOfAge"/>, <see cref="FromDate"/>. Upper bounds: the day before birth + <see cref="UntilAge"/>
/// (生後N月に至るまで), 31 March ending the fiscal year in which the person reaches <see cref="ToFiscalYearOfAge"/>,
/// <see cref="ToDate"/>. The window is the intersection of every bound given.
/// </summary>
internal sealed record WindowRule(
    AgeSpan? FromAge,
    AgeSpan? UntilAge,
    int? FromFiscalYearOfAge,
    int? ToFiscalYearOfAge,
    DateOnly? FromDate,
    DateOnly? ToDate)
{
    public DateRange? Resolve(DateOnly birthDate)
    {
        var start = birthDate;
        var end = DateOnly.MaxValue;
        if (FromAge is { } fromAge)
        {
            start = Later(start, fromAge.AddTo(birthDate));
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
            end = Earlier(end, untilAge.AddTo(birthDate).AddDays(-1));
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
/// One dose of a course: its earliest date is the latest of birth + <see cref="MinAge"/>, the previous dose +
/// <see cref="MinInterval"/> and the first dose + <see cref="MinIntervalFromFirst"/>; it is funded within
/// <see cref="Windows"/> (any of them).
/// </summary>
internal sealed record DoseRule(
    AgeSpan? MinAge,
    AgeSpan? MinInterval,
    AgeSpan? MinIntervalFromFirst,
    IReadOnlyList<WindowRule> Windows);

/// <summary>
/// One way of completing a series. It applies when every product given for the series is among
/// <see cref="Products"/> (when listed) and the age at the first dose is within
/// [<see cref="FirstDoseFrom"/>, <see cref="FirstDoseUntil"/>) (when given).
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
        return (FirstDoseFrom is not { } from || first >= from.AddTo(birthDate))
            && (FirstDoseUntil is not { } until || first < until.AddTo(birthDate));
    }
}

internal sealed record SeriesRule(
    string Code,
    string Name,
    string Programme,
    Recurrence Recurrence,
    SeasonRule? Season,
    IReadOnlyList<CourseRule> Courses,
    IReadOnlyList<string> Products)
{
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
