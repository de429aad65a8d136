namespace Pmh.Vaccination.Domain;

internal readonly record struct Outcome(ScheduleStatus Status, int? NextDose, DateOnly? DueFrom, DateOnly? DueUntil)
{
    public static readonly Outcome Complete = new(ScheduleStatus.Complete, null, null, null);
}

/// <summary>
/// The evaluation of one series: the doses, ages, windows and omissions come from the table; how ages and intervals
/// are counted is <see cref="ScheduleCounting"/>.
/// </summary>
internal static class ScheduleEvaluator
{
    private const int MaxPeriods = 500;

    public static Outcome Evaluate(SeriesRule series, DateOnly birthDate, DateOnly serviceDate, IReadOnlyList<CountedDose> doses)
    {
        var period = series.PeriodContainingOrAfter(serviceDate);
        for (var i = 0; ; i++)
        {
            var inPeriod = doses.Where(d => period.Contains(d.Date)).ToList();
            var outcome = EvaluatePeriod(series, birthDate, serviceDate, inPeriod, period);
            if (outcome.Status != ScheduleStatus.PastWindow || series.Recurrence == Recurrence.Once || i == MaxPeriods)
            {
                return outcome;
            }

            // Nothing more can be given in this fiscal year or season (e.g. not yet 65): look at the next period in
            // which a window is open.
            var after = period.End.AddDays(1);
            DateOnly? upcoming = null;
            foreach (var window in AllWindows(series, birthDate))
            {
                if (window.End >= after)
                {
                    var start = WindowRule.Later(window.Start, after);
                    upcoming = upcoming is { } u ? WindowRule.Earlier(u, start) : start;
                }
            }

            if (upcoming is not { } next)
            {
                return outcome;
            }

            period = series.PeriodContainingOrAfter(next);
        }
    }

    private static IEnumerable<DateRange> AllWindows(SeriesRule series, DateOnly birthDate) =>
        series.Courses
            .SelectMany(c => c.Doses)
            .SelectMany(d => d.Windows)
            .Select(w => w.Resolve(birthDate))
            .OfType<DateRange>();

    private static Outcome EvaluatePeriod(
        SeriesRule series, DateOnly birthDate, DateOnly serviceDate, IReadOnlyList<CountedDose> doses, DateRange period)
    {
        if (doses.Count > 0)
        {
            var course = series.Courses.FirstOrDefault(c => c.Matches(birthDate, doses)) ?? series.Courses[0];
            return EvaluateCourse(course, birthDate, serviceDate, doses, period);
        }

        // Nothing given yet: any course not chosen by the age at the first dose may still be started; report the most
        // favourable (Due, then NotYetDue, then PastWindow), then as below, ties in table order.
        var candidates = series.Courses.Where(c => !c.SelectsByFirstDoseAge).ToList();
        if (candidates.Count == 0)
        {
            candidates = [.. series.Courses];
        }

        // Due or not yet due: the window that closes first (the deadline a desk must meet; e.g. standalone Hib before
        // the longer 5-in-1 window). Past every window: the one that closed last.
        return candidates
            .Select(c => EvaluateCourse(c, birthDate, serviceDate, doses, period))
            .OrderBy(o => Rank(o.Status))
            .ThenBy(o => o.Status is ScheduleStatus.Due or ScheduleStatus.NotYetDue ? o.DueUntil : null)
            .ThenByDescending(o => o.Status == ScheduleStatus.PastWindow ? o.DueUntil : null)
            .First();
    }

    private static int Rank(ScheduleStatus status) => status switch
    {
        ScheduleStatus.Complete => 0,
        ScheduleStatus.Due => 1,
        ScheduleStatus.NotYetDue => 2,
        _ => 3,
    };

