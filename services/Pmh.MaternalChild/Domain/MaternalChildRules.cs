using System.Globalization;

namespace Pmh.MaternalChild.Domain;

/// <summary>
/// Pure maternal-child entitlement rules (docs/architecture.md): 14 pregnancy checkup vouchers (妊婦健診受診券) per registered
/// pregnancy, each usable once, and the four infant checkups (乳幼児健診).
/// </summary>
/// <remarks>
/// Choices:
/// <list type="bullet">
/// <item>A pregnancy is closed from the day AFTER <see cref="PregnancyFacts.EndedOn"/>, so a checkup on the day of birth can still use a voucher.</item>
/// <item>A pregnancy without an end is closed once the date is more than <see cref="OverdueClosureDays"/> days (8 weeks) after its due
/// date, i.e. from DueDate + 57 days; DueDate + 56 days is still open. This is a local assumption (no end was ever registered).</item>
/// <item>Every recorded use counts as used whatever its date; uses with a number outside 1..14 are ignored; with duplicate uses of
/// one voucher the earliest date is reported.</item>
/// <item>Record ids are compared ordinally (case-sensitive).</item>
/// </list>
/// </remarks>
public static class MaternalChildRules
{
    public const int VouchersPerPregnancy = 14;

    /// <summary>Days after the due date during which a pregnancy with no registered end stays open (8 weeks).</summary>
    public const int OverdueClosureDays = 56;

    public const string NoSuchVoucher = Contracts.MaternalChild.CheckupRefused.NoSuchVoucher;
    public const string AlreadyUsed = Contracts.MaternalChild.CheckupRefused.AlreadyUsed;
    public const string PregnancyClosed = Contracts.MaternalChild.CheckupRefused.PregnancyClosed;
    public const string BeforeRegistration = Contracts.MaternalChild.CheckupRefused.BeforeRegistration;

    public const string OneMonth = "1m";
    public const string ThreeToFourMonths = "3-4m";
    public const string EighteenMonths = "18m";
    public const string ThreeYears = "3y";

    private static readonly (string Code, string Name, int FromMonths, int UntilMonths)[] Checkups =
    [
        (OneMonth, "1か月児健診", 1, 2),
        (ThreeToFourMonths, "3〜4か月児健診", 3, 5),
        (EighteenMonths, "1歳6か月児健診", 18, 24),
        (ThreeYears, "3歳児健診", 36, 48),
    ];

    /// <summary>The voucher id: <c>{pregnancyRecordId}#{number}</c>.</summary>
    public static string VoucherId(string pregnancyRecordId, int number)
    {
        ArgumentNullException.ThrowIfNull(pregnancyRecordId);
        return $"{pregnancyRecordId}#{number.ToString(CultureInfo.InvariantCulture)}";
    }

