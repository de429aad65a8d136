using Pmh.Modules.Pages;

namespace Pmh.Vaccination.Pages;

/// <summary>The texts of the vaccination claims pages (<c>/municipality/claims</c>, <c>/desk/claims</c>).</summary>
public static class ClaimTexts
{
    public static readonly LocalText MunicipalityTitle = new("予防接種費用の請求（審査）", "Vaccination cost claims to review");
    public static readonly LocalText MunicipalityIntro = new(
        "医療機関からこの自治体への月ごとの請求です。請求は翌月 10 日 0 時（日本時間）に締まり、締まった請求の明細を承認・返戻します。",
        "The monthly claims of institutions to this municipality. A claim closes at 00:00 Japan time on the 10th of the following month; the lines of a closed claim are approved or rejected here.");
    public static readonly LocalText DeskTitle = new("予防接種費用の請求", "Vaccination cost claims");
    public static readonly LocalText DeskIntro = new(
        "この医療機関から各自治体への月ごとの請求と、明細ごとの審査の状態です。",
        "This institution's monthly claims to each municipality, and the state of each line.");
    public static readonly LocalText Month = new("対象月", "Month");
    public static readonly LocalText Show = new("表示する", "Show");
    public static readonly LocalText NoClaims = new("この月の請求はありません。", "No claims for this month.");
    public static readonly LocalText Claim = new("請求", "Claim");
    public static readonly LocalText Institution = new("医療機関", "Institution");
    public static readonly LocalText Municipality = new("自治体", "Municipality");
    public static readonly LocalText Status = new("状態", "Status");
    public static readonly LocalText ClosesAt = new("締め日時", "Closes at");
    public static readonly LocalText Lines = new("明細数", "Lines");
    public static readonly LocalText Billed = new("請求額（円）", "Billed (yen)");
    public static readonly LocalText Approved = new("承認額（円）", "Approved (yen)");
    public static readonly LocalText Rejected = new("返戻額（円）", "Rejected (yen)");
    public static readonly LocalText UnitPrice = new("単価（円）", "Unit price (yen)");
    public static readonly LocalText PatientShare = new("自己負担（円）", "Patient share (yen)");
    public static readonly LocalText States = new("明細の状態", "Line states");
    public static readonly LocalText Open = new("受付中", "Open");
    public static readonly LocalText Closed = new("締め済み", "Closed");
    public static readonly LocalText LinesHeading = new("明細", "Lines");
    public static readonly LocalText Person = new("対象者", "Person");
    public static readonly LocalText Vaccine = new("ワクチン", "Vaccine");
    public static readonly LocalText Dose = new("回数", "Dose");
    public static readonly LocalText Date = new("接種日", "Date");
    public static readonly LocalText State = new("審査", "State");
    public static readonly LocalText Reason = new("返戻の理由", "Reason for rejecting");
    public static readonly LocalText Decide = new("決定", "Decision");
    public static readonly LocalText Approve = new("承認する", "Approve");
    public static readonly LocalText Reject = new("返戻する", "Reject");
    public static readonly LocalText Adjustment = new("調整", "Adjustment");
    public static readonly LocalText DownloadCsv = new("この請求を CSV でダウンロード", "Download this claim as CSV");
    public static readonly LocalText NoSuchClaim = new("この請求は見つかりません。", "No such claim.");
    public static readonly LocalText OpenNotice = new("この請求はまだ締まっていません。締まるまで明細は決定できません。", "This claim is still open; its lines can be decided once it has closed.");
    public static readonly LocalText Decided = new("決定を記録しました。", "The decision was recorded.");
    public static readonly LocalText Refused = new("記録できませんでした", "The decision was not recorded");
    public static readonly LocalText BackToClaims = new("請求の一覧へ", "Back to the claims");
    public static readonly LocalText BackToDesk = new("受付へ戻る", "Back to the desk");
    public static readonly LocalText NextLines = new("次の明細へ", "Next lines");
    public static readonly LocalText FirstLines = new("最初の明細へ", "First lines");
    public static readonly LocalText LinesShown = new("表示中の明細数 / 全明細数", "Lines shown / lines in the claim");
    public static readonly LocalText AllLines = new("この請求の明細をすべて見る", "All lines of this claim");
    public static readonly LocalText ApprovePending = new("審査待ちの明細をすべて承認する", "Approve every pending line");
    public static readonly LocalText ApprovePendingHint = new(
        "締まった請求の審査待ちの明細を一度に承認します（単価なし・決定済みの明細は変わりません）。",
        "Approves every pending line of this closed claim at once (unpriced and decided lines stay as they are).");
    public static readonly LocalText BackToUploads = new("登録と記録の一覧へ戻る", "Back to uploads and records");
    public static readonly LocalText ClaimsLink = new("予防接種費用の請求", "Vaccination cost claims");

    private static readonly Dictionary<string, LocalText> StateTexts = new(StringComparer.Ordinal)
    {
        ["pending"] = new("審査待ち", "Pending"),
        ["unpriced"] = new("単価なし", "Unpriced"),
        ["approved"] = new("承認", "Approved"),
        ["rejected"] = new("返戻", "Rejected"),
        ["open"] = Open,
        ["closed"] = Closed,
    };

    public static LocalText StateOf(string state) => StateTexts.GetValueOrDefault(state) ?? LocalText.Same(state);
}
