using System.Globalization;
using FluentValidation;
using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Pmh.Contracts.Identifiers;
using Pmh.Contracts.MaternalChild;
using Pmh.Contracts.Validation;
using Pmh.Modules;
using Pmh.Modules.Http;
using Pmh.Modules.Participants;
using Pmh.MaternalChild.Domain;
using Pmh.MaternalChild.Publishing;
using Pmh.Modules.Batches;
using Pmh.Modules.Reception;

namespace Pmh.MaternalChild.Apis;

/// <summary>
/// Maternal-child health: municipalities upload pregnancies and children and read the feed of checkup results;
/// institutions use checkup vouchers and record infant checkups, tied to their reception check.
/// </summary>
public static class MaternalChildApi
{
    // Validators are immutable once built, and building one compiles its rules: one of each, for every request.
    private static readonly InfantCheckupSubmissionValidator InfantCheckupSubmissionRules = new();
    private static readonly VoucherRedemptionValidator VoucherRedemptionRules = new();

    public static RouteGroupBuilder MapMaternalChildApi(this RouteGroupBuilder api)
    {
        api.MapBatchUpload<Pregnancies, PregnancyRow, PregnancyRecord>("UploadPregnancies");
        api.MapBatchUpload<Children, ChildRow, ChildRecord>("UploadChildren");
        api.MapGet("/municipalities/{code}/maternal-child-events", FeedAsync)
            .RequireAuthorization(GatewayPolicies.Municipality).WithName("MaternalChildEvents").WithMetadata(Feed)
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status403Forbidden);
        api.MapPost("/maternal-child/voucher-redemptions", RedeemAsync)
            .RequireAuthorization(GatewayPolicies.Reception).WithName("RedeemVoucher")
            .WithBody<VoucherRedemption, RouteHandlerBuilder>()
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        api.MapPost("/maternal-child/infant-checkups", InfantCheckupAsync)
            .RequireAuthorization(GatewayPolicies.Reception).WithName("RecordInfantCheckup")
            .WithBody<InfantCheckupSubmission, RouteHandlerBuilder>()
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        return api;
    }

    /// <summary>The checkup results of the municipality's people, from a cursor: for the API and the municipality page.</summary>
    public static readonly MunicipalFeed<MaternalChildFeedEvent> Feed = new(
        "maternal-child-events",
        new Pmh.Modules.Pages.LocalText("健診の記録（妊婦健診・乳幼児健診）", "Checkup results (prenatal and infant)"),
        async (services, municipality, from, count, ct) =>
        {
            var response = await services.GetRequiredService<IRequestClient<GetMaternalChildFeed>>().GetResponse<MaternalChildFeed>(
                new GetMaternalChildFeed { MunicipalityCode = municipality, After = from, Limit = count }, ct).ConfigureAwait(false);
            return (response.Message.Events, response.Message.Next);
        });

    private static Task<Results<Ok<FeedPage<MaternalChildFeedEvent>>, ProblemHttpResult>> FeedAsync(
        string code, [FromQuery] long? after, [FromQuery] int? limit, HttpContext http, CancellationToken cancellationToken) =>
        Feed.PageAsync(code, after, limit, http, cancellationToken);

    private static async Task<Results<Created<CheckupAnswer>, Ok<CheckupAnswer>, ProblemHttpResult>> RedeemAsync(
        HttpContext http, CurrentChecks checks, IRequestClient<RedeemVoucher> client, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        var (request, problem) = await JsonBody.ReadAsync<VoucherRedemption>(http.Request, cancellationToken).ConfigureAwait(false);
        return problem ?? await HandleRedeemAsync(http, request!, checks, client, timeProvider, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A voucher used as the API and the desk page use it: validated, tied to the caller's current check.</summary>
    public static async Task<Results<Created<CheckupAnswer>, Ok<CheckupAnswer>, ProblemHttpResult>> HandleRedeemAsync(
        HttpContext http, VoucherRedemption request, CurrentChecks checks, IRequestClient<RedeemVoucher> client, TimeProvider timeProvider,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(checks);
        ArgumentNullException.ThrowIfNull(client);
        if (await JsonBody.ValidateAsync(request, VoucherRedemptionRules, "Invalid voucher use", cancellationToken).ConfigureAwait(false) is { } invalid)
        {
            return invalid;
        }

        if (MaternalChildDates.Refusal("date", IsoDate.Parse(request.Date)!.Value, PlausibleDates.Today(timeProvider)) is { } badDate)
        {
            return ApiProblems.Field(StatusCodes.Status422UnprocessableEntity, "date", badDate, "Implausible date");
        }

        var (check, refused) = await checks.FindAsync(http, request!.CheckId, cancellationToken).ConfigureAwait(false);
        if (refused is not null)
        {
            return refused;
        }

        var response = await client.GetResponse<CheckupRecorded, CheckupRefused>(
            new RedeemVoucher
            {
                RedemptionId = request.RedemptionId!,
                InstitutionCode = Participant.From(http.User)!.Code,
                CheckId = check!.CheckId,
                PersonKey = check.PersonKey,
                VoucherId = request.Voucher!,
                Result = request.Result(),
            },
            cancellationToken).ConfigureAwait(false);
        return Answer(response, "redemptionId", "voucher");
    }

    private static async Task<Results<Created<CheckupAnswer>, Ok<CheckupAnswer>, ProblemHttpResult>> InfantCheckupAsync(
        HttpContext http, CurrentChecks checks, IRequestClient<RecordInfantCheckup> client, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        var (request, problem) = await JsonBody.ReadAsync<InfantCheckupSubmission>(http.Request, cancellationToken).ConfigureAwait(false);
        return problem ?? await HandleInfantCheckupAsync(http, request!, checks, client, timeProvider, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>An infant checkup recorded as the API and the desk page record it: validated, tied to the caller's current check.</summary>
    public static async Task<Results<Created<CheckupAnswer>, Ok<CheckupAnswer>, ProblemHttpResult>> HandleInfantCheckupAsync(
        HttpContext http, InfantCheckupSubmission request, CurrentChecks checks, IRequestClient<RecordInfantCheckup> client, TimeProvider timeProvider,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(checks);
        ArgumentNullException.ThrowIfNull(client);
        if (await JsonBody.ValidateAsync(request, InfantCheckupSubmissionRules, "Invalid infant checkup", cancellationToken).ConfigureAwait(false) is { } invalid)
        {
            return invalid;
        }

        if (MaternalChildDates.Refusal("date", IsoDate.Parse(request.Date)!.Value, PlausibleDates.Today(timeProvider)) is { } badDate)
        {
            return ApiProblems.Field(StatusCodes.Status422UnprocessableEntity, "date", badDate, "Implausible date");
        }

        var (check, refused) = await checks.FindAsync(http, request!.CheckId, cancellationToken).ConfigureAwait(false);
        if (refused is not null)
        {
            return refused;
        }

        var response = await client.GetResponse<CheckupRecorded, CheckupRefused>(
            new RecordInfantCheckup
            {
                SubmissionId = request.SubmissionId!,
                InstitutionCode = Participant.From(http.User)!.Code,
                CheckId = check!.CheckId,
                PersonKey = check.PersonKey,
                Checkup = request.Checkup!,
                Result = request.Result(),
            },
            cancellationToken).ConfigureAwait(false);
        return Answer(response, "submissionId", "checkId");
    }

    private static Results<Created<CheckupAnswer>, Ok<CheckupAnswer>, ProblemHttpResult> Answer(
        Response<CheckupRecorded, CheckupRefused> response, string idField, string subjectField)
    {
        if (response.Is(out Response<CheckupRecorded>? recorded))
        {
            var body = new CheckupAnswer(recorded.Message.ResultId, recorded.Message.MunicipalityCode);
            return recorded.Message.IsRepeat ? TypedResults.Ok(body) : TypedResults.Created((string?)null, body);
        }

        var reason = response.Is(out Response<CheckupRefused>? refused) ? refused.Message.Reason : "unknown";
        return reason switch
        {
            CheckupRefused.SubmissionConflict => ApiProblems.Field(StatusCodes.Status409Conflict, idField, "was already used for a different checkup", "Id already used"),
            CheckupRefused.AlreadyUsed => ApiProblems.Field(StatusCodes.Status409Conflict, subjectField, "alreadyUsed", "Voucher already used"),
            _ => ApiProblems.Field(StatusCodes.Status422UnprocessableEntity, subjectField, reason, "Not accepted"),
        };
    }
}

/// <summary>A checkup result recorded (201) or recorded already under the same id (200).</summary>
public sealed record CheckupAnswer(string ResultId, string MunicipalityCode);

/// <summary>The body of <c>POST /api/v1/maternal-child/voucher-redemptions</c>: the voucher, and the prenatal checkup's result.</summary>
public sealed class VoucherRedemption
{
    public string? CheckId { get; set; }

    /// <summary>The voucherId the reception check returned.</summary>
    public string? Voucher { get; set; }

    public string? RedemptionId { get; set; }

    public string? Date { get; set; }

    public string? GestationalWeek { get; set; }

    public string? WeightKg { get; set; }

    public string? HeightCm { get; set; }

    public string? Notes { get; set; }

    public CheckupResult Result() => new(
        IsoDate.Parse(Date)!.Value, CheckupRules.Int(GestationalWeek), null, CheckupRules.Decimal(WeightKg), CheckupRules.Decimal(HeightCm), Notes);
}

/// <summary>The body of <c>POST /api/v1/maternal-child/infant-checkups</c>.</summary>
public sealed class InfantCheckupSubmission
{
    public string? CheckId { get; set; }

    public string? SubmissionId { get; set; }

    /// <summary><c>1m</c>, <c>3-4m</c>, <c>18m</c> or <c>3y</c>.</summary>
    public string? Checkup { get; set; }

    public string? Date { get; set; }

    public string? AgeMonths { get; set; }

    public string? WeightKg { get; set; }

    public string? HeightCm { get; set; }

    public string? Notes { get; set; }

    public CheckupResult Result() => new(
        IsoDate.Parse(Date)!.Value, null, CheckupRules.Int(AgeMonths), CheckupRules.Decimal(WeightKg), CheckupRules.Decimal(HeightCm), Notes);
}

public static class CheckupRules
{
    public static readonly IReadOnlySet<string> InfantCheckups = new HashSet<string>(StringComparer.Ordinal) { "1m", "3-4m", "18m", "3y" };

    public static int? Int(string? v) => Pmh.Contracts.Validation.WholeNumber.TryParse(v, int.MaxValue, out var n) ? n : null;

    public static decimal? Decimal(string? v) => v is not null && v.All(c => char.IsAsciiDigit(c) || c == '.') && decimal.TryParse(v, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var d) ? d : null;

    public static void Common<T>(AbstractValidator<T> v, System.Linq.Expressions.Expression<Func<T, string?>> checkId, System.Linq.Expressions.Expression<Func<T, string?>> id,
        System.Linq.Expressions.Expression<Func<T, string?>> date, System.Linq.Expressions.Expression<Func<T, string?>> weight,
        System.Linq.Expressions.Expression<Func<T, string?>> height, System.Linq.Expressions.Expression<Func<T, string?>> notes)
    {
        v.RuleFor(checkId).Must(c => Guid.TryParse(c, out _)).WithMessage("is required as the checkId of your reception check");
        v.RuleFor(id).NotEmpty().WithMessage(IdentifierErrors.Required).Matches("^[A-Za-z0-9._-]{1,64}$")
            .WithMessage("must be 1 to 64 characters of letters, digits, '.', '_' and '-'");
        v.RuleFor(date).Must(IsoDate.IsValid).WithMessage("is required as a date yyyy-MM-dd");
        v.RuleFor(weight).Must(w => w is null || Decimal(w) is > 0 and < 300).WithMessage("must be a weight in kg between 0 and 300");
        v.RuleFor(height).Must(h => h is null || Decimal(h) is > 0 and < 250).WithMessage("must be a height in cm between 0 and 250");
        v.RuleFor(notes).MaximumLength(1000).WithMessage("must be at most 1000 characters");
    }
}

public sealed class VoucherRedemptionValidator : PmhValidator<VoucherRedemption>
{
    public VoucherRedemptionValidator()
    {
        CheckupRules.Common(this, r => r.CheckId, r => r.RedemptionId, r => r.Date, r => r.WeightKg, r => r.HeightCm, r => r.Notes);
        RuleFor(r => r.Voucher).NotEmpty().WithMessage("is required as a voucherId the reception check returned");
        RuleFor(r => r.GestationalWeek).Must(w => CheckupRules.Int(w) is >= 1 and <= 45).WithMessage("is required as the gestational week, 1 to 45");
    }
}

public sealed class InfantCheckupSubmissionValidator : PmhValidator<InfantCheckupSubmission>
{
    public InfantCheckupSubmissionValidator()
    {
        CheckupRules.Common(this, r => r.CheckId, r => r.SubmissionId, r => r.Date, r => r.WeightKg, r => r.HeightCm, r => r.Notes);
        RuleFor(r => r.Checkup).Must(c => c is not null && CheckupRules.InfantCheckups.Contains(c)).WithMessage("must be 1m, 3-4m, 18m or 3y");
        RuleFor(r => r.AgeMonths).Must(a => CheckupRules.Int(a) is >= 0 and <= 60).WithMessage("is required as the age in months, 0 to 60");
    }
}
