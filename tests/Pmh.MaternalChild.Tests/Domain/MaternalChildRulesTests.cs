using Pmh.MaternalChild.Domain;

namespace Pmh.MaternalChild.Tests.Domain;

public sealed class MaternalChildRulesTests
{
    private static DateOnly D(string iso) => DateOnly.Parse(iso, System.Globalization.CultureInfo.InvariantCulture);

    private static readonly PregnancyFacts Pregnancy = new("preg-1", D("2025-01-10"), D("2025-08-01"), null);
    private static readonly PregnancyFacts Born = Pregnancy with { EndedOn = D("2025-07-28") };

    private static VoucherUse[] Uses(string recordId, params int[] numbers) =>
        numbers.Select(n => new VoucherUse(recordId, n, D("2025-03-01").AddDays(n))).ToArray();

    private static PregnancyEntitlement Single(PregnancyFacts p, IEnumerable<VoucherUse> uses, string date) =>
        Assert.Single(MaternalChildRules.Vouchers([p], uses, D(date)));

    // ---- voucher arithmetic ----

    public static TheoryData<int[], int, int> VoucherArithmetic => new()
    {
        { Array.Empty<int>(), 0, 14 },
        { new[] { 1, 2, 3 }, 3, 11 },
        { Enumerable.Range(1, 14).ToArray(), 14, 0 },
    };

    [Theory]
    [MemberData(nameof(VoucherArithmetic))]
    public void Used_and_left_vouchers_always_add_up_to_fourteen(int[] used, int expectedUsed, int expectedLeft)
    {
        var e = Single(Pregnancy, Uses("preg-1", used), "2025-04-01");

        Assert.Equal(14, e.Total);
        Assert.Equal(expectedUsed, e.Used);
        Assert.Equal(expectedLeft, e.Left);
        Assert.True(e.IsOpen);
        Assert.Equal(14, e.Vouchers.Count);
        Assert.Equal(Enumerable.Range(1, 14), e.Vouchers.Select(v => v.Number));
        Assert.Equal(expectedUsed, e.Vouchers.Count(v => v.Status == VoucherStatus.Used));
        Assert.Equal(expectedLeft, e.Vouchers.Count(v => v.Status == VoucherStatus.Unused));
    }

    [Fact]
    public void A_used_voucher_carries_its_id_and_date()
    {
        var e = Single(Pregnancy, [new VoucherUse("preg-1", 5, D("2025-03-15"))], "2025-04-01");

        var v = e.Vouchers[4];
        Assert.Equal("preg-1#5", v.VoucherId);
        Assert.Equal(VoucherStatus.Used, v.Status);
        Assert.Equal(D("2025-03-15"), v.UsedOn);
        Assert.Null(e.Vouchers[0].UsedOn);
    }

    [Fact]
    public void Uses_of_another_pregnancy_do_not_count()
    {
        var other = new PregnancyFacts("preg-2", D("2023-01-01"), D("2023-08-01"), D("2023-07-30"));
        var uses = Uses("preg-2", 1, 2, 3, 4);

        var all = MaternalChildRules.Vouchers([Pregnancy, other], uses, D("2025-04-01"));

        Assert.Equal(["preg-1", "preg-2"], all.Select(p => p.RecordId));
        Assert.Equal((0, 14), (all[0].Used, all[0].Left));
        Assert.Equal((4, 0), (all[1].Used, all[1].Left));
        Assert.Null(MaternalChildRules.CannotRedeem(Pregnancy, 1, uses, D("2025-04-01")));
    }

    // ---- closing ----

    [Fact]
    public void A_voucher_can_still_be_used_on_the_day_of_birth()
    {
        var e = Single(Born, Uses("preg-1", 1, 2), "2025-07-28");

        Assert.True(e.IsOpen);
        Assert.Equal((2, 12), (e.Used, e.Left));
        Assert.Null(MaternalChildRules.CannotRedeem(Born, 3, [], D("2025-07-28")));
    }

