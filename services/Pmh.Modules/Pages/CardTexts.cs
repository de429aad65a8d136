using Pmh.Contracts.Identity;

namespace Pmh.Modules.Pages;

/// <summary>
/// The texts of the card seam every page that reads a card shares (the desk, the citizen's log, a kind's citizen page):
/// the simulated reader, reading, and a refused card's reason in words.
/// </summary>
public static class CardTexts
{
    public static readonly LocalText DemoCard = new("デモ用カード（開発環境のみ）", "Demo card (Development only)");
    public static readonly LocalText DemoCardHelp = new(
        "開発環境では、ブラウザーがデモ用カードの鍵で署名します（模擬カードリーダー）。",
        "In Development the browser signs with a demo card's key (a simulated card reader).");
    public static readonly LocalText Reading = new("カードを読み取っています…", "Reading the card…");
    public static readonly LocalText NoReader = new(
        "カードリーダーが見つかりません。", "No card reader is available.");
    public static readonly LocalText NeedsScript = new(
        "カードの署名がありません。カードの読み取りには JavaScript が必要です。", "The card's signature is missing; reading the card needs JavaScript.");
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
