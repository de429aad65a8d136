using System.Globalization;
using System.Text.RegularExpressions;

namespace Pmh.Vaccination.Domain;

/// <summary>
/// An age or interval written as in the table: <c>2m</c>, <c>27d</c>, <c>6w</c>, <c>24w1d</c>, <c>65y</c>, <c>1y6m</c>.
/// <see cref="AddTo"/> is plain calendar arithmetic (years and months together, landing on the month's last day when
/// it has no such day, then days); how the schedule counts an age or an interval is <see cref="ScheduleCounting"/>.
/// </summary>
internal readonly partial record struct AgeSpan(int Years, int Months, int Days)
{
    private static readonly DateOnly Reference = new(2001, 1, 1);

    public DateOnly AddTo(DateOnly date) => date.AddMonths((Years * 12) + Months).AddDays(Days);

    /// <summary>Orders spans as they fall from one fixed date (a month is not a fixed number of days).</summary>
    public int CompareLength(AgeSpan other) => AddTo(Reference).CompareTo(other.AddTo(Reference));

    public static AgeSpan Parse(string? text, string entry, string field)
    {
        var match = text is null ? null : Pattern().Match(text);
        if (match is null || !match.Success || text!.Length == 0)
        {
            throw new RoutineScheduleException(
                entry,
                $"'{field}' \"{text}\" is not an age or interval such as \"2m\", \"27d\", \"6w\", \"24w1d\" or \"1y6m\"");
        }

        int Part(string name, int max)
        {
            var group = match.Groups[name];
            if (!group.Success)
            {
                return 0;
            }

            if (!int.TryParse(group.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value > max)
            {
                throw new RoutineScheduleException(entry, $"'{field}' \"{text}\" is out of range");
            }

            return value;
        }

        var years = Part("y", 150);
        var months = Part("m", 1800);
        var weeks = Part("w", 8000);
        var days = Part("d", 60000);
        return new AgeSpan(years, months, (weeks * 7) + days);
    }

    public override string ToString() => $"{Years}y{Months}m{Days}d";

    [GeneratedRegex(@"^(?:(?<y>\d{1,4})y)?(?:(?<m>\d{1,4})m)?(?:(?<w>\d{1,4})w)?(?:(?<d>\d{1,5})d)?$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
