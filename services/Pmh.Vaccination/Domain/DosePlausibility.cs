using Pmh.Contracts.Validation;

namespace Pmh.Vaccination.Domain;

/// <summary>
/// What a recorded dose must be to be believed, whoever sends it: a vaccine code of the schedule table, and a date no
/// earlier than the person's birth (or <see cref="Earliest"/> when the birth date is not known) and no later than
/// <see cref="DaysAfterToday"/> day after today in Japan (a dose given late in the evening may be sent from a clock a
/// little ahead). Pure: "today" and the birth date are given.
/// </summary>
public static class DosePlausibility
{
    /// <summary>The earliest dose date believed when the person's birth date is not known.</summary>
    public static readonly DateOnly Earliest = PlausibleDates.EarliestBirthDate;

    /// <summary>How many days after today (in Japan) a dose date may be.</summary>
    public const int DaysAfterToday = 1;

    /// <summary>Why the dose date cannot be believed, or null when it can.</summary>
    public static string? DateRefusal(DateOnly date, DateOnly today, DateOnly? birthDate)
    {
        var latest = today.AddDays(DaysAfterToday);
        if (date > latest)
        {
            return $"must not be after {latest:yyyy-MM-dd} (today in Japan plus {DaysAfterToday} day)";
        }

        if (birthDate is { } birth && date < birth)
        {
            return $"must not be before the person's date of birth {birth:yyyy-MM-dd}";
        }

        return date < Earliest ? $"must not be before {Earliest:yyyy-MM-dd}" : null;
    }

    /// <summary>Why the vaccine code is not one of <paramref name="schedule"/>'s, or null when it is.</summary>
    public static string? VaccineRefusal(string? vaccine, RoutineSchedule schedule)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        return vaccine is not null && schedule.Knows(vaccine)
            ? null
            : $"is not a vaccine code of the schedule table; known codes: {string.Join(", ", schedule.ProductCodes)}";
    }
}
