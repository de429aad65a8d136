using System.Globalization;
using System.Text.Json.Nodes;
using MassTransit;
using Microsoft.AspNetCore.Http;
using Pmh.Contracts.MaternalChild;
using Pmh.MaternalChild.Apis;
using Pmh.MaternalChild.Reception;
using Pmh.Modules.Pages;

namespace Pmh.MaternalChild.Pages;

/// <summary>
/// The maternal-child part of the desk page: each pregnancy's checkup vouchers (left and used), each infant checkup
/// with its window; the voucher-use and infant-checkup forms record through <see cref="MaternalChildApi"/>'s handlers
/// as the API's endpoints do.
/// </summary>
public sealed class MaternalChildDeskSection(
    CurrentChecks checks, IRequestClient<RedeemVoucher> vouchers, IRequestClient<RecordInfantCheckup> checkups, TimeProvider time) : IDeskSection
{
    public const string VoucherForm = "voucher";
    public const string CheckupForm = "infantCheckup";

    private static readonly Dictionary<string, LocalText> CheckupNames = new(StringComparer.Ordinal)
    {
        ["1m"] = new("1か月児健診", "1-month checkup"),
        ["3-4m"] = new("3〜4か月児健診", "3–4-month checkup"),
        ["18m"] = new("1歳6か月児健診", "18-month checkup"),
        ["3y"] = new("3歳児健診", "3-year checkup"),
    };

    private static readonly Dictionary<string, LocalText> States = new(StringComparer.Ordinal)
    {
        ["done"] = new("受診済み", "Done"),
        ["due"] = new("受診時期", "Due"),
        ["notYetDue"] = new("まだ時期ではない", "Not yet due"),
        ["pastWindow"] = new("時期を過ぎた", "Past its window"),
        ["unused"] = new("未使用", "Unused"),
        ["used"] = new("使用済み", "Used"),
        ["closed"] = new("終了（出生届済み）", "Closed (birth registered)"),
    };

    private static readonly Dictionary<string, LocalText> Reasons = new(StringComparer.Ordinal)
    {
        [CheckupRefused.NoSuchVoucher] = new("この受診券は見つかりません。", "There is no such voucher."),
        [CheckupRefused.AlreadyUsed] = new("この受診券は使用済みです。", "This voucher has been used already."),
        [CheckupRefused.PregnancyClosed] = new("この妊娠の受診券は出生届により終了しています。", "This pregnancy's vouchers are closed (the birth was registered)."),
        [CheckupRefused.BeforeRegistration] = new("妊娠届の前の日付です。", "The date is before the pregnancy was registered."),
        [CheckupRefused.NotYourVoucher] = new("この方の受診券ではありません。", "This voucher is not this person's."),
        [CheckupRefused.NotARegisteredChild] = new("この方は自治体に登録された児童ではありません。", "This person is not a child the municipality registered."),
        ["was already used for a different checkup"] = new("この番号は別の健診で使われています。新しい番号にしてください。", "This number was used for another checkup; use a new number."),
        ["is required as the gestational week, 1 to 45"] = new("妊娠週数（1〜45）を入力してください。", "Enter the gestational week (1 to 45)."),
        ["is required as the age in months, 0 to 60"] = new("月齢（0〜60）を入力してください。", "Enter the age in months (0 to 60)."),
        ["must be a weight in kg between 0 and 300"] = new("体重は kg で入力してください。", "Enter the weight in kg."),
        ["must be a height in cm between 0 and 250"] = new("身長は cm で入力してください。", "Enter the height in cm."),
    };

    private static readonly Dictionary<string, LocalText> FieldNames = new(StringComparer.Ordinal)
    {
        ["voucher"] = new("受診券", "Voucher"),
        ["redemptionId"] = new("使用番号", "Use number"),
        ["submissionId"] = new("送信番号", "Submission number"),
        ["checkup"] = new("健診", "Checkup"),
        ["date"] = new("受診日", "Date"),
        ["gestationalWeek"] = new("妊娠週数", "Gestational week"),
        ["ageMonths"] = new("月齢", "Age in months"),
        ["weightKg"] = new("体重（kg）", "Weight (kg)"),
        ["heightCm"] = new("身長（cm）", "Height (cm)"),
        ["notes"] = new("所見", "Notes"),
    };

    public string Kind => "maternalChild";

    public LocalText Title { get; } = new("母子保健（妊婦健診・乳幼児健診）", "Maternal-child health (prenatal vouchers, infant checkups)");

    public LocalText ConsentLabel { get; } = new("母子保健（受診券・乳幼児健診）", "Maternal-child health (vouchers, infant checkups)");

    public DeskView Show(JsonObject part, DeskCheck check)
    {
        ArgumentNullException.ThrowIfNull(check);
        var view = DeskRefusals.Read<MaternalChildView>(part) ?? new MaternalChildView([], []);
        var pregnancies = new DeskTable(
            "maternal-child-vouchers",
            new("妊婦健診の受診券", "Prenatal checkup vouchers"),
            [new("出産予定日", "Due date"), new("残り", "Left"), new("使用済み", "Used"), new("全部", "Total"), new("状態", "State")],
            view.Pregnancies.Select(p => (IReadOnlyList<LocalText>)
            [
                LocalText.Same(Day(p.DueDate)),
                new($"{p.Left} 枚", $"{p.Left}"),
                new($"{p.Used} 枚", $"{p.Used}"),
                new($"{p.Total} 枚", $"{p.Total}"),
                p.IsOpen ? new("利用中", "Open") : States["closed"],
            ]).ToList(),
            new("受診券はありません。", "No vouchers."));
        var infants = new DeskTable(
            "maternal-child-checkups",
            new("乳幼児健診", "Infant checkups"),
            [new("健診", "Checkup"), new("時期", "Window"), new("状況", "State"), new("受診日", "Done on")],
            view.InfantCheckups.Select(c => (IReadOnlyList<LocalText>)
            [
                CheckupNames.GetValueOrDefault(c.Checkup) ?? LocalText.Same(c.Name),
                LocalText.Same($"{Day(c.WindowFrom)} – {Day(c.WindowUntil)}"),
                States.GetValueOrDefault(c.Status) ?? LocalText.Same(c.Status),
                LocalText.Same(c.DoneOn is { } d ? Day(d) : "—"),
            ]).ToList(),
            new("乳幼児健診の対象ではありません。", "No infant checkups apply."));

        var forms = new List<DeskForm>();
        var unused = view.Pregnancies.Where(p => p.IsOpen).SelectMany(p => p.Vouchers.Where(v => v.Status == "unused")).ToList();
        if (unused.Count > 0)
        {
            forms.Add(new(VoucherForm, new("受診券を使う（妊婦健診）", "Use a voucher (prenatal checkup)"),
            [
                new("voucher", FieldNames["voucher"], DeskFieldKind.Choice, unused[0].VoucherId,
                    unused.Select(v => new DeskChoice(v.VoucherId, new($"第 {v.Number} 回", $"No. {v.Number}"))).ToList(), Required: true),
                new("date", FieldNames["date"], DeskFieldKind.Date, Day(check.ServiceDate), Required: true),
                new("gestationalWeek", FieldNames["gestationalWeek"], DeskFieldKind.Number, null, Required: true),
                new("weightKg", FieldNames["weightKg"], DeskFieldKind.Text),
                new("notes", FieldNames["notes"], DeskFieldKind.Text),
                new("redemptionId", FieldNames["redemptionId"], DeskFieldKind.Text, "M-" + Guid.NewGuid().ToString("N")[..10], Required: true),
            ],
            new("使用を記録する", "Record the use")));
        }

        var open = view.InfantCheckups.Where(c => c.Status != "done").ToList();
        if (open.Count > 0)
        {
            var months = ((check.ServiceDate.Year - check.BirthDate.Year) * 12) + check.ServiceDate.Month - check.BirthDate.Month - (check.ServiceDate.Day < check.BirthDate.Day ? 1 : 0);
            forms.Add(new(CheckupForm, new("乳幼児健診を記録する", "Record an infant checkup"),
            [
                new("checkup", FieldNames["checkup"], DeskFieldKind.Choice, (open.FirstOrDefault(c => c.Status == "due") ?? open[0]).Checkup,
                    open.Select(c => new DeskChoice(c.Checkup, CheckupNames.GetValueOrDefault(c.Checkup) ?? LocalText.Same(c.Name))).ToList(), Required: true),
                new("date", FieldNames["date"], DeskFieldKind.Date, Day(check.ServiceDate), Required: true),
                new("ageMonths", FieldNames["ageMonths"], DeskFieldKind.Number, Math.Max(0, months).ToString(CultureInfo.InvariantCulture), Required: true),
                new("weightKg", FieldNames["weightKg"], DeskFieldKind.Text),
                new("heightCm", FieldNames["heightCm"], DeskFieldKind.Text),
                new("notes", FieldNames["notes"], DeskFieldKind.Text),
                new("submissionId", FieldNames["submissionId"], DeskFieldKind.Text, "K-" + Guid.NewGuid().ToString("N")[..10], Required: true),
            ],
            new("健診を記録する", "Record the checkup")));
        }

        return new DeskView([pregnancies, infants], forms);
    }

    public async Task<DeskOutcome> SubmitAsync(string form, IFormCollection fields, DeskCheck check, HttpContext http, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(check);
        string? F(string name) => DeskRefusals.Field(fields, name);
        var recorded = new Func<CheckupAnswer, LocalText>(a =>
            new($"記録しました（結果番号 {a.ResultId}、自治体 {a.MunicipalityCode} へ通知）。", $"Recorded (result {a.ResultId}; reported to municipality {a.MunicipalityCode})."));
        switch (form)
        {
            case VoucherForm:
                var redemption = new VoucherRedemption
                {
                    CheckId = check.CheckId.ToString(), Voucher = F("voucher"), RedemptionId = F("redemptionId"), Date = F("date"),
                    GestationalWeek = F("gestationalWeek"), WeightKg = F("weightKg"), HeightCm = F("heightCm"), Notes = F("notes"),
                };
                var used = await MaternalChildApi.HandleRedeemAsync(http, redemption, checks, vouchers, time, cancellationToken).ConfigureAwait(false);
                return DeskRefusals.From(used.Result, recorded, Reasons, FieldNames);
            case CheckupForm:
                var checkup = new InfantCheckupSubmission
                {
                    CheckId = check.CheckId.ToString(), SubmissionId = F("submissionId"), Checkup = F("checkup"), Date = F("date"),
                    AgeMonths = F("ageMonths"), WeightKg = F("weightKg"), HeightCm = F("heightCm"), Notes = F("notes"),
                };
                var done = await MaternalChildApi.HandleInfantCheckupAsync(http, checkup, checks, checkups, time, cancellationToken).ConfigureAwait(false);
                return DeskRefusals.From(done.Result, recorded, Reasons, FieldNames);
            default:
                return new DeskOutcome(false, new("この記録はできません。", "There is no such form."));
        }
    }

    private static string Day(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
