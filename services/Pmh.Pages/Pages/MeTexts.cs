using Pmh.Contracts.Audit;
using Pmh.Modules.Pages;

namespace Pmh.Pages.Pages;

/// <summary>The citizen's page's texts, and the access log's codes in plain words.</summary>
public static class MeTexts
{
    public static readonly LocalText Title = new("わたしの情報を見た記録", "Who looked at my data");
    public static readonly LocalText Intro = new(
        "ご自身のマイナンバーカードで本人確認をすると、医療機関・薬局・自治体があなたの情報を、いつ・何を・なぜ見たか（または記録したか）を新しい順に表示します。サインインは不要です。",
        "Prove your own My Number Card and see, newest first, when which clinic, pharmacy or municipality looked at (or recorded) what of your data, and why. No sign-in needed.");
    public static readonly LocalText Prove = new("カードで本人確認をして記録を見る", "Prove my card and show the record");
    public static readonly LocalText Log = new("記録", "The record");
    public static readonly LocalText When = new("日時", "When");
    public static readonly LocalText Who = new("誰が", "Who");
    public static readonly LocalText What = new("何を", "What");
    public static readonly LocalText Why = new("なぜ", "Why");
    public static readonly LocalText Outcome = new("結果", "Outcome");
    public static readonly LocalText Empty = new("まだ誰もあなたの情報を見ていません。", "Nobody has looked at your data yet.");
    public static readonly LocalText Nothing = new("（なし）", "(nothing)");
    public static readonly LocalText Count = new("件", "entries");

    public static readonly IReadOnlyDictionary<string, LocalText> Roles = new Dictionary<string, LocalText>(StringComparer.Ordinal)
    {
        ["MedicalInstitution"] = new("医療機関", "medical institution"),
        ["Pharmacy"] = new("薬局", "pharmacy"),
        ["Municipality"] = new("自治体", "municipality"),
        ["CardIssuer"] = new("カード発行者", "card issuer"),
        ["Operator"] = new("ハブの運用者", "hub operator"),
    };

    public static readonly IReadOnlyDictionary<string, LocalText> Kinds = new Dictionary<string, LocalText>(StringComparer.Ordinal)
    {
        ["copayment"] = new("自己負担額", "co-payments"),
    };

    public static readonly IReadOnlyDictionary<string, LocalText> Purposes = new Dictionary<string, LocalText>(StringComparer.Ordinal)
    {
        ["receptionCheck"] = new("受付でのカード確認", "a reception check with your card"),
        ["copayment"] = new("自己負担額の記録", "recording a co-payment"),
        ["vaccinationHistory"] = new("接種歴の照会", "reading your vaccination history"),
    };

    public static readonly IReadOnlyDictionary<string, LocalText> Outcomes = new Dictionary<string, LocalText>(StringComparer.Ordinal)
    {
        [AccessOutcomes.Disclosed] = new("表示されました", "shown to them"),
        [AccessOutcomes.NotConsented] = new("同意がないため照会されませんでした", "not looked up: you did not agree"),
        [AccessOutcomes.CardRejected] = new("カードが受け付けられませんでした", "your card was not accepted"),
        [AccessOutcomes.Denied] = new("権限がなく拒否されました", "refused: they may not"),
        [AccessOutcomes.Recorded] = new("記録されました", "recorded"),
        [AccessOutcomes.Unavailable] = new("応答がなく何も表示されませんでした", "nothing shown: no answer in time"),
    };
}
