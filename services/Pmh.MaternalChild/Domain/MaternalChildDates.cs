using Pmh.Contracts.Validation;

namespace Pmh.MaternalChild.Domain;

/// <summary>
/// The dates a maternal-child row or request may carry, in one table: none before <see cref="Earliest"/>; each field no
/// later than today in Japan plus its allowance (a day for what has happened, about a year for a due date). Pure:
/// "today" is given.
/// </summary>
public static class MaternalChildDates
{
    public static readonly DateOnly Earliest = PlausibleDates.EarliestBirthDate;

    /// <summary>How many days after today each date field may be; a field not listed gets <see cref="DefaultDaysAfterToday"/>.</summary>
    public static readonly IReadOnlyDictionary<string, int> DaysAfterToday = new Dictionary<string, int>(StringComparer.Ordinal)
    {
        ["birthDate"] = 1,
        ["registrationDate"] = 1,
        ["endDate"] = 1,
        ["date"] = 1,
        ["dueDate"] = 366,
    };

    public const int DefaultDaysAfterToday = 1;

    /// <summary>Why <paramref name="date"/> cannot be the value of <paramref name="field"/>, or null when it can.</summary>
    public static string? Refusal(string field, DateOnly date, DateOnly today)
    {
        var days = DaysAfterToday.GetValueOrDefault(field, DefaultDaysAfterToday);
        var latest = today.AddDays(days);
        if (date > latest)
        {
            return $"must not be after {latest:yyyy-MM-dd} (today in Japan plus {days} day{(days == 1 ? "" : "s")})";
        }

        return date < Earliest ? $"must not be before {Earliest:yyyy-MM-dd}" : null;
    }
}