    private static Outcome EvaluateCourse(
        CourseRule course, DateOnly birthDate, DateOnly serviceDate, IReadOnlyList<CountedDose> doses, DateRange period)
    {
        var count = course.Doses.Count;
        var windows = new List<DateRange>[count];
        for (var k = 0; k < count; k++)
        {
            windows[k] = course.Doses[k].Windows
                .Select(w => w.Resolve(birthDate)?.Intersect(period))
                .OfType<DateRange>()
                .OrderBy(w => w.Start)
                .ToList();
        }

        // Fill the doses in date order. A dose the course leaves out (its window closed and the table says it is then
        // omitted, or its previous dose makes it unnecessary) is passed over. A dose given after the next dose's window
        // has closed, inside a later dose's window, fills that later dose; the ones skipped are missed (e.g. MR stage 2
        // given without stage 1).
        var filled = new DateOnly?[count];
        var omitted = new bool[count];
        var next = 0;
        foreach (var dose in doses)
        {
            while (next < count
                && (OmittedByPrevious(course, birthDate, filled, next)
                    || (course.Doses[next].Omit is { IfPastWindow: true } && !OpenOnOrAfter(windows[next], dose.Date))))
            {
                omitted[next++] = true;
            }

            if (next == count)
            {
                break;
            }

            if (!OpenOnOrAfter(windows[next], dose.Date))
            {
                for (var k = next + 1; k < count; k++)
                {
                    if (windows[k].Exists(w => w.Contains(dose.Date)))
                    {
                        next = k;
                        break;
                    }
                }
            }

            filled[next++] = dose.Date;
        }

        var first = filled.FirstOrDefault(f => f is not null);
        var last = filled.LastOrDefault(f => f is not null);
        int? missed = null;
        for (var k = next; k < count; k++)
        {
            if (OmittedByPrevious(course, birthDate, filled, k))
            {
                omitted[k] = true;
                continue;
            }

            var rule = course.Doses[k];
            var earliest = birthDate;
            if (rule.MinAge is { } minAge)
            {
                earliest = WindowRule.Later(earliest, ScheduleCounting.AgeReached(birthDate, minAge));
            }

            var interval = Array.IndexOf(omitted, true, 0, k) >= 0 && rule.MinIntervalAfterOmission is { } afterOmission
                ? afterOmission
                : rule.MinInterval;
            if (interval is { } span && last is { } previous)
            {
                earliest = WindowRule.Later(earliest, ScheduleCounting.AfterInterval(previous, span));
            }

            if (rule.MinIntervalFromFirst is { } fromFirst && first is { } firstDate)
            {
                earliest = WindowRule.Later(earliest, ScheduleCounting.AfterInterval(firstDate, fromFirst));
            }

            var target = WindowRule.Later(earliest, serviceDate);
            foreach (var window in windows[k])
            {
                if (window.End >= target)
                {
                    var from = WindowRule.Later(earliest, window.Start);
                    var status = from <= serviceDate ? ScheduleStatus.Due : ScheduleStatus.NotYetDue;
                    return new Outcome(status, k + 1, from, window.End);
                }
            }

            // This dose can no longer be given within its window (closed, or its earliest date falls after it): left
            // out when the table says so, otherwise missed.
            if (rule.Omit is { IfPastWindow: true })
            {
                omitted[k] = true;
            }
            else
            {
                missed ??= k;
            }
        }

        missed ??= Enumerable.Range(0, count).Cast<int?>().FirstOrDefault(k => filled[k!.Value] is null && !omitted[k.Value]);
        if (missed is not { } index)
        {
            return Outcome.Complete;
        }

        DateOnly? closed = windows[index].Count > 0 ? windows[index].Max(w => w.End) : null;
        return new Outcome(ScheduleStatus.PastWindow, index + 1, null, closed);
    }

    /// <summary>Whether some window of the dose is still open on or after <paramref name="date"/>.</summary>
    private static bool OpenOnOrAfter(List<DateRange> windows, DateOnly date) => windows.Exists(w => w.End >= date);

    /// <summary>Dose <paramref name="k"/> is left out because of when the previous dose of the course was given.</summary>
    private static bool OmittedByPrevious(CourseRule course, DateOnly birthDate, DateOnly?[] filled, int k)
    {
        if (k == 0 || course.Doses[k].Omit is not { } omit || filled[k - 1] is not { } previous)
        {
            return false;
        }

        if (omit.PreviousAfterAge is { } age && !ScheduleCounting.BeforeAge(birthDate, previous, age))
        {
            return true;
        }

        return omit.PreviousIntervalAtLeast is { } interval
            && k >= 2
            && filled[k - 2] is { } beforePrevious
            && previous >= ScheduleCounting.AfterInterval(beforePrevious, interval);
    }
}
