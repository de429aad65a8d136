using FluentValidation;
using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Pmh.Contracts.Identifiers;
using Pmh.Contracts.Subsidy;
using Pmh.Contracts.Validation;
using Microsoft.AspNetCore.Http.HttpResults;
using Pmh.Modules.Audit;
using Pmh.Subsidy.Publishing;
using Pmh.Modules;
using Pmh.Modules.Http;
using Pmh.Modules.Participants;
using Pmh.Modules.Batches;
using Pmh.Modules.Reception;

namespace Pmh.Subsidy.Apis;

/// <summary>
/// The co-payment cap ledger (自己負担上限額管理) in place of the paper sheet: an institution records each receipt
/// against a certificate from its own reception check and learns what to charge now; corrections adjust the ledger.
/// </summary>
public static class CopaymentsApi
{
    // Validators are immutable once built, and building one compiles its rules: one of each, for every request.
    private static readonly CopaymentCorrectionValidator CopaymentCorrectionRules = new();
    private static readonly CopaymentRequestValidator CopaymentRequestRules = new();

    public static RouteGroupBuilder MapSubsidyApi(this RouteGroupBuilder api)
    {
        api.MapBatchUpload<SubsidyCertificates, SubsidyCertificateRow, SubsidyCertificate>("PublishSubsidyCertificates");
        api.MapPost("/copayments", RecordAsync).RequireAuthorization(GatewayPolicies.Reception).WithName("RecordCopayment")
            .WithBody<CopaymentRequest, RouteHandlerBuilder>()
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        api.MapPost("/copayments/{receiptId}/corrections", CorrectAsync).RequireAuthorization(GatewayPolicies.Reception).WithName("CorrectCopayment")
            .WithBody<CopaymentCorrection, RouteHandlerBuilder>()
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        return api;
    }

