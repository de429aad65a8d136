namespace Pmh.Subsidy.Domain;

/// <summary>
/// 自己負担上限額管理: every institution's co-payment counts towards the same monthly cap; once it is reached nothing
/// more is charged that month. Months are calendar months of the service date (a date in Japan).
/// </summary>
public static class CopaymentRules
{
    /// <summary>What to charge for a receipt asking <paramref name="askedYen"/> when the month stands at <paramref name="monthTotalYen"/>.</summary>
    public static int Charge(int askedYen, int monthTotalYen, int? monthlyCapYen) =>
        monthlyCapYen is not { } cap ? askedYen : Math.Clamp(cap - monthTotalYen, 0, askedYen);

    public static int? Remaining(int monthTotalYen, int? monthlyCapYen) =>
        monthlyCapYen is { } cap ? Math.Max(0, cap - monthTotalYen) : null;

    public static string MonthOf(DateOnly serviceDate) => serviceDate.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture);
}
