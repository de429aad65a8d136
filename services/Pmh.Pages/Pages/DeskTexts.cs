using Pmh.Contracts.Identity;
using Pmh.Modules.Pages;

namespace Pmh.Pages.Pages;

/// <summary>The desk page's own texts (each kind's section brings its own) and the card refusals in words.</summary>
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
    public static readonly LocalText DemoCard = new("デモ用カード（開発環境のみ）", "Demo card (Development only)");
    public static readonly LocalText DemoCardHelp = new(
        "開発環境では、ブラウザーがデモ用カードの鍵で署名します（模擬カードリーダー）。",
        "In Development the browser signs with a demo card's key (a simulated card reader).");
    public static readonly LocalText ReadCard = new("カードを読み取って確認する", "Read the card and check");
    public static readonly LocalText Reading = new("カードを読み取っています…", "Reading the card…");
    public static readonly LocalText NoReader = new(
        "カードリーダーが見つかりません。", "No card reader is available.");
    public static readonly LocalText NeedsScript = new(
        "カードの署名がありません。カードの読み取りには JavaScript が必要です。", "The card's signature is missing; reading the card needs JavaScript.");
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
    public static readonly LocalText VerificationUnavailable = new(
        "本人確認のサービスが応答しません。もう一度読み取ってください。", "The identity service is not answering; read the card again.");

    /// <summary>A refused card's reason code in words a clerk understands.</summary>
    public static readonly IReadOnlyDictionary<string, LocalText> CardReasons = new Dictionary<string, LocalText>(StringComparer.Ordinal)
    {
        [CardRejectionReasons.Malformed] = new("カードの証明書を読み取れませんでした。もう一度読み取ってください。", "The card's certificate could not be read; try again."),
        [CardRejectionReasons.UnknownIssuer] = new("このカードの発行元は信頼されていません。", "This card's issuer is not trusted."),
        [CardRejectionReasons.NotACardCertificate] = new("カードの利用者証明書ではありません。", "This is not a card's authentication certificate."),
        [CardRejectionReasons.Expired] = new("カードの有効期限が切れています。", "The card has expired."),
        [CardRejectionReasons.Revoked] = new("このカードは失効しています。", "This card has been revoked."),
        [CardRejectionReasons.UnregisteredCard] = new("このカードは登録されていません。", "This card is not registered."),
        [CardRejectionReasons.BadSignature] = new("カードの署名が正しくありません。もう一度読み取ってください。", "The card's signature does not match; try again."),
        [CardRejectionReasons.ChallengeExpired] = new("読み取りに時間がかかりすぎました。もう一度読み取ってください。", "Reading took too long; try again."),
        [CardRejectionReasons.ChallengeReused] = new("この読み取りは使用済みです。もう一度読み取ってください。", "This reading was used already; try again."),
    };

    public static LocalText CardRefused(string reason) =>
        CardReasons.GetValueOrDefault(reason) ?? new($"カードを受け付けられませんでした（{reason}）。", $"The card was not accepted ({reason}).");
}
