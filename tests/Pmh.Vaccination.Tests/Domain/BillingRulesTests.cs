using Microsoft.Extensions.Time.Testing;
using Pmh.Vaccination.Domain.Billing;

namespace Pmh.Vaccination.Tests.Domain;

/// <summary>The billing rules of routine doses: prices by date, claim months and their close, corrections, totals.</summary>
public sealed class BillingRulesTests
{
    private static readonly PriceRow MrUntilMarch = new("MR", "routineA", new(2025, 4, 1), new(2026, 3, 31), 10_450, 0);
    private static readonly PriceRow MrFromApril = new("MR", "routineA", new(2026, 4, 1), null, 10_890, 0);
    private static readonly PriceRow FluElderly = new("FLU", "routineB", new(2026, 10, 1), new(2027, 1, 31), 4_730, 1_500);
    private static readonly PriceTable Table = new([MrUntilMarch, MrFromApril, FluElderly]);

    private static DateTimeOffset Japan(int y, int m, int d, int h = 0, int min = 0, int s = 0) =>
        new(y, m, d, h, min, s, TimeSpan.FromHours(9));

    [Theory]
    [InlineData("2026-03-31", 10_450)]
    [InlineData("2026-04-01", 10_890)]
    [InlineData("2031-01-01", 10_890)]
    [InlineData("2025-04-01", 10_450)]
    public void A_dose_is_priced_by_the_row_in_force_on_its_date_both_ends_inclusive(string date, long unitPrice)
    {
        var amounts = ClaimRules.Price("MR", "routineA", DateOnly.Parse(date, System.Globalization.CultureInfo.InvariantCulture), Table);

        Assert.Equal(new LineAmounts(unitPrice, 0, true), amounts);
    }

    [Fact]
    public void A_routine_dose_with_no_price_in_force_is_billed_as_unpriced()
    {
        Assert.Equal(LineAmounts.Unpriced, ClaimRules.Price("MR", "routineA", new(2025, 3, 31), Table));
        Assert.Equal(LineAmounts.Unpriced, ClaimRules.Price("HPV", "routineA", new(2026, 5, 1), Table));
        Assert.Equal(LineAmounts.Unpriced, ClaimRules.Price("MR", "routineB", new(2026, 5, 1), Table));
        Assert.Equal(ClaimRules.Unpriced, ClaimRules.InitialState(LineAmounts.Unpriced));
        Assert.Equal(ClaimRules.Pending, ClaimRules.InitialState(LineAmounts.Of(MrFromApril)));
    }

    [Fact]
    public void A_voluntary_dose_is_not_billed_even_with_a_price_for_its_vaccine()
    {
        var table = new PriceTable([new PriceRow("MR", "voluntary", new(2020, 1, 1), null, 9_000, 0)]);

        Assert.Null(ClaimRules.Price("MR", "voluntary", new(2026, 5, 1), table));
    }

    [Fact]
    public void The_patient_share_is_taken_off_what_the_municipality_pays()
    {
        var amounts = ClaimRules.Price("FLU", "routineB", new(2026, 11, 20), Table)!;

        Assert.Equal(4_730, amounts.UnitPriceYen);
        Assert.Equal(1_500, amounts.PatientShareYen);
        Assert.Equal(3_230, amounts.BilledYen);
    }

