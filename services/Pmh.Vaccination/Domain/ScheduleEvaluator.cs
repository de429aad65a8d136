namespace Pmh.Vaccination.Domain;

internal readonly record struct Outcome(ScheduleStatus Status, int? NextDose, DateOnly? DueFrom, DateOnly? DueUntil)
{
    public static readonly Outcome Complete = new(ScheduleStatus.Complete, null, null, null);
}

/// <summary>The evaluation of one series; every rule it applies comes from the table.</summary>
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
        // favourable (Due, then NotYetDue, then PastWindow), ties in table order.
        var candidates = series.Courses.Where(c => !c.SelectsByFirstDoseAge).ToList();
        if (candidates.Count == 0)
        {
            candidates = [.. series.Courses];
        }

        // Past every window: report the one that closed last.
        return candidates
            .Select(c => EvaluateCourse(c, birthDate, serviceDate, doses, period))
            .OrderBy(o => Rank(o.Status))
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

        // Fill the doses in date order. A dose given after the next dose's window has closed, inside a later dose's
        // window, fills that later dose; the ones skipped are missed (e.g. MR stage 2 given without stage 1).
        var filled = new DateOnly?[count];
        var next = 0;
        foreach (var dose in doses)
        {
            if (next == count)
            {
                break;
            }

            if (windows[next].Count == 0 || dose.Date > windows[next].Max(w => w.End))
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

        if (Array.TrueForAll(filled, f => f is not null))
        {
            return Outcome.Complete;
        }

        var first = filled.FirstOrDefault(f => f is not null);
        var last = filled.LastOrDefault(f => f is not null);
        for (var k = next; k < count; k++)
        {
            var rule = course.Doses[k];
            var earliest = birthDate;
            if (rule.MinAge is { } minAge)
            {
                earliest = WindowRule.Later(earliest, minAge.AddTo(birthDate));
            }

            if (rule.MinInterval is { } interval && last is { } previous)
            {
                earliest = WindowRule.Later(earliest, interval.AddTo(previous));
            }

            if (rule.MinIntervalFromFirst is { } fromFirst && first is { } firstDate)
            {
                earliest = WindowRule.Later(earliest, fromFirst.AddTo(firstDate));
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

            // This dose can no longer be given within its window (closed, or its earliest date falls after it): missed.
        }

        var missed = next < count ? next : Array.FindIndex(filled, f => f is null);
        DateOnly? closed = windows[missed].Count > 0 ? windows[missed].Max(w => w.End) : null;
        return new Outcome(ScheduleStatus.PastWindow, missed + 1, null, closed);
    }
}
