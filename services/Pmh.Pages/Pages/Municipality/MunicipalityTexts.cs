using Pmh.Modules.Batches;
using Pmh.Modules.Pages;

namespace Pmh.Pages.Pages.Municipality;

/// <summary>The municipality pages' texts.</summary>
public static class MunicipalityTexts
{
    public static readonly LocalText Title = new("自治体の登録と記録", "Municipal uploads and records");
    public static readonly LocalText Intro = new(
        "受給者証・予防接種台帳・妊娠届・児童のファイル（CSV または JSON）を登録し、処理の結果と、医療機関から届いた記録を確認します。",
        "Upload certificates, the vaccination register, pregnancies and children (CSV or JSON), and follow what became of each batch and what institutions recorded.");
    public static readonly LocalText MunicipalityCode = new("自治体コード", "Municipality code");

    public static readonly LocalText UploadHeading = new("ファイルを登録する", "Upload a file");
    public static readonly LocalText Kind = new("登録する内容", "What the file holds");
    public static readonly LocalText CsvOrJson = new("CSV・JSON", "CSV or JSON");
    public static readonly LocalText JsonOnly = new("JSON のみ", "JSON only");
    public static readonly LocalText BatchId = new("バッチ ID（任意）", "Batch id (optional)");
    public static readonly LocalText BatchIdHelp = new(
        "英数字と . _ - で 64 文字まで。同じ ID・同じ内容の再送は一度だけ登録されます。空欄なら JSON の batchId か、内容から決まります。",
        "Up to 64 letters, digits, '.', '_' or '-'. Sending the same id with the same content again stores it once. When empty: the JSON's batchId, or one derived from the content.");
    public static readonly LocalText File = new("ファイル", "File");
    public static readonly LocalText FileHelp = new(
        "CSV は UTF-8（BOM 付きも可）か BOM 付き UTF-16。Shift_JIS のファイルは先に UTF-8 に変換してください。",
        "CSV in UTF-8 (with or without a byte order mark) or UTF-16 with one. Convert a Shift_JIS file to UTF-8 first.");
    public static readonly LocalText Send = new("登録する", "Upload");
    public static readonly LocalText Sending = new("送信中", "Sending");
    public static readonly LocalText Applying = new("処理中（ハブが登録しています）", "Being applied by the hub");
    public static readonly LocalText Done = new("処理が終わりました。結果を表示します。", "Done. Showing the result.");
    public static readonly LocalText Progress = new("進み具合", "Progress");
    public static readonly LocalText NoFile = new("ファイルを選んでください。", "Choose a file.");
    public static readonly LocalText UnknownKind = new("登録する内容を選んでください。", "Choose what the file holds.");
    public static readonly LocalText NetworkError = new(
        "ハブに届きませんでした。接続を確かめて、もう一度送ってください（同じファイルの再送は一度だけ登録されます）。",
        "The file did not reach the hub. Check the connection and send it again (the same file sent again is stored once).");

    public static readonly LocalText HistoryHeading = new("これまでのバッチ（新しい順）", "Batches (newest first)");
    public static readonly LocalText NoBatches = new("まだバッチはありません。", "No batches yet.");
    public static readonly LocalText Submitted = new("受付日時", "Submitted");
    public static readonly LocalText Completed = new("処理完了日時", "Completed");
    public static readonly LocalText Status = new("状態", "Status");
    public static readonly LocalText Rows = new("行数", "Rows");
    public static readonly LocalText Accepted = new("登録された行", "Stored");
    public static readonly LocalText Rejected = new("受け付けられなかった行", "Refused");

    public static readonly LocalText FeedsHeading = new("医療機関からの記録", "What institutions recorded");
    public static readonly LocalText FeedsIntro = new(
        "住民に行われた接種・健診の記録を、記録された順に表示します。",
        "The doses and checkups given to the municipality's people, in the order they were recorded.");

