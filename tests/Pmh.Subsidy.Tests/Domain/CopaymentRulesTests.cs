using Pmh.Subsidy.Domain;

namespace Pmh.Subsidy.Tests.Domain;

public class CopaymentRulesTests
{
    [Theory]
    [InlineData(1000, 0, 5000, 1000)]   // under the cap: charged in full
    [InlineData(1000, 4000, 5000, 1000)] // reaches the cap exactly
    [InlineData(1000, 5000, 5000, 0)]   // the cap is reached: nothing more this month
    [InlineData(1000, 6000, 5000, 0)]   // past it (a lowered cap): nothing, never negative
    [InlineData(3000, 3500, 5000, 1500)] // straddles the cap: only what remains
    [InlineData(0, 0, 5000, 0)]
    [InlineData(1000, 0, 0, 0)]         // a zero cap: free of charge
    public void A_receipt_is_charged_up_to_what_remains_of_the_cap(int asked, int total, int cap, int charged) =>
        Assert.Equal(charged, CopaymentRules.Charge(asked, total, cap));

    [Fact]
    public void Without_a_cap_the_amount_is_recorded_unlimited()
    {
        Assert.Equal(123_456, CopaymentRules.Charge(123_456, 999_999, null));
        Assert.Null(CopaymentRules.Remaining(999_999, null));
    }

    [Theory]
    [InlineData(0, 5000, 5000)]
    [InlineData(4999, 5000, 1)]
    [InlineData(5000, 5000, 0)]
    [InlineData(7000, 5000, 0)]
    public void What_remains_is_the_cap_less_the_total_never_below_zero(int total, int cap, int remaining) =>
        Assert.Equal(remaining, CopaymentRules.Remaining(total, cap));

    [Fact]
    public void Months_are_the_calendar_months_of_the_service_date()
    {
        Assert.Equal("2026-04", CopaymentRules.MonthOf(new DateOnly(2026, 4, 30)));
        Assert.Equal("2026-05", CopaymentRules.MonthOf(new DateOnly(2026, 5, 1)));
    }
}
