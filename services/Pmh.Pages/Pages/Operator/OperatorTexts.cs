using Microsoft.Extensions.Diagnostics.HealthChecks;
using Pmh.Modules.Pages;

namespace Pmh.Pages.Pages.Operator;

/// <summary>The operator page's texts.</summary>
public static class OperatorTexts
{
    public static readonly LocalText Title = new("ハブの運用", "Operating the hub");
    public static readonly LocalText Intro = new(
        "参加者と API キー、監査ログの改ざん検証、各サービスの状態、処理できなかったメッセージ（デッドレター）を扱います。",
        "Participants and their API keys, the audit log's tamper check, the health of each dependency, and dead letters.");

    public static readonly LocalText ParticipantsHeading = new("参加者と API キー", "Participants and API keys");
    public static readonly LocalText Id = new("ID", "Id");
    public static readonly LocalText Name = new("名称", "Name");
    public static readonly LocalText Role = new("役割", "Role");
    public static readonly LocalText Code = new("コード", "Code");
    public static readonly LocalText Keys = new("キー", "Keys");
    public static readonly LocalText NoKeys = new("キーはありません", "No keys");
    public static readonly LocalText Active = new("有効", "active");
    public static readonly LocalText RevokedAt = new("失効", "revoked");
    public static readonly LocalText MadeAt = new("発行", "issued");
    public static readonly LocalText IssueKey = new("新しいキーを発行", "Issue a new key");
    public static readonly LocalText Rotate = new("更新（新キー発行・このキーを失効）", "Rotate (new key, this one revoked)");
    public static readonly LocalText Revoke = new("失効", "Revoke");
    public static readonly LocalText IssuedKeyTitle = new("新しい API キー", "New API key");
    public static readonly LocalText IssuedKeyOnce = new(
        "このキーは今この画面にだけ表示されます。ハブにはハッシュしか残らず、二度と表示できません。いま参加者に安全な方法で渡してください。",
        "This key is shown here, now, only: the hub keeps nothing but its hash and can never show it again. Hand it to the participant safely now.");
    public static readonly LocalText KeyFor = new("参加者", "Participant");
    public static readonly LocalText KeyId = new("キー ID", "Key id");
    public static readonly LocalText Rotated = new("古いキーは失効しました。以後そのキーでの要求は拒否されます。", "The old key is revoked: every request with it is refused from now on.");
    public static readonly LocalText RevokedNotice = new("キーを失効しました。以後そのキーでの要求は拒否されます。", "The key is revoked: every request with it is refused from now on.");
    public static readonly LocalText NoSuchKey = new("そのキーは見つからないか、すでに失効しています。", "There is no such active key.");
    public static readonly LocalText NoSuchParticipant = new("その参加者はいません。", "There is no such participant.");

    public static readonly LocalText AddParticipantHeading = new("参加者を追加・変更", "Add or change a participant");
    public static readonly LocalText IdHelp = new("英数字と . _ - で 64 文字まで。既存の ID なら変更になります。", "Up to 64 letters, digits, '.', '_' or '-'. An existing id is changed.");
    public static readonly LocalText CodeHelp = new(
        "自治体は 6 桁の自治体コード、医療機関・薬局は 10 桁の医療機関コード。",
        "A municipality's 6-digit code; a medical institution's or pharmacy's 10-digit code.");
    public static readonly LocalText Save = new("保存", "Save");
    public static readonly LocalText Saved = new("参加者を保存しました。", "The participant is saved.");
    public static readonly LocalText NotSaved = new("保存できませんでした", "Not saved");

    public static readonly LocalText AuditHeading = new("監査ログの検証", "Audit log verification");
    public static readonly LocalText AuditIntro = new(
        "すべての開示と拒否の記録は前の記録のハッシュとつながっています。つながりをすべて確かめます。",
        "Every disclosure and refusal is chained to the one before by its hash. This checks every link.");
    public static readonly LocalText Verify = new("監査ログを検証する", "Verify the audit log");
    public static readonly LocalText AuditUnavailable = new(
        "監査サービスが応答しませんでした。少し待ってもう一度検証してください。",
        "The audit service did not answer. Verify again in a moment.");