    /// <summary>
    /// Splits a voucher id at its LAST '#' (the record id may itself contain '#'). The record id must be non-empty and the
    /// number canonical decimal digits (no sign, no leading zeros), so that <see cref="VoucherId"/> gives back the input.
    /// The number's range is not checked here (see <see cref="CannotRedeem"/>).
    /// </summary>
    public static bool TryParseVoucherId(string voucherId, out string pregnancyRecordId, out int number)
    {
        pregnancyRecordId = "";
        number = 0;
        if (string.IsNullOrEmpty(voucherId)) return false;
        var hash = voucherId.LastIndexOf('#');
        if (hash <= 0 || hash == voucherId.Length - 1) return false;
        var digits = voucherId[(hash + 1)..];
        if (!int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var n)
            || n.ToString(CultureInfo.InvariantCulture) != digits)
            return false;
        pregnancyRecordId = voucherId[..hash];
        number = n;
        return true;
    }

    /// <summary>Whether the pregnancy is closed on <paramref name="date"/> (see the class remarks).</summary>
    public static bool IsClosed(PregnancyFacts pregnancy, DateOnly date)
    {
        ArgumentNullException.ThrowIfNull(pregnancy);
        return pregnancy.EndedOn is { } ended
            ? date > ended
            : date > pregnancy.DueDate.AddDays(OverdueClosureDays);
    }

    /// <summary>
    /// The vouchers of each pregnancy (in input order) on the service date: Used (from the uses), Unused while the pregnancy is
    /// open, Closed when unused and the pregnancy is closed. Total is always 14; Used + Left + closed = 14; Left counts only usable ones.
    /// </summary>
    public static IReadOnlyList<PregnancyEntitlement> Vouchers(
        IEnumerable<PregnancyFacts> pregnancies, IEnumerable<VoucherUse> uses, DateOnly serviceDate)
    {
        ArgumentNullException.ThrowIfNull(pregnancies);
        ArgumentNullException.ThrowIfNull(uses);
        var usedOn = UsedOnByVoucher(uses);
        var result = new List<PregnancyEntitlement>();
        foreach (var p in pregnancies)
        {
            var open = !IsClosed(p, serviceDate);
            var vouchers = new VoucherEntitlement[VouchersPerPregnancy];
            int used = 0, left = 0;
            for (var n = 1; n <= VouchersPerPregnancy; n++)
            {
                VoucherEntitlement v;
                if (usedOn.TryGetValue((p.RecordId, n), out var on))
                {
                    used++;
                    v = new VoucherEntitlement(VoucherId(p.RecordId, n), n, VoucherStatus.Used, on);
                }
                else if (open)
                {
                    left++;
                    v = new VoucherEntitlement(VoucherId(p.RecordId, n), n, VoucherStatus.Unused, null);
                }
                else
                {
                    v = new VoucherEntitlement(VoucherId(p.RecordId, n), n, VoucherStatus.Closed, null);
                }
                vouchers[n - 1] = v;
            }
            result.Add(new PregnancyEntitlement(p.RecordId, p.DueDate, open, VouchersPerPregnancy, used, left, vouchers));
        }
        return result;
    }

    /// <summary>
    /// Why voucher <paramref name="voucherNumber"/> of <paramref name="pregnancy"/> cannot be used on <paramref name="date"/>,
    /// or null when it can. Checked in this order: noSuchVoucher (no pregnancy, or number outside 1..14), alreadyUsed,
    /// pregnancyClosed, beforeRegistration.
    /// </summary>
    public static string? CannotRedeem(PregnancyFacts? pregnancy, int voucherNumber, IEnumerable<VoucherUse> uses, DateOnly date)
    {
        ArgumentNullException.ThrowIfNull(uses);
        if (pregnancy is null || voucherNumber < 1 || voucherNumber > VouchersPerPregnancy) return NoSuchVoucher;
        if (uses.Any(u => u.VoucherNumber == voucherNumber && string.Equals(u.PregnancyRecordId, pregnancy.RecordId, StringComparison.Ordinal)))
            return AlreadyUsed;
        if (IsClosed(pregnancy, date)) return PregnancyClosed;
        if (date < pregnancy.RegisteredOn) return BeforeRegistration;
        return null;
    }

    /// <summary>
    /// The four infant checkups of a child born on <paramref name="birthDate"/>, with windows in calendar months
    /// (<see cref="DateOnly.AddMonths"/>, which clamps to month end: born 31 Jan → 1m opens 28/29 Feb; born 29 Feb → 3y opens 28 Feb).
    /// WindowFrom = birth + from months; WindowUntil = (birth + until months) − 1 day, inclusive.
    /// Windows (assumption after 母子保健法 §12 and common municipal practice): 1m [1 month, 2 months); 3-4m [3 months, 5 months);
    /// 18m [1y6m, 2y) (法定: 満1歳6か月を超え満2歳に達しない幼児); 3y [3y, 4y) (法定: 満3歳を超え満4歳に達しない幼児).
    /// Status: Done when <paramref name="done"/> has a date for the code (DoneOn = that date); otherwise NotYetDue before the
    /// window, Due within it, PastWindow after it.
    /// </summary>
    public static IReadOnlyList<InfantCheckupEntitlement> InfantCheckups(
        DateOnly birthDate, DateOnly serviceDate, IReadOnlyDictionary<string, DateOnly> done)
    {
        ArgumentNullException.ThrowIfNull(done);
        var result = new List<InfantCheckupEntitlement>(Checkups.Length);
        foreach (var (code, name, fromMonths, untilMonths) in Checkups)
        {
            var from = birthDate.AddMonths(fromMonths);
            var until = birthDate.AddMonths(untilMonths).AddDays(-1);
            var entitlement = done.TryGetValue(code, out var doneOn)
                ? new InfantCheckupEntitlement(code, name, from, until, CheckupStatus.Done, doneOn)
                : new InfantCheckupEntitlement(code, name, from, until,
                    serviceDate < from ? CheckupStatus.NotYetDue
                    : serviceDate > until ? CheckupStatus.PastWindow
                    : CheckupStatus.Due,
                    null);
            result.Add(entitlement);
        }
        return result;
    }

    /// <summary>Whether <paramref name="code"/> is one of "1m", "3-4m", "18m", "3y" (ordinal).</summary>
    public static bool IsCheckupCode(string code) =>
        code is OneMonth or ThreeToFourMonths or EighteenMonths or ThreeYears;

    private static Dictionary<(string, int), DateOnly> UsedOnByVoucher(IEnumerable<VoucherUse> uses)
    {
        var map = new Dictionary<(string, int), DateOnly>();
        foreach (var u in uses)
        {
            if (u.VoucherNumber < 1 || u.VoucherNumber > VouchersPerPregnancy) continue;
            var key = (u.PregnancyRecordId, u.VoucherNumber);
            if (!map.TryGetValue(key, out var existing) || u.UsedOn < existing) map[key] = u.UsedOn;
        }
        return map;
    }
}
