namespace Pmh.Vaccination.Domain.Billing;

/// <summary>The amounts of a claim line in whole yen: nothing when the dose had no price in force (<c>unpriced</c>).</summary>
public sealed record LineAmounts(long UnitPriceYen, long PatientShareYen, bool Priced)
{
    public static LineAmounts Unpriced { get; } = new(0, 0, false);

    public static LineAmounts Zero { get; } = new(0, 0, true);

    public static LineAmounts Of(PriceRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        return new(row.UnitPriceYen, row.PatientShareYen, true);
    }

    /// <summary>What the municipality pays for the line.</summary>
    public long BilledYen => checked(UnitPriceYen - PatientShareYen);
}

/// <summary>What a correction of a dose does to its claim line.</summary>
public abstract record CorrectionEffect
{
    /// <summary>The line's claim is still open: the line itself takes the new amounts (and goes back to pending).</summary>
    public sealed record LineChanged(LineAmounts Amounts) : CorrectionEffect;

    /// <summary>The line's claim has closed: an adjustment line of the difference goes into <paramref name="Month"/>'s claim.</summary>
    public sealed record Adjustment(ClaimMonth Month, long UnitPriceDeltaYen, long PatientShareDeltaYen) : CorrectionEffect
    {
        public long BilledDeltaYen => checked(UnitPriceDeltaYen - PatientShareDeltaYen);
    }

    /// <summary>The line's claim is still open and the dose is no longer billed (now voluntary): the line goes.</summary>
    public sealed record LineRemoved : CorrectionEffect;

    /// <summary>Nothing to bill differently.</summary>
    public sealed record Unchanged : CorrectionEffect;
}

/// <summary>A claim's sums, exact in whole yen.</summary>
public sealed record ClaimTotals(int Lines, int UnpricedLines, long UnitPriceYen, long PatientShareYen, long BilledYen, long ApprovedYen, long RejectedYen);

/// <summary>A line as the totals see it.</summary>
public sealed record TotalledLine(LineAmounts Amounts, string State);

/// <summary>The sums of a claim's lines in one state, as the store adds them up (so a claim's totals need none of its lines read).</summary>
public sealed record StateSums(string State, int Lines, int UnpricedLines, long UnitPriceYen, long PatientShareYen);

/// <summary>
/// The billing rules of routine doses (予防接種費用請求), as pure code: which doses are billed, at what price, to which
/// municipality, in which month's claim, and what a correction does.
/// </summary>
public static class ClaimRules
{
    public const string Pending = "pending";
    public const string Unpriced = "unpriced";
    public const string Approved = "approved";
    public const string Rejected = "rejected";

    /// <summary>
    /// The line's amounts for a dose, or null when the dose is not billed at all (voluntary: the person pays the
    /// institution). A routine dose with no row in force on its date is billed <see cref="LineAmounts.Unpriced"/>.
    /// </summary>
    public static LineAmounts? Price(string vaccine, string programme, DateOnly doseDate, PriceTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        if (!PriceTable.IsBilled(programme))
        {
            return null;
        }

        return table.PriceOn(vaccine, programme, doseDate) is { } row ? LineAmounts.Of(row) : LineAmounts.Unpriced;
    }

    /// <summary>
    /// The municipality that pays: the one whose register names the person, wherever the dose was given (住所地外接種
    /// included); for someone in no register, the one the desk named. Null when neither is known.
    /// </summary>
    public static string? PayingMunicipality(string? registered, string? named) => registered ?? named;

    /// <summary>
    /// The month whose claim a new line joins: the month of the dose when that claim is still open at
    /// <paramref name="recordedAt"/>, otherwise (a dose recorded late) the earliest claim still open.
    /// </summary>
    public static ClaimMonth MonthFor(DateOnly doseDate, DateTimeOffset recordedAt)
    {
        var month = ClaimMonth.Of(doseDate);
        var earliestOpen = ClaimMonth.EarliestOpenAt(recordedAt);
        return month >= earliestOpen ? month : earliestOpen;
    }

