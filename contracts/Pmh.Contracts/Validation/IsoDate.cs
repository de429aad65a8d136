using System.Globalization;

namespace Pmh.Contracts.Validation;

/// <summary>The one date format of the API: <c>yyyy-MM-dd</c> (ISO 8601 calendar date), read exactly.</summary>
public static class IsoDate
{
    public const string Format = "yyyy-MM-dd";

    public static DateOnly? Parse(string? value) =>
        DateOnly.TryParseExact(value, Format, CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) ? date : null;

    public static bool IsValid(string? value) => Parse(value) is not null;
}