    [Fact]
    public void An_ended_pregnancy_closes_its_unused_vouchers_from_the_day_after_the_birth()
    {
        var e = Single(Born, Uses("preg-1", 1, 2), "2025-07-29");

        Assert.False(e.IsOpen);
        Assert.Equal(14, e.Total);
        Assert.Equal((2, 0), (e.Used, e.Left));
        Assert.Equal(12, e.Vouchers.Count(v => v.Status == VoucherStatus.Closed));
        Assert.Equal(VoucherStatus.Used, e.Vouchers[0].Status);
        Assert.Equal("pregnancyClosed", MaternalChildRules.CannotRedeem(Born, 3, [], D("2025-07-29")));
    }

    [Theory]
    [InlineData("2025-09-26", true)]  // due date + 56 days: still open
    [InlineData("2025-09-27", false)] // due date + 57 days: more than 8 weeks overdue
    public void A_pregnancy_without_an_end_closes_more_than_eight_weeks_after_its_due_date(string date, bool open)
    {
        var e = Single(Pregnancy, [], date);

        Assert.Equal(open, e.IsOpen);
        Assert.Equal(open ? 14 : 0, e.Left);
        Assert.Equal(open ? null : "pregnancyClosed", MaternalChildRules.CannotRedeem(Pregnancy, 1, [], D(date)));
    }

    // ---- redeem refusals ----

