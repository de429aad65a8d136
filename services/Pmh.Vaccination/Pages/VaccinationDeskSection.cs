using System.Globalization;
using System.Text.Json.Nodes;
using MassTransit;
using Microsoft.AspNetCore.Http;
using Pmh.Contracts.Vaccination;
using Pmh.Modules.Pages;
using Pmh.Vaccination.Apis;
using Pmh.Vaccination.Domain;
using Pmh.Vaccination.Reception;

namespace Pmh.Vaccination.Pages;

/// <summary>
/// The vaccination part of the desk page: every dose, each routine series' state on the service date; and the dose
/// form, which submits through <see cref="VaccinationApi.HandleSubmitAsync"/> as <c>POST /api/v1/vaccinations</c> does.
/// </summary>
public sealed class VaccinationDeskSection(CurrentChecks checks, IRequestClient<RecordVaccinationDose> client, TimeProvider time) : IDeskSection
{
    public const string DoseForm = "dose";

    private static readonly Dictionary<string, LocalText> States = new(StringComparer.Ordinal)
    {
        ["complete"] = new("完了", "Complete"),
        ["due"] = new("接種時期", "Due"),
        ["notYetDue"] = new("まだ時期ではない", "Not yet due"),
        ["pastWindow"] = new("公費の期間を過ぎた", "Past the funded window"),
    };

    private static readonly Dictionary<string, LocalText> Programmes = new(StringComparer.Ordinal)
    {
        [VaccinationProgrammes.RoutineA] = new("定期接種（A類）", "Routine (category A)"),
        [VaccinationProgrammes.RoutineB] = new("定期接種（B類）", "Routine (category B)"),
        [VaccinationProgrammes.Voluntary] = new("任意接種", "Voluntary"),
    };

    private static readonly Dictionary<string, LocalText> Reasons = new(StringComparer.Ordinal)
    {
        ["was already used for a different dose"] = new("この送信番号は別の接種で使われています。新しい番号にしてください。", "This submission number was used for another dose; use a new number."),
        ["is required with a questionnaire: {vaccinate, doctorName, decidedAt}"] = new(
            "予診票を使うときは医師の判断（接種可・氏名・日時）を入力してください。", "With a questionnaire, enter the doctor's decision (vaccinate, name, time)."),
        ["must be true: a dose is recorded only when the doctor decided to vaccinate"] = new(
            "接種は医師が「接種可」と判断したときだけ記録できます。", "A dose is recorded only when the doctor decided to vaccinate."),
        ["is required as a date and time with its offset, e.g. 2026-12-03T10:15:00+09:00"] = new(
            "判断した日時を 2026-12-03T10:15+09:00 の形で入力してください。", "Enter the time of the decision as 2026-12-03T10:15+09:00."),
        ["is required: the person is in no municipality's vaccination register yet"] = new(
            "この方はまだどの自治体の予防接種台帳にもありません。自治体コードを入力してください。", "This person is in no municipality's register yet; enter the municipality code."),
    };

    private static readonly Dictionary<string, LocalText> FieldNames = new(StringComparer.Ordinal)
    {
        ["submissionId"] = new("送信番号", "Submission number"),
        ["vaccine"] = new("ワクチン", "Vaccine"),
        ["doseNumber"] = new("回数", "Dose number"),
        ["date"] = new("接種日", "Date given"),
        ["lotNumber"] = new("ロット番号", "Lot number"),
        ["programme"] = new("区分", "Programme"),
        ["municipalityCode"] = new("自治体コード", "Municipality code"),
        ["questionnaireId"] = new("予診票", "Questionnaire"),
        ["decision"] = new("医師の判断", "Doctor's decision"),
        ["decision.vaccinate"] = new("医師の判断", "Doctor's decision"),
        ["decision.doctorName"] = new("医師の氏名", "Doctor's name"),
        ["decision.decidedAt"] = new("判断した日時", "Decided at"),
    };

    /// <summary>The form's fields of the doctor's decision, named as the API's fields (so a refusal marks its field).</summary>
    public const string Vaccinate = "decision.vaccinate";
    public const string DoctorName = "decision.doctorName";
    public const string DecidedAt = "decision.decidedAt";

    public string Kind => "vaccination";

    public LocalText Title { get; } = new("予防接種", "Vaccination");

    public LocalText ConsentLabel { get; } = new("予防接種の記録", "Vaccination records");

