using Pmh.Modules.Pages;

namespace Pmh.Pages.Pages;

/// <summary>The desk page's own texts (each kind's section brings its own; the card's are <see cref="CardTexts"/>).</summary>
public static class DeskTexts
{
    public static readonly LocalText Title = new("受付", "Reception desk");
    public static readonly LocalText HoldCard = new("カードを読み取る", "Hold the card");
    public static readonly LocalText HoldCardHelp = new(
        "患者さんに同意の範囲を確かめてからチェックを付け、カードを読み取ってください。カードの署名には JavaScript が必要です。",
        "Ask the patient what they agree to share, tick it, then read the card. Signing with the card needs JavaScript.");
    public static readonly LocalText Consent = new("患者さんが同意した情報", "What the patient agrees to share");
    public static readonly LocalText ServiceDate = new("診療日", "Date of service");
    public static readonly LocalText Reader = new("カードリーダー", "Card reader");
    public static readonly LocalText ReadCard = new("カードを読み取って確認する", "Read the card and check");
    public static readonly LocalText CheckFor = new("確認結果", "Check");
    public static readonly LocalText PersonRef = new("この医療機関での本人参照番号", "This institution's reference for the person");
    public static readonly LocalText BirthDate = new("生年月日", "Birth date");
    public static readonly LocalText CheckId = new("確認番号", "Check number");
    public static readonly LocalText ValidUntil = new("有効期限", "Valid until");
    public static readonly LocalText NextPatient = new("次の患者さん", "Next patient");
    public static readonly LocalText NotConsented = new("同意がないため照会していません。", "Not looked up: the patient did not agree.");
    public static readonly LocalText Unavailable = new("いま応答がありません。しばらくしてから確認し直してください。", "Not answering right now; check again shortly.");
    public static readonly LocalText Recorded = new("記録しました", "Recorded");
    public static readonly LocalText NotRecorded = new("記録できませんでした", "Not recorded");
    public static readonly LocalText Required = new("（必須）", "(required)");
    public static readonly LocalText CheckExpired = new(
        "この確認は有効期限が切れたか、見つかりません。カードをもう一度読み取ってください。", "This check has expired or cannot be found; read the card again.");
    public static readonly LocalText LookupsUnavailable = new(
        "カードは確認できましたが、照会先がどれも応答しませんでした。何も表示していません。もう一度読み取ってください。",
        "The card was verified, but no service answered in time; nothing was shown. Read the card again.");
}