    public static readonly LocalText BatchTitle = new("バッチ", "Batch");
    public static readonly LocalText Failure = new("失敗の理由", "Why it failed");
    public static readonly LocalText StillApplying = new(
        "まだ処理中です。しばらくしてからこのページを再読み込みしてください。",
        "Still being applied. Reload this page in a moment.");
    public static readonly LocalText Reload = new("再読み込み", "Reload");
    public static readonly LocalText RejectedHeading = new("受け付けられなかった行", "Refused rows");
    public static readonly LocalText NoRejected = new("すべての行が受け付けられました。", "Every row was accepted.");
    public static readonly LocalText RowIndex = new("行番号（先頭の行が 0）", "Row (the first row is 0)");
    public static readonly LocalText Field = new("項目", "Field");
    public static readonly LocalText Reason = new("理由", "Reason");
    public static readonly LocalText DownloadRejected = new("受け付けられなかった行を CSV でダウンロード", "Download the refused rows as CSV");
    public static readonly LocalText BackToUploads = new("登録と記録の一覧へ戻る", "Back to uploads and records");
    public static readonly LocalText NoSuchBatch = new("このバッチは見つかりません。", "There is no such batch.");

    public static readonly LocalText FeedEmpty = new("この位置より後の記録はありません。", "Nothing recorded after this point.");
    public static readonly LocalText FeedFrom = new("表示している位置（この番号より後）", "Showing records after");
    public static readonly LocalText FeedNext = new("続きを表示", "Show the next records");
    public static readonly LocalText FeedStart = new("最初から表示", "Show from the start");
    public static readonly LocalText NoSuchFeed = new("この記録の一覧はありません。", "There is no such feed.");

    public static readonly LocalText UploadRefused = new("登録できませんでした", "The file was not accepted");

    /// <summary>A batch's status in words.</summary>
    public static LocalText StatusOf(string status) => status switch
    {
        BatchStatus.Accepted => new("処理中", "Being applied"),
        BatchStatus.Completed => new("完了", "Completed"),
        BatchStatus.Failed => new("失敗", "Failed"),
        _ => LocalText.Same(status),
    };

    /// <summary>What a refused upload means, by its status code (the problem's fields and reasons follow it).</summary>
    public static LocalText RefusalOf(int status) => status switch
    {
        StatusCodes.Status400BadRequest => new("ファイルを読み取れませんでした。", "The file could not be read."),
        StatusCodes.Status403Forbidden => new("この自治体のファイルは登録できません。", "You cannot upload for this municipality."),
        StatusCodes.Status409Conflict => new("このバッチ ID は、別の内容のバッチですでに使われています。", "This batch id was already used for a batch with other content."),
        StatusCodes.Status413PayloadTooLarge => new("ファイルが大きすぎます。分けて登録してください。", "The file is too large; split it."),
        StatusCodes.Status415UnsupportedMediaType => new(
            "ファイルの形式か文字コードが受け付けられません（CSV は UTF-8、または JSON）。", "The file's format or encoding is not accepted (CSV in UTF-8, or JSON)."),
        StatusCodes.Status422UnprocessableEntity => new("登録できる行がひとつもありませんでした。", "The file has no row that can be stored."),
        StatusCodes.Status503ServiceUnavailable => new("ハブが一時的に応答できません。少し待ってもう一度送ってください。", "The hub cannot answer just now; send it again shortly."),
        _ => new("登録できませんでした。", "The file was not accepted."),
    };

    /// <summary>Column names of the feeds' events, where the shell knows a Japanese word for them; the field name otherwise.</summary>
    public static LocalText Column(string name) => name switch
    {
        "sequence" => new("番号", "Sequence"),
        "personRef" => new("本人の参照番号", "Person reference"),
        "localPersonId" => new("宛名番号", "Local person id"),
        "institutionCode" => new("医療機関コード", "Institution"),
        "recordedAt" => new("記録日時", "Recorded"),
        "date" => new("日付", "Date"),
        "vaccine" => new("ワクチン", "Vaccine"),
        "doseNumber" => new("回数", "Dose"),
        "lotNumber" => new("ロット番号", "Lot"),
        "programme" => new("区分", "Programme"),
        "checkup" => new("健診", "Checkup"),
        "kind" => new("種類", "Kind"),
        _ => LocalText.Same(name),
    };
}