    /// <summary>
    /// A correction at <paramref name="at"/> of a line in <paramref name="lineMonth"/>'s claim from
    /// <paramref name="before"/> to <paramref name="after"/> (null: the dose is no longer billed, e.g. cancelled or
    /// now voluntary). Before the close the line changes; after it, the difference becomes an adjustment line in the
    /// earliest open claim.
    /// </summary>
    public static CorrectionEffect Correct(ClaimMonth lineMonth, LineAmounts before, LineAmounts? after, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(before);
        var target = after ?? LineAmounts.Zero;
        if (lineMonth.IsOpenAt(at))
        {
            return after is null ? new CorrectionEffect.LineRemoved()
                : target == before ? new CorrectionEffect.Unchanged()
                : new CorrectionEffect.LineChanged(target);
        }

        var unitDelta = checked(target.UnitPriceYen - before.UnitPriceYen);
        var shareDelta = checked(target.PatientShareYen - before.PatientShareYen);
        return unitDelta == 0 && shareDelta == 0
            ? new CorrectionEffect.Unchanged()
            : new CorrectionEffect.Adjustment(ClaimMonth.EarliestOpenAt(at), unitDelta, shareDelta);
    }

    /// <summary>The claim's sums: every line's unit price, patient share and billed amount; approved and rejected amounts by decision.</summary>
    public static ClaimTotals Totals(IEnumerable<TotalledLine> lines)
    {
        ArgumentNullException.ThrowIfNull(lines);
        int count = 0, unpriced = 0;
        long unit = 0, share = 0, billed = 0, approved = 0, rejected = 0;
        foreach (var line in lines)
        {
            count++;
            if (!line.Amounts.Priced)
            {
                unpriced++;
            }

            unit = checked(unit + line.Amounts.UnitPriceYen);
            share = checked(share + line.Amounts.PatientShareYen);
            billed = checked(billed + line.Amounts.BilledYen);
            if (line.State == Approved)
            {
                approved = checked(approved + line.Amounts.BilledYen);
            }
            else if (line.State == Rejected)
            {
                rejected = checked(rejected + line.Amounts.BilledYen);
            }
        }

        return new ClaimTotals(count, unpriced, unit, share, billed, approved, rejected);
    }

    /// <summary>The claim's sums from its per-state sums: the same totals as <see cref="Totals(IEnumerable{TotalledLine})"/> over its lines.</summary>
    public static ClaimTotals Totals(IEnumerable<StateSums> states)
    {
        ArgumentNullException.ThrowIfNull(states);
        int count = 0, unpriced = 0;
        long unit = 0, share = 0, billed = 0, approved = 0, rejected = 0;
        foreach (var state in states)
        {
            var stateBilled = checked(state.UnitPriceYen - state.PatientShareYen);
            count = checked(count + state.Lines);
            unpriced = checked(unpriced + state.UnpricedLines);
            unit = checked(unit + state.UnitPriceYen);
            share = checked(share + state.PatientShareYen);
            billed = checked(billed + stateBilled);
            if (state.State == Approved)
            {
                approved = checked(approved + stateBilled);
            }
            else if (state.State == Rejected)
            {
                rejected = checked(rejected + stateBilled);
            }
        }

        return new ClaimTotals(count, unpriced, unit, share, billed, approved, rejected);
    }

    /// <summary>Why "approve every pending line" cannot be done now, or null: like every decision, only on a closed claim.</summary>
    public static string? ApproveAllPendingRefusal(ClaimMonth month, DateTimeOffset at) =>
        month.IsOpenAt(at) ? $"the claim is open until {month.ClosesAt:yyyy-MM-ddTHH:mm:ssZ}; lines are decided once it has closed" : null;

    /// <summary>The state of a new line: <c>pending</c> when priced, <c>unpriced</c> otherwise.</summary>
    public static string InitialState(LineAmounts amounts)
    {
        ArgumentNullException.ThrowIfNull(amounts);
        return amounts.Priced ? Pending : Unpriced;
    }

    /// <summary>
    /// Why a decision cannot be taken, or null: decisions are taken on closed claims only (an open claim may still
    /// change), <c>approved</c> needs a price, <c>rejected</c> needs a reason.
    /// </summary>
    public static string? DecisionRefusal(ClaimMonth month, DateTimeOffset at, LineAmounts amounts, string decision, string? reason)
    {
        ArgumentNullException.ThrowIfNull(amounts);
        if (month.IsOpenAt(at))
        {
            return $"the claim is open until {month.ClosesAt:yyyy-MM-ddTHH:mm:ssZ}; lines are decided once it has closed";
        }

        return decision switch
        {
            Approved when !amounts.Priced => "an unpriced line cannot be approved; publish a price for its vaccine and date, or reject it",
            Rejected when string.IsNullOrWhiteSpace(reason) => "a rejection needs a reason",
            Approved or Rejected => null,
            _ => "must be approved or rejected",
        };
    }
}