    public static readonly LocalText HealthHeading = new("各サービスの状態", "Health of each dependency");
    public static readonly LocalText HealthIntro = new(
        "/health/ready と同じ検査です（メッセージブローカーと各データベース）。",
        "The same checks as /health/ready (the message broker and every database).");
    public static readonly LocalText Dependency = new("対象", "Dependency");
    public static readonly LocalText State = new("状態", "State");
    public static readonly LocalText Detail = new("説明", "Detail");
    public static readonly LocalText Overall = new("全体", "Overall");
    public static readonly LocalText Ready = new("受付可能", "ready");
    public static readonly LocalText NotReady = new("受付不可", "not ready");

    public static readonly LocalText DeadLettersHeading = new("処理できなかったメッセージ（デッドレター）", "Dead letters");
    public static readonly LocalText DeadLettersIntro = new(
        "処理できずにエラーキューへ移ったメッセージです。本文（個人情報を含みうる）は表示しません。原因を直してから再処理してください。",
        "Messages a consumer could never handle, in the error queues. Their bodies (which may hold personal data) are never shown. Fix the cause, then replay.");
    public static readonly LocalText NoDeadLetters = new("デッドレターはありません。", "There are no dead letters.");
    public static readonly LocalText Queue = new("キュー", "Queue");
    public static readonly LocalText Count = new("件数", "Count");
    public static readonly LocalText MessageType = new("メッセージの種類", "Message type");
    public static readonly LocalText Fault = new("失敗の理由", "Fault");
    public static readonly LocalText FaultedAt = new("失敗日時", "Faulted");
    public static readonly LocalText Replay = new("再処理", "Replay");
    public static readonly LocalText Replayed = new("元のキューへ戻しました", "Sent back to its queue");
    public static readonly LocalText DeadLettersUnavailable = new(
        "メッセージブローカーに接続できないため、デッドレターを表示できません。少し待って再読み込みしてください。",
        "The message broker cannot be reached, so the dead letters cannot be shown. Reload in a moment.");
    public static readonly LocalText NoSuchDeadLetter = new("そのメッセージはもうありません。", "That message is no longer there.");

    /// <summary>The audit chain's verification in words.</summary>
    public static LocalText AuditResult(Contracts.Audit.AuditChainVerified result)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (result.IsIntact)
        {
            return new(
                $"監査ログは改ざんされていません（{result.EntriesChecked:N0} 件の記録のつながりをすべて確認しました）。",
                $"The audit log is intact: every link of its {result.EntriesChecked:N0} entries holds.");
        }

        var (ja, en) = result.Reason switch
        {
            "entryChanged" => ("記録の内容が書き換えられています", "an entry was changed"),
            "entryMissing" => ("記録が削除されています", "an entry is missing"),
            "outOfOrder" => ("記録の順序が入れ替えられています", "entries were reordered"),
            var other => (other ?? "不明な理由", other ?? "for an unknown reason"),
        };
        return new(
            $"監査ログのつながりが {result.FirstBrokenSequence} 番の記録で切れています：{ja}。{result.EntriesChecked:N0} 件を確認しました。",
            $"The audit log is broken at entry {result.FirstBrokenSequence}: {en}. {result.EntriesChecked:N0} entries checked.");
    }

    /// <summary>A health check's status in words.</summary>
    public static LocalText HealthOf(HealthStatus status) => status switch
    {
        HealthStatus.Healthy => new("正常", "healthy"),
        HealthStatus.Degraded => new("低下（応答できません）", "degraded (cannot answer)"),
        _ => new("停止または到達不能", "down or unreachable"),
    };
}
