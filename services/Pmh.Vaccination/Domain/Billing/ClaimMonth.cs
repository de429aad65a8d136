using System.Globalization;
using Pmh.Contracts.Validation;

namespace Pmh.Vaccination.Domain.Billing;

/// <summary>
/// The month of a claim (請求月の対象: the month the doses were given), and when its claim closes: at the start of the
/// 10th of the following month in Japan (00:00 JST, which is 15:00 UTC on the 9th). The 10th itself is not inside:
/// paper invoices must reach the municipality "by the 10th", so the hub takes the last moment of the 9th as the last
/// moment a claim can change; from 00:00 on the 10th a change becomes an adjustment in the next open claim.
/// </summary>
public readonly record struct ClaimMonth(int Year, int Month) : IComparable<ClaimMonth>
{
    /// <summary>The day of the following month on which a claim closes (at 00:00 Japan time).</summary>
    public const int CloseDay = 10;

    public static ClaimMonth Of(DateOnly date) => new(date.Year, date.Month);

    /// <summary><c>yyyy-MM</c>, or null when it is not one (years 2000 to 2100).</summary>
    public static ClaimMonth? TryParse(string? text)
    {
        if (text is not { Length: 7 } || text[4] != '-'
            || !int.TryParse(text.AsSpan(0, 4), NumberStyles.None, CultureInfo.InvariantCulture, out var year)
            || !int.TryParse(text.AsSpan(5, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var month)
            || year is < 2000 or > 2100 || month is < 1 or > 12)
        {
            return null;
        }

        return new ClaimMonth(year, month);
    }

    public ClaimMonth Next => Month == 12 ? new(Year + 1, 1) : new(Year, Month + 1);

    public ClaimMonth Previous => Month == 1 ? new(Year - 1, 12) : new(Year, Month - 1);

    /// <summary>The instant the claim closes: 00:00 on the 10th of the following month, Japan time.</summary>
    public DateTimeOffset ClosesAt
    {
        get
        {
            var next = Next;
            return new DateTimeOffset(next.Year, next.Month, CloseDay, 0, 0, 0, PlausibleDates.JapanOffset).ToUniversalTime();
        }
    }

    public bool IsOpenAt(DateTimeOffset instant) => instant < ClosesAt;

    /// <summary>The earliest month whose claim is still open at <paramref name="instant"/>: before the 10th, last month; from it, this month.</summary>
    public static ClaimMonth EarliestOpenAt(DateTimeOffset instant)
    {
        var thisMonth = Of(PlausibleDates.Today(instant));
        return thisMonth.Previous.IsOpenAt(instant) ? thisMonth.Previous : thisMonth;
    }

    /// <summary>yyyymm, as stored.</summary>
    public int Number => (Year * 100) + Month;

    public static ClaimMonth FromNumber(long number) => new((int)(number / 100), (int)(number % 100));

    public int CompareTo(ClaimMonth other) => Number.CompareTo(other.Number);

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Year:D4}-{Month:D2}");

    public static bool operator <(ClaimMonth a, ClaimMonth b) => a.CompareTo(b) < 0;

    public static bool operator >(ClaimMonth a, ClaimMonth b) => a.CompareTo(b) > 0;

    public static bool operator <=(ClaimMonth a, ClaimMonth b) => a.CompareTo(b) <= 0;

    public static bool operator >=(ClaimMonth a, ClaimMonth b) => a.CompareTo(b) >= 0;
}
