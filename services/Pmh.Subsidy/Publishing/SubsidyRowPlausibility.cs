using Pmh.Contracts.Validation;

namespace Pmh.Subsidy.Publishing;

/// <summary>
/// The plausibility windows of a published certificate row, as data: a date can be well formed and still not be a
/// date a municipality means (0001-01-01, 9999-12-31). Dates are Japan's (UTC+9, no daylight saving time).
/// </summary>
public static class SubsidyRowPlausibility
{
    /// <summary>The earliest date of birth taken; the latest is today (Japan's date).</summary>
    public static readonly DateOnly EarliestDateOfBirth = PlausibleDates.EarliestBirthDate;

    /// <summary>The first and last year a certificate's <c>validFrom</c> and <c>validTo</c> may fall in.</summary>
    public const int FirstValidityYear = 2000;

    public const int LastValidityYear = 2100;

    public static readonly string DateOfBirthMessage = $"must be a date from {EarliestDateOfBirth:yyyy-MM-dd} to today";

    public static readonly string ValidityMessage = $"must be a date in the years {FirstValidityYear} to {LastValidityYear}";

    public static bool IsPlausibleDateOfBirth(DateOnly dateOfBirth, DateOnly today) =>
        dateOfBirth >= EarliestDateOfBirth && dateOfBirth <= today;

    public static bool IsPlausibleValidityDate(DateOnly date) =>
        date.Year is >= FirstValidityYear and <= LastValidityYear;
}