    public DeskView Show(JsonObject part, DeskCheck check)
    {
        ArgumentNullException.ThrowIfNull(check);
        var view = DeskRefusals.Read<VaccinationHistoryView>(part) ?? new VaccinationHistoryView([], [], "");
        var schedule = RoutineSchedule.Default;
        var doses = new DeskTable(
            "vaccination-doses",
            new("接種歴", "Doses given"),
            [new("接種日", "Date"), new("ワクチン", "Vaccine"), new("回数", "Dose"), new("区分", "Programme"), new("ロット", "Lot")],
            view.Doses.Select(d => (IReadOnlyList<LocalText>)
            [
                LocalText.Same(Day(d.Date)),
                LocalText.Same(schedule.NameFor(d.Vaccine) is { } name ? $"{name} ({d.Vaccine})" : d.Vaccine),
                LocalText.Same(d.DoseNumber.ToString(CultureInfo.InvariantCulture)),
                Programmes.GetValueOrDefault(d.Programme) ?? LocalText.Same(d.Programme),
                LocalText.Same(d.LotNumber ?? "—"),
            ]).ToList(),
            new("接種の記録はありません。", "No dose recorded."));
        var series = new DeskTable(
            "vaccination-series",
            new($"定期接種の状況（{Day(check.ServiceDate)}、表 {view.ScheduleVersion}）", $"Routine series on {Day(check.ServiceDate)} (table {view.ScheduleVersion})"),
            [new("シリーズ", "Series"), new("状況", "State"), new("次の回", "Next dose"), new("時期", "Window")],
            view.Eligibility.Select(e => (IReadOnlyList<LocalText>)
            [
                LocalText.Same(e.Name),
                States.GetValueOrDefault(e.Status) ?? LocalText.Same(e.Status),
                LocalText.Same(e.NextDose?.ToString(CultureInfo.InvariantCulture) ?? "—"),
                LocalText.Same(e.DueFrom is null && e.DueUntil is null ? "—" : $"{(e.DueFrom is { } f ? Day(f) : "")} – {(e.DueUntil is { } u ? Day(u) : "")}"),
            ]).ToList(),
            new("定期接種の対象はありません。", "No routine series applies."));
        var questionnaires = new DeskTable(
            "vaccination-questionnaires",
            new("予診票（本人がカードで送ったもの・未使用）", "Questionnaires (sent by the person with their card, not yet used)"),
            [new("予診票の番号", "Questionnaire"), new("ワクチン", "Vaccine"), new("回数", "Dose"), new("記入者", "Answered by"),
             new("医師が確認する回答", "For the doctor's attention"), new("有効期限", "Valid until")],
            view.Questionnaires.Select(q => (IReadOnlyList<LocalText>)
            [
                LocalText.Same(q.QuestionnaireId),
                LocalText.Same(q.Vaccine),
                LocalText.Same(q.DoseNumber.ToString(CultureInfo.InvariantCulture)),
                LocalText.Same(q.AnsweredBy),
                q.Attention.Count == 0 ? new("なし", "None") : LocalText.Same(string.Join(", ", q.Attention)),
                LocalText.Same(q.ValidUntil.ToOffset(TimeSpan.FromHours(9)).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)),
            ]).ToList(),
            new("未使用の予診票はありません。", "No questionnaire waiting."));
        var form = new DeskForm(DoseForm, new("接種を記録する", "Record a dose"),
        [
            new("vaccine", FieldNames["vaccine"], DeskFieldKind.Choice, null,
                schedule.ProductCodes.Select(c => new DeskChoice(c, LocalText.Same(schedule.NameFor(c) is { } n ? $"{n} ({c})" : c))).ToList(), Required: true),
            new("doseNumber", FieldNames["doseNumber"], DeskFieldKind.Number, "1", Required: true),
            new("date", FieldNames["date"], DeskFieldKind.Date, Day(check.ServiceDate), Required: true),
            new("programme", FieldNames["programme"], DeskFieldKind.Choice, VaccinationProgrammes.RoutineA,
                Programmes.Select(p => new DeskChoice(p.Key, p.Value)).ToList(), Required: true),
            new("lotNumber", FieldNames["lotNumber"], DeskFieldKind.Text),
            new("municipalityCode", FieldNames["municipalityCode"], DeskFieldKind.Text,
                Help: new("台帳にない方のときだけ（6 桁）。", "Only for a person in no register yet (6 digits).")),
            new("questionnaireId", FieldNames["questionnaireId"], DeskFieldKind.Choice, "",
                [new DeskChoice("", new("使わない", "None")), .. view.Questionnaires.Select(q => new DeskChoice(
                    q.QuestionnaireId, LocalText.Same($"{q.QuestionnaireId} — {q.Vaccine} {q.DoseNumber.ToString(CultureInfo.InvariantCulture)}"))),],
                Help: new(
                    "この方が送った未使用の予診票から選びます。予診票を求める自治体の定期接種では必須です。",
                    "One of the person's unused questionnaires above; required for a routine dose where the municipality requires it.")),
            new(Vaccinate, FieldNames[Vaccinate], DeskFieldKind.Choice, "",
                [new DeskChoice("", new("（予診票がないとき）", "(without a questionnaire)")), new DeskChoice("true", new("接種可と判断した", "Decided to vaccinate"))],
                Help: new("予診票を使うときは必須です。", "Required with a questionnaire.")),
            new(DoctorName, FieldNames[DoctorName], DeskFieldKind.Text),
            new(DecidedAt, FieldNames[DecidedAt], DeskFieldKind.Text, JapanMinute(time.GetUtcNow()),
                Help: new("日本時間、例 2026-12-03T10:15+09:00。", "Japan time, e.g. 2026-12-03T10:15+09:00.")),
            new("submissionId", FieldNames["submissionId"], DeskFieldKind.Text, "V-" + Guid.NewGuid().ToString("N")[..10], Required: true),
        ],
        new("記録する", "Record"));
        return new DeskView([questionnaires, doses, series], [form]);
    }

    public async Task<DeskOutcome> SubmitAsync(string form, IFormCollection fields, DeskCheck check, HttpContext http, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(check);
        if (form != DoseForm)
        {
            return new DeskOutcome(false, new("この記録はできません。", "There is no such form."));
        }

        var request = new DoseSubmission
        {
            CheckId = check.CheckId.ToString(),
            SubmissionId = DeskRefusals.Field(fields, "submissionId"),
            MunicipalityCode = DeskRefusals.Field(fields, "municipalityCode"),
            Vaccine = DeskRefusals.Field(fields, "vaccine"),
            DoseNumber = DeskRefusals.Field(fields, "doseNumber"),
            Date = DeskRefusals.Field(fields, "date"),
            LotNumber = DeskRefusals.Field(fields, "lotNumber"),
            Programme = DeskRefusals.Field(fields, "programme"),
            QuestionnaireId = DeskRefusals.Field(fields, "questionnaireId"),
            Decision = DoctorsDecision(fields),
        };
        var result = await VaccinationApi.HandleSubmitAsync(http, request, checks, client, time, cancellationToken).ConfigureAwait(false);
        return DeskRefusals.From<DoseSubmissionAnswer>(
            result.Result,
            a => new($"接種を記録しました（記録番号 {a.RecordId}、自治体 {a.MunicipalityCode} へ通知）。", $"Dose recorded (record {a.RecordId}; reported to municipality {a.MunicipalityCode})."),
            Reasons,
            FieldNames);
    }

    /// <summary>
    /// The doctor's decision as the API takes it: given when a questionnaire is chosen or the clerk entered any part of
    /// it (then the API validates it whole), none otherwise. Only the decided-at field is prefilled, so it alone is no decision.
    /// </summary>
    private static DoseDecisionBody? DoctorsDecision(IFormCollection fields)
    {
        var questionnaire = DeskRefusals.Field(fields, "questionnaireId");
        var vaccinate = DeskRefusals.Field(fields, Vaccinate);
        var doctor = DeskRefusals.Field(fields, DoctorName);
        return string.IsNullOrEmpty(questionnaire) && string.IsNullOrEmpty(vaccinate) && string.IsNullOrEmpty(doctor)
            ? null
            : new DoseDecisionBody { Vaccinate = vaccinate ?? "", DoctorName = doctor, DecidedAt = DeskRefusals.Field(fields, DecidedAt) };
    }

    private static string JapanMinute(DateTimeOffset at) => at.ToOffset(TimeSpan.FromHours(9)).ToString("yyyy-MM-dd'T'HH:mm'+09:00'", CultureInfo.InvariantCulture);

    private static string Day(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