    [Fact]
    public void Overlapping_rows_of_one_vaccine_and_programme_are_refused_on_validFrom_naming_the_row_kept()
    {
        var rows = new List<(int, PriceRow)>
        {
            (0, MrUntilMarch),
            (1, MrFromApril),
            (2, MrFromApril with { ValidFrom = new(2026, 3, 31) }),
            (3, MrFromApril with { Programme = "routineB" }),
            (4, FluElderly),
            (5, FluElderly with { ValidFrom = new(2027, 1, 31), ValidTo = new(2027, 2, 28) }),
            (6, FluElderly with { ValidFrom = new(2027, 2, 1), ValidTo = null }),
        };

        var refused = PriceTable.OverlapRefusals(rows);

        Assert.Equal([2, 5], refused.Select(r => r.Index));
        Assert.All(refused, r => Assert.Equal("validFrom", r.Field));
        Assert.StartsWith("the period overlaps row 0 (MR routineA from 2025-04-01 to 2026-03-31)", refused[0].Reason, StringComparison.Ordinal);
        Assert.StartsWith("the period overlaps row 4 (FLU routineB from 2026-10-01 to 2027-01-31)", refused[1].Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Rows_that_touch_without_sharing_a_day_do_not_overlap()
    {
        Assert.False(MrUntilMarch.Overlaps(MrFromApril));
        Assert.True(MrFromApril.Overlaps(MrFromApril with { ValidFrom = new(2040, 1, 1) }));
    }

    [Fact]
    public void A_claim_closes_at_midnight_starting_the_10th_of_the_following_month_in_Japan()
    {
        var november = new ClaimMonth(2026, 11);

        Assert.Equal(new DateTimeOffset(2026, 12, 9, 15, 0, 0, TimeSpan.Zero), november.ClosesAt);
        Assert.True(november.IsOpenAt(Japan(2026, 12, 9, 23, 59, 59)));
        Assert.False(november.IsOpenAt(Japan(2026, 12, 10)));
        Assert.Equal(new DateTimeOffset(2027, 1, 9, 15, 0, 0, TimeSpan.Zero), new ClaimMonth(2026, 12).ClosesAt);
    }

    [Fact]
    public void The_earliest_open_claim_is_last_months_before_the_10th_and_this_months_from_it_by_a_fake_clock()
    {
        var clock = new FakeTimeProvider(Japan(2026, 12, 9, 23, 59, 59));

        Assert.Equal(new ClaimMonth(2026, 11), ClaimMonth.EarliestOpenAt(clock.GetUtcNow()));
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(new ClaimMonth(2026, 12), ClaimMonth.EarliestOpenAt(clock.GetUtcNow()));
        Assert.Equal(new ClaimMonth(2026, 12), ClaimMonth.EarliestOpenAt(Japan(2027, 1, 9, 12)));
    }

    [Fact]
    public void A_dose_joins_the_claim_of_its_month_while_open_and_the_earliest_open_claim_when_recorded_late()
    {
        Assert.Equal(new ClaimMonth(2026, 11), ClaimRules.MonthFor(new(2026, 11, 30), Japan(2026, 11, 30, 10)));
        Assert.Equal(new ClaimMonth(2026, 11), ClaimRules.MonthFor(new(2026, 11, 30), Japan(2026, 12, 9, 18)));
        Assert.Equal(new ClaimMonth(2026, 12), ClaimRules.MonthFor(new(2026, 11, 30), Japan(2026, 12, 10, 0)));
        Assert.Equal(new ClaimMonth(2027, 1), ClaimRules.MonthFor(new(2026, 8, 1), Japan(2027, 2, 3)));
    }

    [Fact]
    public void A_correction_before_the_close_changes_the_line()
    {
        var effect = ClaimRules.Correct(new ClaimMonth(2026, 11), LineAmounts.Of(FluElderly), new LineAmounts(4_730, 0, true), Japan(2026, 12, 9, 23));

        Assert.Equal(new CorrectionEffect.LineChanged(new LineAmounts(4_730, 0, true)), effect);
    }

    [Fact]
    public void A_correction_after_the_close_is_an_adjustment_of_the_difference_in_the_next_open_claim()
    {
        var effect = ClaimRules.Correct(new ClaimMonth(2026, 11), LineAmounts.Of(FluElderly), new LineAmounts(4_730, 0, true), Japan(2026, 12, 10, 0));

        var adjustment = Assert.IsType<CorrectionEffect.Adjustment>(effect);
        Assert.Equal(new ClaimMonth(2026, 12), adjustment.Month);
        Assert.Equal(0, adjustment.UnitPriceDeltaYen);
        Assert.Equal(-1_500, adjustment.PatientShareDeltaYen);
        Assert.Equal(1_500, adjustment.BilledDeltaYen);
    }

    [Fact]
    public void A_dose_no_longer_billed_before_the_close_loses_its_line() =>
        Assert.IsType<CorrectionEffect.LineRemoved>(ClaimRules.Correct(new ClaimMonth(2026, 11), LineAmounts.Of(FluElderly), null, Japan(2026, 12, 1)));

    [Fact]
    public void A_dose_cancelled_after_the_close_is_a_negative_adjustment_of_its_whole_amount()
    {
        var effect = ClaimRules.Correct(new ClaimMonth(2026, 10), LineAmounts.Of(FluElderly), null, Japan(2027, 1, 5));

        var adjustment = Assert.IsType<CorrectionEffect.Adjustment>(effect);
        Assert.Equal(new ClaimMonth(2026, 12), adjustment.Month);
        Assert.Equal(-3_230, adjustment.BilledDeltaYen);
    }

    [Fact]
    public void A_correction_that_changes_no_amount_after_the_close_makes_no_adjustment()
    {
        Assert.IsType<CorrectionEffect.Unchanged>(
            ClaimRules.Correct(new ClaimMonth(2026, 10), LineAmounts.Of(FluElderly), LineAmounts.Of(FluElderly), Japan(2027, 1, 5)));
    }

    [Theory]
    [InlineData("131016", null, "131016")]
    [InlineData("131016", "132012", "131016")]
    [InlineData(null, "132012", "132012")]
    [InlineData(null, null, null)]
    public void An_out_of_area_dose_is_paid_by_the_persons_own_municipality(string? registered, string? named, string? paying) =>
        Assert.Equal(paying, ClaimRules.PayingMunicipality(registered, named));

    [Fact]
    public void Totals_are_exact_whole_yen_over_many_lines_without_floating_point()
    {
        var lines = Enumerable.Range(0, 100_000)
            .Select(i => new TotalledLine(i % 10 == 0 ? LineAmounts.Unpriced : new LineAmounts(10_891, i % 3, true), i % 2 == 0 ? ClaimRules.Approved : ClaimRules.Rejected))
            .ToList();

        var totals = ClaimRules.Totals(lines);

        Assert.Equal(100_000, totals.Lines);
        Assert.Equal(10_000, totals.UnpricedLines);
        Assert.Equal(90_000L * 10_891, totals.UnitPriceYen);
        var share = Enumerable.Range(0, 100_000).Where(i => i % 10 != 0).Sum(i => (long)(i % 3));
        Assert.Equal(share, totals.PatientShareYen);
        Assert.Equal(totals.UnitPriceYen - totals.PatientShareYen, totals.BilledYen);
        Assert.Equal(totals.BilledYen, totals.ApprovedYen + totals.RejectedYen);
    }

    [Fact]
    public void Totals_added_up_per_state_by_the_store_are_the_totals_over_the_lines()
    {
        var lines = Enumerable.Range(0, 1_000)
            .Select(i => new TotalledLine(i % 10 == 0 ? LineAmounts.Unpriced : new LineAmounts(10_891 + i, i % 3, true),
                i % 10 == 0 ? ClaimRules.Unpriced : (i % 3) switch { 0 => ClaimRules.Approved, 1 => ClaimRules.Rejected, _ => ClaimRules.Pending }))
            .ToList();
        var sums = lines.GroupBy(l => l.State).Select(g => new StateSums(
            g.Key, g.Count(), g.Count(l => !l.Amounts.Priced), g.Sum(l => l.Amounts.UnitPriceYen), g.Sum(l => l.Amounts.PatientShareYen)));

        Assert.Equal(ClaimRules.Totals(lines), ClaimRules.Totals(sums));
    }

    [Fact]
    public void Approving_every_pending_line_waits_for_the_close_like_every_decision()
    {
        var november = new ClaimMonth(2026, 11);

        Assert.StartsWith("the claim is open until 2026-12-09T15:00:00Z", ClaimRules.ApproveAllPendingRefusal(november, Japan(2026, 12, 9, 23)), StringComparison.Ordinal);
        Assert.Null(ClaimRules.ApproveAllPendingRefusal(november, Japan(2026, 12, 10)));
    }

    [Theory]
    [InlineData(0L, "line:1310123458:a")]
    [InlineData(1_764_000_000_000L, "line:1310123458:bench-99999:adj:c-1")]
    public void A_cursor_of_a_claim_s_lines_reads_back_as_the_line_it_ends_on(long createdAt, string lineId)
    {
        var cursor = new ClaimLineCursor(createdAt, lineId);

        Assert.Equal(cursor, ClaimLineCursor.TryParse(cursor.ToString()));
        Assert.DoesNotContain('+', cursor.ToString());
        Assert.DoesNotContain('/', cursor.ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("not a cursor!")]
    [InlineData("MTIz")] // "123": no line id
    [InlineData("OmxpbmU")] // ":line": no time
    public void Anything_else_is_no_cursor(string text) => Assert.Null(ClaimLineCursor.TryParse(text));

    [Fact]
    public void Totals_that_would_overflow_a_long_throw_instead_of_wrapping()
    {
        var lines = new[] { new TotalledLine(new LineAmounts(long.MaxValue, 0, true), ClaimRules.Pending), new TotalledLine(new LineAmounts(1, 0, true), ClaimRules.Pending) };

        Assert.Throws<OverflowException>(() => ClaimRules.Totals(lines));
    }

    [Fact]
    public void Lines_are_decided_only_once_their_claim_has_closed_and_an_unpriced_line_only_rejected()
    {
        var november = new ClaimMonth(2026, 11);
        var closed = Japan(2026, 12, 10);

        Assert.StartsWith("the claim is open until 2026-12-09T15:00:00Z", ClaimRules.DecisionRefusal(november, Japan(2026, 12, 9, 12), LineAmounts.Zero, "approved", null), StringComparison.Ordinal);
        Assert.Null(ClaimRules.DecisionRefusal(november, closed, LineAmounts.Of(MrFromApril), "approved", null));
        Assert.NotNull(ClaimRules.DecisionRefusal(november, closed, LineAmounts.Unpriced, "approved", null));
        Assert.Null(ClaimRules.DecisionRefusal(november, closed, LineAmounts.Unpriced, "rejected", "no contract price"));
        Assert.Equal("a rejection needs a reason", ClaimRules.DecisionRefusal(november, closed, LineAmounts.Of(MrFromApril), "rejected", " "));
        Assert.Equal("must be approved or rejected", ClaimRules.DecisionRefusal(november, closed, LineAmounts.Of(MrFromApril), "maybe", null));
    }

    [Theory]
    [InlineData("2026-11", 2026, 11)]
    [InlineData("2000-01", 2000, 1)]
    public void A_claim_month_reads_as_yyyy_MM(string text, int year, int month)
    {
        Assert.Equal(new ClaimMonth(year, month), ClaimMonth.TryParse(text));
        Assert.Equal(text, new ClaimMonth(year, month).ToString());
    }

    [Theory]
    [InlineData("2026-13")]
    [InlineData("2026-1")]
    [InlineData("26-11")]
    [InlineData("1999-12")]
    [InlineData("２０２６-11")]
    [InlineData(null)]
    public void Anything_else_is_no_claim_month(string? text) => Assert.Null(ClaimMonth.TryParse(text));
}