    public static TheoryData<string, int, string, string?> Refusals => new()
    {
        { "open", 1, "2025-04-01", null },
        { "open", 14, "2025-01-10", null },       // registration day itself
        { "none", 1, "2025-04-01", "noSuchVoucher" },
        { "open", 0, "2025-04-01", "noSuchVoucher" },
        { "open", 15, "2025-04-01", "noSuchVoucher" },
        { "open", 2, "2025-04-01", "alreadyUsed" },
        { "born", 2, "2025-08-10", "alreadyUsed" },
        { "born", 5, "2025-08-10", "pregnancyClosed" },
        { "open", 5, "2025-01-09", "beforeRegistration" },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public void CannotRedeem_gives_the_reason_a_voucher_is_refused(string which, int number, string date, string? reason)
    {
        var p = which switch { "open" => Pregnancy, "born" => Born, _ => null };

        Assert.Equal(reason, MaternalChildRules.CannotRedeem(p, number, Uses("preg-1", 2), D(date)));
    }

    // ---- voucher ids ----

    [Theory]
    [InlineData("preg-1", 1, "preg-1#1")]
    [InlineData("preg-1", 14, "preg-1#14")]
    [InlineData("a#b#c", 7, "a#b#c#7")]
    public void A_voucher_id_round_trips_splitting_at_the_last_hash(string recordId, int number, string id)
    {
        Assert.Equal(id, MaternalChildRules.VoucherId(recordId, number));
        Assert.True(MaternalChildRules.TryParseVoucherId(id, out var parsedRecord, out var parsedNumber));
        Assert.Equal((recordId, number), (parsedRecord, parsedNumber));
    }

    [Theory]
    [InlineData("")]
    [InlineData("preg-1")]
    [InlineData("#3")]
    [InlineData("preg-1#")]
    [InlineData("preg-1#x")]
    [InlineData("preg-1#-3")]
    [InlineData("preg-1#03")]
    [InlineData("preg-1# 3")]
    [InlineData("preg-1#99999999999")]
    public void A_malformed_voucher_id_does_not_parse(string id)
    {
        Assert.False(MaternalChildRules.TryParseVoucherId(id, out _, out _));
    }

    // ---- infant checkups ----

    private static readonly IReadOnlyDictionary<string, DateOnly> NoneDone = new Dictionary<string, DateOnly>();

    private static InfantCheckupEntitlement Checkup(string birth, string on, string code, IReadOnlyDictionary<string, DateOnly>? done = null) =>
        Assert.Single(MaternalChildRules.InfantCheckups(D(birth), D(on), done ?? NoneDone), c => c.Checkup == code);

    [Fact]
    public void There_are_four_infant_checkups_in_order()
    {
        var all = MaternalChildRules.InfantCheckups(D("2024-05-15"), D("2024-05-15"), NoneDone);

        Assert.Equal(["1m", "3-4m", "18m", "3y"], all.Select(c => c.Checkup));
        Assert.Equal(["1か月児健診", "3〜4か月児健診", "1歳6か月児健診", "3歳児健診"], all.Select(c => c.Name));
        Assert.All(all, c => Assert.Equal(CheckupStatus.NotYetDue, c.Status));
    }

    [Theory]
    [InlineData("1m", "2024-06-15", "2024-07-14")]
    [InlineData("3-4m", "2024-08-15", "2024-10-14")]
    [InlineData("18m", "2025-11-15", "2026-05-14")]
    [InlineData("3y", "2027-05-15", "2028-05-14")]
    public void A_checkup_is_due_from_the_first_to_the_last_day_of_its_window(string code, string from, string until)
    {
        const string birth = "2024-05-15";
        var c = Checkup(birth, from, code);
        Assert.Equal((D(from), D(until)), (c.WindowFrom, c.WindowUntil));

        Assert.Equal(CheckupStatus.NotYetDue, Checkup(birth, D(from).AddDays(-1).ToString("O"), code).Status);
        Assert.Equal(CheckupStatus.Due, Checkup(birth, from, code).Status);
        Assert.Equal(CheckupStatus.Due, Checkup(birth, until, code).Status);
        Assert.Equal(CheckupStatus.PastWindow, Checkup(birth, D(until).AddDays(1).ToString("O"), code).Status);
    }

    [Theory]
    [InlineData("2024-06-01")] // before the window
    [InlineData("2024-06-20")] // within
    [InlineData("2030-01-01")] // long after
    public void A_recorded_checkup_is_done_with_its_date_whatever_the_service_date(string on)
    {
        var done = new Dictionary<string, DateOnly> { ["1m"] = D("2024-06-20") };

        var c = Checkup("2024-05-15", on, "1m", done);

        Assert.Equal(CheckupStatus.Done, c.Status);
        Assert.Equal(D("2024-06-20"), c.DoneOn);
        Assert.Null(Checkup("2024-05-15", on, "3-4m", done).DoneOn);
    }

    [Theory]
    // born 31 January: month arithmetic clamps to the month's end
    [InlineData("2024-01-31", "1m", "2024-02-29", "2024-03-30")]
    [InlineData("2023-01-31", "1m", "2023-02-28", "2023-03-30")]
    [InlineData("2024-01-31", "3-4m", "2024-04-30", "2024-06-29")]
    [InlineData("2024-01-31", "18m", "2025-07-31", "2026-01-30")]
    // born 29 February: in common years the anniversary falls on 28 February
    [InlineData("2024-02-29", "1m", "2024-03-29", "2024-04-28")]
    [InlineData("2024-02-29", "18m", "2025-08-29", "2026-02-27")]
    [InlineData("2024-02-29", "3y", "2027-02-28", "2028-02-28")]
    public void Windows_use_calendar_months_at_month_ends(string birth, string code, string from, string until)
    {
        var c = Checkup(birth, birth, code);

        Assert.Equal((D(from), D(until)), (c.WindowFrom, c.WindowUntil));
        Assert.Equal(CheckupStatus.Due, Checkup(birth, from, code).Status);
        Assert.Equal(CheckupStatus.PastWindow, Checkup(birth, D(until).AddDays(1).ToString("O"), code).Status);
    }

    [Theory]
    [InlineData("1m", true)]
    [InlineData("3-4m", true)]
    [InlineData("18m", true)]
    [InlineData("3y", true)]
    [InlineData("3Y", false)]
    [InlineData("4m", false)]
    [InlineData("", false)]
    public void Only_the_four_checkup_codes_are_checkup_codes(string code, bool expected)
    {
        Assert.Equal(expected, MaternalChildRules.IsCheckupCode(code));
    }
}
