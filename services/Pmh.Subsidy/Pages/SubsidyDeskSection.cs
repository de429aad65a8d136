using System.Globalization;
using System.Text.Json.Nodes;
using MassTransit;
using Microsoft.AspNetCore.Http;
using Pmh.Contracts.Subsidy;
using Pmh.Modules.Pages;
using Pmh.Subsidy.Apis;
using Pmh.Subsidy.Reception;

namespace Pmh.Subsidy.Pages;

/// <summary>
/// The subsidy part of the desk page: each certificate valid on the service date with its payer and recipient
/// numbers, the monthly cap, what was charged this month and what remains; and the co-payment form, which records
/// through <see cref="CopaymentsApi.HandleRecordAsync"/> as <c>POST /api/v1/copayments</c> does.
/// </summary>
public sealed class SubsidyDeskSection(
    CurrentChecks checks, IRequestClient<RecordCopayment> client, AccessAudit audit, TimeProvider time) : IDeskSection
{
    public const string CopaymentForm = "copayment";

    private static readonly Dictionary<string, LocalText> Reasons = new(StringComparer.Ordinal)
    {
        [CopaymentRefused.NoSuchCertificate] = new("この受給者証は見つかりません。", "There is no such certificate."),
        [CopaymentRefused.NotEligible] = new("この受給者証はこの日には使えません（有効期間外か、この医療機関が指定されていません）。", "This certificate cannot be used on this date (outside its validity, or this institution is not designated)."),
        ["was already recorded with other content"] = new("この領収番号は別の内容で記録済みです。新しい番号にしてください。", "This receipt number was already recorded with other amounts; use a new number."),
        ["is required as a whole number of yen from 0 to 10000000"] = new("金額を 0 から 10,000,000 までの整数（円）で入力してください。", "Enter the amount as a whole number of yen from 0 to 10,000,000."),
        ["is required as a certificateId the reception check returned"] = new("受給者証を選んでください。", "Choose a certificate."),
    };

    private static readonly Dictionary<string, LocalText> FieldNames = new(StringComparer.Ordinal)
    {
        ["certificateId"] = new("受給者証", "Certificate"),
        ["receiptId"] = new("領収番号", "Receipt number"),
        ["amountYen"] = new("自己負担額（上限適用前）", "Co-payment before the cap"),
        ["serviceDate"] = new("診療日", "Date of service"),
    };

    public string Kind => "subsidy";

    public LocalText Title { get; } = new("医療費助成（受給者証）", "Medical expense subsidy (certificates)");

    public LocalText ConsentLabel { get; } = new("医療費助成の受給者証", "Medical expense subsidy certificates");

    public DeskView Show(JsonObject part, DeskCheck check)
    {
        ArgumentNullException.ThrowIfNull(check);
        var view = DeskRefusals.Read<SubsidyView>(part) ?? new SubsidyView([]);
        var rows = view.Certificates.Select(c => (IReadOnlyList<LocalText>)
        [
            LocalText.Same(c.CertificationName),
            LocalText.Same(c.MedicalSubsidyInsurerNumber),
            LocalText.Same(c.MedicalSubsidyRecipientNumber),
            LocalText.Same($"{Day(c.ValidFrom)} – {Day(c.ValidTo)}"),
            c.MaxCopaymentAmount is { } cap ? Yen(cap.MonthlyYen) : new LocalText("上限なし", "No cap"),
            c.Copayment is { } month ? Yen(month.TotalYen) : Yen(0),
            c.Copayment?.RemainingYen is { } left ? Yen(left) : c.MaxCopaymentAmount is { } cap2 ? Yen(cap2.MonthlyYen) : new LocalText("—", "—"),
        ]).ToList();
        var table = new DeskTable(
            "subsidy-certificates",
            new("受給者証", "Certificates"),
            [new("名称", "Name"), new("公費負担者番号", "Payer number"), new("受給者番号", "Recipient number"), new("有効期間", "Valid"),
             new("月額上限", "Monthly cap"), new("今月の負担済額", "Charged this month"), new("今月の残り", "Remaining this month")],
            rows,
            new("この日に使える受給者証はありません。", "No certificate is valid on this date."));
        var forms = view.Certificates.Count == 0
            ? []
            : new List<DeskForm>
            {
                new(CopaymentForm, new("自己負担額を記録する", "Record a co-payment"),
                [
                    new("certificateId", FieldNames["certificateId"], DeskFieldKind.Choice, view.Certificates[0].CertificateId,
                        view.Certificates.Select(c => new DeskChoice(c.CertificateId, new($"{c.CertificationName}（{c.MedicalSubsidyRecipientNumber}）", $"{c.CertificationName} ({c.MedicalSubsidyRecipientNumber})"))).ToList(), Required: true),
                    new("receiptId", FieldNames["receiptId"], DeskFieldKind.Text, "R-" + Guid.NewGuid().ToString("N")[..10],
                        Help: new("同じ番号で送り直しても二重には記録されません。", "Sending the same number again records nothing twice."), Required: true),
                    new("amountYen", FieldNames["amountYen"], DeskFieldKind.Number, null,
                        Help: new("上限を適用する前の金額（円）。請求すべき額をハブが答えます。", "The amount in yen before the cap; the hub answers what to charge."), Required: true),
                    new("serviceDate", FieldNames["serviceDate"], DeskFieldKind.Date, Day(check.ServiceDate)),
                ],
                new("記録する", "Record")),
            };
        return new DeskView([table], forms);
    }

    public async Task<DeskOutcome> SubmitAsync(string form, IFormCollection fields, DeskCheck check, HttpContext http, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(check);
        if (form != CopaymentForm)
        {
            return new DeskOutcome(false, new("この記録はできません。", "There is no such form."));
        }

        var request = new CopaymentRequest
        {
            CheckId = check.CheckId.ToString(),
            CertificateId = DeskRefusals.Field(fields, "certificateId"),
            ReceiptId = DeskRefusals.Field(fields, "receiptId"),
            AmountYen = DeskRefusals.Field(fields, "amountYen"),
            ServiceDate = DeskRefusals.Field(fields, "serviceDate"),
        };
        var result = await CopaymentsApi.HandleRecordAsync(http, request, checks, client, audit, time, cancellationToken).ConfigureAwait(false);
        return DeskRefusals.From<CopaymentAnswer>(result.Result, a => Charged(a), Reasons, FieldNames);
    }

    private static LocalText Charged(CopaymentAnswer a)
    {
        var charged = a.ChargedYen.ToString("N0", CultureInfo.InvariantCulture);
        var total = a.MonthTotalYen.ToString("N0", CultureInfo.InvariantCulture);
        return a.RemainingYen is { } left
            ? new($"記録しました。今回の請求額は {charged} 円です（{a.Month} の合計 {total} 円、残り {left.ToString("N0", CultureInfo.InvariantCulture)} 円）。",
                $"Recorded. Charge {charged} yen now ({a.Month}: {total} yen in total, {left.ToString("N0", CultureInfo.InvariantCulture)} yen remaining).")
            : new($"記録しました。今回の請求額は {charged} 円です（{a.Month} の合計 {total} 円）。", $"Recorded. Charge {charged} yen now ({a.Month}: {total} yen in total).");
    }

    private static LocalText Yen(int yen) =>
        new($"{yen.ToString("N0", CultureInfo.InvariantCulture)} 円", $"{yen.ToString("N0", CultureInfo.InvariantCulture)} yen");

    private static string Day(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