    private static async Task<Results<Created<CopaymentAnswer>, Ok<CopaymentAnswer>, ProblemHttpResult>> RecordAsync(
        HttpContext http, CurrentChecks checks, IRequestClient<RecordCopayment> client, AccessAudit audit, TimeProvider time, CancellationToken cancellationToken)
    {
        var (request, problem) = await JsonBody.ReadAsync<CopaymentRequest>(http.Request, cancellationToken).ConfigureAwait(false);
        return problem ?? await HandleRecordAsync(http, request!, checks, client, audit, time, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A receipt recorded as the API and the desk page record it: validated, tied to the caller's current check, audited.</summary>
    public static async Task<Results<Created<CopaymentAnswer>, Ok<CopaymentAnswer>, ProblemHttpResult>> HandleRecordAsync(
        HttpContext http, CopaymentRequest request, CurrentChecks checks, IRequestClient<RecordCopayment> client, AccessAudit audit, TimeProvider time,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(checks);
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(audit);
        if (await JsonBody.ValidateAsync(request, CopaymentRequestRules, "Invalid co-payment", cancellationToken).ConfigureAwait(false) is { } invalid)
        {
            return invalid;
        }

        if (request.ServiceDate is not null
            && PlausibleDates.ServiceDateProblem(IsoDate.Parse(request.ServiceDate)!.Value, PlausibleDates.Today(time.GetUtcNow())) is { } implausible)
        {
            return ApiProblems.Field(StatusCodes.Status422UnprocessableEntity, "serviceDate", implausible, "Implausible service date");
        }

        var participant = Participant.From(http.User)!;
        var (check, refused) = await checks.FindAsync(http, request.CheckId, cancellationToken).ConfigureAwait(false);
        if (refused is not null)
        {
            return refused;
        }

        var at = request.CertificateId!.IndexOf(':', StringComparison.Ordinal);
        var response = await client.GetResponse<CopaymentRecorded, CopaymentRefused>(
            new RecordCopayment
            {
                ReceiptId = request.ReceiptId!,
                InstitutionCode = participant.Code,
                CheckId = check!.CheckId,
                PersonKey = check.PersonKey,
                MunicipalityCode = request.CertificateId[..at],
                HistoryKey = request.CertificateId[(at + 1)..],
                ServiceDate = request.ServiceDate is null ? check.ServiceDate : IsoDate.Parse(request.ServiceDate)!.Value,
                AmountYen = WholeNumber.Parse(request.AmountYen!),
            },
            cancellationToken).ConfigureAwait(false);
        if (response.Is(out Response<CopaymentRecorded>? recorded) && !recorded.Message.IsRepeat)
        {
            await audit.RecordAsync(participant, check!.PersonKey, ["copayment"], "copayment", Contracts.Audit.AccessOutcomes.Recorded,
                $"{recorded.Message.ChargedYen} yen in {recorded.Message.Ledger.Month}", cancellationToken).ConfigureAwait(false);
        }

        return Answer(response, "certificateId");
    }

    private static async Task<Results<Created<CopaymentAnswer>, Ok<CopaymentAnswer>, ProblemHttpResult>> CorrectAsync(
        string receiptId, HttpContext http, IRequestClient<CorrectCopayment> client, AccessAudit audit, CancellationToken cancellationToken)
    {
        var (request, problem) = await JsonBody.ReadValidAsync(http.Request, CopaymentCorrectionRules, "Invalid correction", cancellationToken).ConfigureAwait(false);
        if (problem is not null)
        {
            return problem;
        }

        var participant = Participant.From(http.User)!;
        var response = await client.GetResponse<CopaymentRecorded, CopaymentRefused>(
            new CorrectCopayment
            {
                ReceiptId = receiptId,
                InstitutionCode = participant.Code,
                CorrectionId = request!.CorrectionId!,
                AmountYen = WholeNumber.Parse(request.AmountYen!),
            },
            cancellationToken).ConfigureAwait(false);
        // A correction is a ledger entry as a receipt is: the citizen's log shows it, under the receipt's person.
        if (response.Is(out Response<CopaymentRecorded>? recorded) && !recorded.Message.IsRepeat)
        {
            await audit.RecordAsync(participant, recorded.Message.PersonKey, ["copayment"], "copayment", Contracts.Audit.AccessOutcomes.Recorded,
                $"corrected to {recorded.Message.ChargedYen} yen in {recorded.Message.Ledger.Month}", cancellationToken).ConfigureAwait(false);
        }

        return Answer(response, "receiptId");
    }

    private static Results<Created<CopaymentAnswer>, Ok<CopaymentAnswer>, ProblemHttpResult> Answer(
        Response<CopaymentRecorded, CopaymentRefused> response, string field)
    {
        if (response.Is(out Response<CopaymentRecorded>? recorded))
        {
            var m = recorded.Message;
            var body = new CopaymentAnswer(m.ReceiptId, m.ChargedYen, m.Ledger.Month, m.Ledger.TotalYen, m.Ledger.MonthlyCapYen, m.Ledger.RemainingYen);
            return m.IsRepeat ? TypedResults.Ok(body) : TypedResults.Created((string?)null, body);
        }

        var reason = response.Is(out Response<CopaymentRefused>? refused) ? refused.Message.Reason : "unknown";
        return reason switch
        {
            CopaymentRefused.ReceiptConflict => ApiProblems.Field(StatusCodes.Status409Conflict, "receiptId", "was already recorded with other content", "Receipt already recorded"),
            CopaymentRefused.NoSuchReceipt => ApiProblems.Field(StatusCodes.Status404NotFound, "receiptId", "no such receipt of yours", "No such receipt"),
            _ => ApiProblems.Field(StatusCodes.Status422UnprocessableEntity, field, reason, "Not accepted"),
        };
    }
}

/// <summary>What to charge now for a receipt, and where the month stands against the certificate's cap.</summary>
public sealed record CopaymentAnswer(string ReceiptId, int ChargedYen, string Month, int MonthTotalYen, int? MonthlyCapYen, int? RemainingYen);

public sealed class CopaymentRequest
{
    public string? CheckId { get; set; }

    /// <summary>The certificateId the reception check returned.</summary>
    public string? CertificateId { get; set; }

    public string? ReceiptId { get; set; }

    /// <summary>The service date (yyyy-MM-dd); the check's service date when absent.</summary>
    public string? ServiceDate { get; set; }

    /// <summary>What the institution would charge without the cap.</summary>
    public string? AmountYen { get; set; }
}

public sealed class CopaymentCorrection
{
    public string? CorrectionId { get; set; }

    /// <summary>The receipt's new amount without the cap; 0 cancels it.</summary>
    public string? AmountYen { get; set; }
}

public sealed class CopaymentRequestValidator : PmhValidator<CopaymentRequest>
{
    public CopaymentRequestValidator()
    {
        RuleFor(r => r.CheckId).Must(c => Guid.TryParse(c, out _)).WithMessage("is required as the checkId of your reception check");
        RuleFor(r => r.CertificateId).Must(c => c is not null && c.IndexOf(':', StringComparison.Ordinal) == 6 && MunicipalityCode.TryParse(c[..6], out _, out _) && c.Length > 7)
            .WithMessage("is required as a certificateId the reception check returned");
        RuleFor(r => r.ReceiptId).NotEmpty().WithMessage(IdentifierErrors.Required).Matches("^[A-Za-z0-9._-]{1,64}$")
            .WithMessage("must be 1 to 64 characters of letters, digits, '.', '_' and '-'");
        RuleFor(r => r.ServiceDate).Must(d => IsoDate.IsValid(d))
            .When(r => r.ServiceDate is not null).WithMessage("must be a date yyyy-MM-dd");
        RuleFor(r => r.AmountYen).Must(BeYen).WithMessage("is required as a whole number of yen from 0 to 10000000");
    }

    /// <summary>ASCII digits only: <c>"100\u0000"</c> is no amount (int.TryParse alone would read it as 100).</summary>
    public static bool BeYen(string? value) => WholeNumber.TryParse(value, 10_000_000, out _);
}

public sealed class CopaymentCorrectionValidator : PmhValidator<CopaymentCorrection>
{
    public CopaymentCorrectionValidator()
    {
        RuleFor(r => r.CorrectionId).NotEmpty().WithMessage(IdentifierErrors.Required).Matches("^[A-Za-z0-9._-]{1,64}$")
            .WithMessage("must be 1 to 64 characters of letters, digits, '.', '_' and '-'");
        RuleFor(r => r.AmountYen).Must(CopaymentRequestValidator.BeYen).WithMessage("is required as a whole number of yen from 0 to 10000000 (0 cancels)");
    }
}
