using Pmh.Modules.Pages;

namespace Pmh.Pages.Shell;

/// <summary>The layout's, the start page's and the sign-in page's texts.</summary>
public static class ShellTexts
{
    public static readonly LocalText HubName = new("PMH ハブ（公費負担医療等情報連携基盤）", "PMH Hub (Public Medical Hub)");
    public static readonly LocalText SkipToContent = new("本文へ移動", "Skip to content");
    public static readonly LocalText MainNav = new("ページ", "Pages");
    public static readonly LocalText Start = new("はじめに", "Start");
    public static readonly LocalText Desk = new("受付", "Desk");
    public static readonly LocalText Municipality = new("自治体", "Municipality");
    public static readonly LocalText Operator = new("運用", "Operator");
    public static readonly LocalText Me = new("わたしの記録", "My record");
    public static readonly LocalText SignIn = new("サインイン", "Sign in");
    public static readonly LocalText SignOut = new("サインアウト", "Sign out");
    public static readonly LocalText SignedInAs = new("サインイン中", "Signed in as");
    public static readonly LocalText Language = new("表示言語", "Language");
    public static readonly LocalText SwitchTo = new("English", "日本語");

    public static readonly LocalText StartTitle = new("PMH ハブへようこそ", "Welcome to the PMH Hub");
    public static readonly LocalText StartIntro = new(
        "PMH ハブは、自治体と医療機関・薬局を結ぶ情報連携の仕組みです。自治体が発行した医療費助成の受給者証、予防接種の記録、母子保健（妊婦健診の受診券・乳幼児健診）を、マイナンバーカードで本人を確かめたうえで、本人が同意した範囲だけ受付に示します。マイナンバーそのものは保存も送信もしません。",
        "The PMH Hub links municipalities with clinics, hospitals and pharmacies. It shows a reception desk the subsidy certificates a municipality issued, the vaccination record and the maternal-child health vouchers and infant checkups — only after the patient's My Number Card is proven, and only what the patient agreed to share. The My Number itself is never stored or sent on.");
    public static readonly LocalText WhoIsItFor = new("どのページを誰が使うか", "Which page is for whom");
    public static readonly LocalText DeskFor = new(
        "医療機関・薬局の受付：カードを読み取り、同意を確かめ、受給者証・接種歴・受診券・健診を一画面で確認し、自己負担額・受診券の使用・健診・接種を記録します。",
        "Clinics, hospitals and pharmacies: read the card, tick what the patient agrees to share, see certificates, doses, vouchers and checkups on one screen, and record a co-payment, a voucher use, a checkup or a dose.");
    public static readonly LocalText MunicipalityFor = new(
        "自治体の職員：受給者証・予防接種台帳・妊婦・児童のファイルを登録し、処理結果と受付からの記録を確認します。",
        "Municipal staff: upload certificates, the vaccination register, pregnancies and children, and follow the batches and what desks recorded.");
    public static readonly LocalText MeFor = new(
        "市民のかた：ご自身のカードで本人確認をして、誰が・いつ・何を・なぜ見たかを確認できます（サインイン不要）。",
        "Citizens: prove your own card and read who looked at your data, when, what and why (no sign-in).");
    public static readonly LocalText OperatorFor = new(
        "ハブの運用者：参加者とキー、監査ログの検証、各サービスの状態、処理できなかったメッセージ。",
        "The hub's operator: participants and keys, audit chain verification, the health of each service, dead letters.");
    public static readonly LocalText StaffSignIn = new(
        "職員のかたは、所属する参加者の API キーでサインインしてください。キーはブラウザーにもクッキーにも保存されません。",
        "Staff sign in with their participant's API key. The key is kept neither in the browser nor in the cookie.");
    public static readonly LocalText ApiLink = new("API リファレンス（開発者向け）", "API reference (for developers)");

    public static readonly LocalText SignInTitle = new("サインイン", "Sign in");
    public static readonly LocalText ApiKey = new("API キー", "API key");
    public static readonly LocalText ApiKeyHelp = new(
        "ハブの運用者から受け取った参加者の API キーを入力してください。",
        "The API key of your participant, as the hub's operator gave it to you.");
    public static readonly LocalText ApiKeyRequired = new("API キーを入力してください。", "Enter the API key.");
    public static readonly LocalText ApiKeyUnknown = new(
        "この API キーは登録されていないか、失効しています。",
        "This API key is unknown or has been revoked.");
    public static readonly LocalText ForbiddenTitle = new("このページは使えません", "This page is not for you");
    public static readonly LocalText ForbiddenText = new(
        "サインイン中の参加者には、このページを使う権限がありません。別の参加者としてサインインしてください。",
        "The participant you are signed in as may not use this page. Sign in as another participant.");
    public static readonly LocalText NotFoundTitle = new("ページが見つかりません", "Page not found");
}
