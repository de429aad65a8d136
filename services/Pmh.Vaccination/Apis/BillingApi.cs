using System.Globalization;
using System.Text;
using FluentValidation;
using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Pmh.Contracts.Audit;
using Pmh.Contracts.Identifiers;
using Pmh.Contracts.Validation;
using Pmh.Contracts.Vaccination;
using Pmh.Vaccination.Domain.Billing;
using Pmh.Vaccination.Publishing;

namespace Pmh.Vaccination.Apis;

/// <summary>
/// Vaccination cost billing (予防接種費用請求): the municipality's price table (a batch), the monthly claims per
/// institution × municipality with their lines, the municipality's decisions, a claim as CSV. Every read is audited.
/// </summary>
public static class BillingApi
{
    private static readonly ClaimDecisionsRequestValidator DecisionRules = new();

    public const string TextCsv = "text/csv";
    public const string ClaimPurpose = "vaccinationClaim";

    public static RouteGroupBuilder MapVaccinationBillingApi(this RouteGroupBuilder api)
    {
        api.MapBatchUpload<VaccinationPrices, VaccinationPriceRow, VaccinationPrice>("UploadVaccinationPrices");
        api.MapGet("/vaccination-claims", InstitutionClaimsAsync)
            .RequireAuthorization(GatewayPolicies.Reception).WithName("InstitutionVaccinationClaims")
            .ProducesProblem(StatusCodes.Status400BadRequest);
        api.MapGet("/vaccination-claims/{claimId}", InstitutionClaimAsync)
            .RequireAuthorization(GatewayPolicies.Reception).WithName("InstitutionVaccinationClaim")
            .Produces<VaccinationClaim>().Produces<string>(StatusCodes.Status200OK, TextCsv)
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);
        api.MapGet("/municipalities/{code}/vaccination-claims", MunicipalityClaimsAsync)
            .RequireAuthorization(GatewayPolicies.Municipality).WithName("MunicipalityVaccinationClaims")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status403Forbidden);
        api.MapGet("/municipalities/{code}/vaccination-claims/{claimId}", MunicipalityClaimAsync)
            .RequireAuthorization(GatewayPolicies.Municipality).WithName("MunicipalityVaccinationClaim")
            .Produces<VaccinationClaim>().Produces<string>(StatusCodes.Status200OK, TextCsv)
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPost("/municipalities/{code}/vaccination-claims/{claimId}/decisions", DecideAsync)
            .RequireAuthorization(GatewayPolicies.Municipality).WithName("DecideVaccinationClaimLines")
            .WithBody<ClaimDecisionsRequest, RouteHandlerBuilder>()
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        api.MapPost("/municipalities/{code}/vaccination-claims/{claimId}/approve-pending", ApprovePendingAsync)
            .RequireAuthorization(GatewayPolicies.Municipality).WithName("ApprovePendingVaccinationClaimLines")
            .Produces<VaccinationClaim>().ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        api.MapPost("/vaccinations/{submissionId}/corrections", CorrectAsync)
            .RequireAuthorization(GatewayPolicies.Reception).WithName("CorrectVaccination")
            .WithBody<DoseCorrectionRequest, RouteHandlerBuilder>()
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        return api;
    }

    private static readonly DoseCorrectionRequestValidator CorrectionRules = new();

    private static async Task<Results<Ok<VaccinationDoseCorrected>, ProblemHttpResult>> CorrectAsync(
        string submissionId, HttpContext http, IRequestClient<CorrectVaccinationDose> client, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        var (request, problem) = await JsonBody.ReadValidAsync(http.Request, CorrectionRules, "Invalid correction", cancellationToken).ConfigureAwait(false);
        if (problem is not null)
        {
            return problem;
        }

        var implausible = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (request!.Vaccine is { Length: > 0 } vaccine && Domain.DosePlausibility.VaccineRefusal(vaccine, Domain.RoutineSchedule.Default) is { } unknown)
        {
            implausible["vaccine"] = [unknown];
        }

        if (IsoDate.Parse(request.Date) is { } date && Domain.DosePlausibility.DateRefusal(date, PlausibleDates.Today(timeProvider), null) is { } badDate)
        {
            implausible["date"] = [badDate];
        }

        if (implausible.Count > 0)
        {
            return ApiProblems.Fields(StatusCodes.Status422UnprocessableEntity, implausible, "Implausible correction");
        }

        var participant = Participant.From(http.User)!;
        var response = await client.GetResponse<VaccinationDoseCorrected, VaccinationDoseCorrectionRefused>(
            new CorrectVaccinationDose
            {
                InstitutionCode = participant.Code!,
                SubmissionId = submissionId,
                CorrectionId = request.CorrectionId!,
                Vaccine = string.IsNullOrEmpty(request.Vaccine) ? null : request.Vaccine,
                DoseNumber = string.IsNullOrEmpty(request.DoseNumber) ? null : WholeNumber.Parse(request.DoseNumber),
                Date = IsoDate.Parse(request.Date),
                LotNumber = string.IsNullOrEmpty(request.LotNumber) ? null : request.LotNumber,
                Programme = string.IsNullOrEmpty(request.Programme) ? null : request.Programme,
            },
            cancellationToken).ConfigureAwait(false);
        if (response.Is(out Response<VaccinationDoseCorrected>? corrected))
        {
            return TypedResults.Ok(corrected.Message);
        }

        response.Is(out Response<VaccinationDoseCorrectionRefused>? refused);
        return refused!.Message.Reason == VaccinationDoseCorrectionRefused.CorrectionConflict
            ? ApiProblems.Field(StatusCodes.Status409Conflict, "correctionId", "was already used for a different correction", "Correction id already used")
            : ApiProblems.Status(StatusCodes.Status404NotFound, "No such dose", "No dose with this submission id was submitted by you.");
    }

    private static ProblemHttpResult? MonthProblem(string? month, out ClaimMonth parsed)
    {
        parsed = default;
        if (ClaimMonth.TryParse(month) is { } m)
        {
            parsed = m;
            return null;
        }

        return ApiProblems.Field(StatusCodes.Status400BadRequest, "month", "is required as a month yyyy-MM (2000-01 to 2100-12)", "Invalid claim month");
    }

    private static ProblemHttpResult? OwnMunicipality(string code, HttpContext http)
    {
        if (!MunicipalityCode.TryParse(code, out var municipality, out var error))
        {
            return ApiProblems.Field(StatusCodes.Status400BadRequest, "code", error!, "Invalid municipality code");
        }

        var participant = Participant.From(http.User)!;
        return participant.Code == municipality.Value
            ? null
            : ApiProblems.Status(StatusCodes.Status403Forbidden, "Not your municipality", $"Participant {participant.Id} reads only the claims to {participant.Code}.");
    }

    /// <summary>The institution's claims of a month (<c>GET /vaccination-claims?month=</c>; the desk's claims page calls it).</summary>
    public static async Task<Results<Ok<ClaimsPage>, ProblemHttpResult>> InstitutionClaimsAsync(
        [FromQuery] string? month, HttpContext http, IRequestClient<GetVaccinationClaims> client, AccessAudit audit, CancellationToken cancellationToken)
    {
        if (MonthProblem(month, out var parsed) is { } problem)
        {
            return problem;
        }

        var participant = Participant.From(http.User)!;
        return TypedResults.Ok(await ClaimsAsync(participant, ClaimViewers.Institution, parsed, client, audit, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>The claims to a municipality for a month (the municipality's claims page calls it).</summary>
    public static async Task<Results<Ok<ClaimsPage>, ProblemHttpResult>> MunicipalityClaimsAsync(
        string code, [FromQuery] string? month, HttpContext http, IRequestClient<GetVaccinationClaims> client, AccessAudit audit,
        CancellationToken cancellationToken)
    {
        if (OwnMunicipality(code, http) is { } refused)
        {
            return refused;
        }

        if (MonthProblem(month, out var parsed) is { } problem)
        {
            return problem;
        }

        var participant = Participant.From(http.User)!;
        return TypedResults.Ok(await ClaimsAsync(participant, ClaimViewers.Municipality, parsed, client, audit, cancellationToken).ConfigureAwait(false));
    }

    private static async Task<ClaimsPage> ClaimsAsync(
        Participant participant, string viewer, ClaimMonth month, IRequestClient<GetVaccinationClaims> client, AccessAudit audit, CancellationToken cancellationToken)
    {
        var response = await client.GetResponse<VaccinationClaims>(
            new GetVaccinationClaims { Viewer = viewer, ViewerCode = participant.Code!, Month = month.ToString() }, cancellationToken).ConfigureAwait(false);
        var claims = response.Message.Claims;
        await audit.RecordAsync(participant, null, ["vaccination"], ClaimPurpose, AccessOutcomes.Disclosed,
            $"claims of {month}: {claims.Count} claim(s), {claims.Sum(c => c.LineCount)} line(s)", cancellationToken).ConfigureAwait(false);
        return new ClaimsPage(month.ToString(), claims);
    }

    private static Task<Results<Ok<VaccinationClaim>, ClaimCsvResult, ProblemHttpResult>> InstitutionClaimAsync(
        string claimId, [FromQuery] string? limit, [FromQuery] string? after, HttpContext http, IRequestClient<GetVaccinationClaim> client, AccessAudit audit,
        CancellationToken cancellationToken) =>
        ClaimAsync(ClaimViewers.Institution, claimId, limit, after, http, client, audit, cancellationToken);

    /// <summary>The institution's claim (the desk's claims page calls it): one page of lines as JSON, or the whole claim as streamed CSV.</summary>
    public static Task<Results<Ok<VaccinationClaim>, ClaimCsvResult, ProblemHttpResult>> InstitutionClaimPageAsync(
        string claimId, string? limit, string? after, HttpContext http, IRequestClient<GetVaccinationClaim> client, AccessAudit audit, CancellationToken cancellationToken) =>
        ClaimAsync(ClaimViewers.Institution, claimId, limit, after, http, client, audit, cancellationToken);

    /// <summary>
    /// One claim to a municipality (the municipality's claims page calls it): its totals and one page of lines as JSON
    /// (<c>?limit=</c> up to <see cref="ClaimLineCursor.MaxLimit"/>, <c>?after=</c> the previous page's <c>nextCursor</c>),
    /// or with <c>Accept: text/csv</c> the whole claim as CSV, streamed page by page.
    /// </summary>
    public static async Task<Results<Ok<VaccinationClaim>, ClaimCsvResult, ProblemHttpResult>> MunicipalityClaimAsync(
        string code, string claimId, [FromQuery] string? limit, [FromQuery] string? after, HttpContext http, IRequestClient<GetVaccinationClaim> client,
        AccessAudit audit, CancellationToken cancellationToken)
    {
        if (OwnMunicipality(code, http) is { } refused)
        {
            return refused;
        }

        return await ClaimAsync(ClaimViewers.Municipality, claimId, limit, after, http, client, audit, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<Results<Ok<VaccinationClaim>, ClaimCsvResult, ProblemHttpResult>> ClaimAsync(
        string viewer, string claimId, string? limit, string? after, HttpContext http, IRequestClient<GetVaccinationClaim> client, AccessAudit audit,
        CancellationToken cancellationToken)
    {
        var lineLimit = ClaimLineCursor.DefaultLimit;
        if (!string.IsNullOrEmpty(limit) && (!WholeNumber.TryParse(limit, ClaimLineCursor.MaxLimit, out lineLimit) || lineLimit < 1))
        {
            return ApiProblems.Field(StatusCodes.Status400BadRequest, "limit", $"must be a whole number from 1 to {ClaimLineCursor.MaxLimit}", "Invalid page of lines");
        }

        if (!string.IsNullOrEmpty(after) && ClaimLineCursor.TryParse(after) is null)
        {
            return ApiProblems.Field(StatusCodes.Status400BadRequest, "after", "must be the nextCursor of the claim's previous page of lines", "Invalid page of lines");
        }

        var participant = Participant.From(http.User)!;
        var csv = http.Request.Headers.Accept.Any(a => a?.Contains(TextCsv, StringComparison.OrdinalIgnoreCase) == true);
        var request = new GetVaccinationClaim
        {
            Viewer = viewer,
            ViewerCode = participant.Code!,
            ClaimId = claimId,
            LineLimit = csv ? ClaimCsvResult.PageSize : lineLimit,
            After = csv || string.IsNullOrEmpty(after) ? null : after,
        };
        var response = await client.GetResponse<VaccinationClaims>(request, cancellationToken).ConfigureAwait(false);
        if (response.Message.Claims is not [var claim])
        {
            return ApiProblems.Status(StatusCodes.Status404NotFound, "No such claim", "No claim with this id is yours to read.");
        }

        if (csv)
        {
            await audit.RecordAsync(participant, null, ["vaccination"], ClaimPurpose, AccessOutcomes.Disclosed,
                $"claim {claim.ClaimId} as CSV: {claim.LineCount} line(s)", cancellationToken).ConfigureAwait(false);
            return new ClaimCsvResult(claim, request, client);
        }

        await audit.RecordAsync(participant, null, ["vaccination"], ClaimPurpose, AccessOutcomes.Disclosed,
            $"claim {claim.ClaimId}: {claim.Lines.Count} of {claim.LineCount} line(s)", cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(claim);
    }

    private static async Task<Results<Ok<VaccinationClaim>, ProblemHttpResult>> DecideAsync(
        string code, string claimId, HttpContext http, IRequestClient<DecideVaccinationClaimLines> client, AccessAudit audit, CancellationToken cancellationToken)
    {
        if (OwnMunicipality(code, http) is { } refused)
        {
            return refused;
        }

        var (request, problem) = await JsonBody.ReadValidAsync(http.Request, DecisionRules, "Invalid decisions", cancellationToken).ConfigureAwait(false);
        return problem ?? await HandleDecideAsync(code, claimId, request!, http, client, audit, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// A municipality's decisions on lines, as the API and the municipality's claims page make them: validated, all or
    /// nothing, audited; the answer is the claim's new totals and state counts with the decided lines only (<c>lines</c>).
    /// </summary>
    public static async Task<Results<Ok<VaccinationClaim>, ProblemHttpResult>> HandleDecideAsync(
        string code, string claimId, ClaimDecisionsRequest request, HttpContext http, IRequestClient<DecideVaccinationClaimLines> client, AccessAudit audit,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(audit);
        if (OwnMunicipality(code, http) is { } refused)
        {
            return refused;
        }

        if (await JsonBody.ValidateAsync(request, DecisionRules, "Invalid decisions", cancellationToken).ConfigureAwait(false) is { } invalid)
        {
            return invalid;
        }

        var participant = Participant.From(http.User)!;
        return await SendDecisionsAsync(
            participant,
            new DecideVaccinationClaimLines
            {
                MunicipalityCode = participant.Code!,
                ClaimId = claimId,
                Lines = request.Lines!.Select(l => new ClaimLineDecision(l!.LineId!, l.Decision!, string.IsNullOrWhiteSpace(l.Reason) ? null : l.Reason)).ToList(),
            },
            client,
            audit,
            cancellationToken).ConfigureAwait(false);
    }

    private static Task<Results<Ok<VaccinationClaim>, ProblemHttpResult>> ApprovePendingAsync(
        string code, string claimId, HttpContext http, IRequestClient<DecideVaccinationClaimLines> client, AccessAudit audit, CancellationToken cancellationToken) =>
        HandleApprovePendingAsync(code, claimId, http, client, audit, cancellationToken);

    /// <summary>
    /// "Approve every pending line of this claim" (<c>POST …/vaccination-claims/{claimId}/approve-pending</c>, and the
    /// municipality's claims page): one operation however many lines, on a closed claim only, audited as a decision;
    /// the answer is the claim's new totals and state counts, without lines.
    /// </summary>
    public static async Task<Results<Ok<VaccinationClaim>, ProblemHttpResult>> HandleApprovePendingAsync(
        string code, string claimId, HttpContext http, IRequestClient<DecideVaccinationClaimLines> client, AccessAudit audit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        if (OwnMunicipality(code, http) is { } refused)
        {
            return refused;
        }

        var participant = Participant.From(http.User)!;
        return await SendDecisionsAsync(
            participant,
            new DecideVaccinationClaimLines { MunicipalityCode = participant.Code!, ClaimId = claimId, Lines = [], ApproveAllPending = true },
            client,
            audit,
            cancellationToken).ConfigureAwait(false);
    }

    private static async Task<Results<Ok<VaccinationClaim>, ProblemHttpResult>> SendDecisionsAsync(
        Participant participant, DecideVaccinationClaimLines command, IRequestClient<DecideVaccinationClaimLines> client, AccessAudit audit, CancellationToken cancellationToken)
    {
        var response = await client.GetResponse<VaccinationClaimDecided, VaccinationClaimDecisionRefused>(command, cancellationToken).ConfigureAwait(false);
        if (response.Is(out Response<VaccinationClaimDecided>? decided))
        {
            var claim = decided.Message.Claim;
            await audit.RecordAsync(participant, null, ["vaccination"], ClaimPurpose, AccessOutcomes.Recorded,
                command.ApproveAllPending
                    ? $"approved all {decided.Message.DecidedCount} pending line(s) of claim {command.ClaimId}"
                    : $"decisions on {command.Lines.Count} line(s) of claim {command.ClaimId}",
                cancellationToken).ConfigureAwait(false);
            return TypedResults.Ok(claim with { NextCursor = null });
        }

        response.Is(out Response<VaccinationClaimDecisionRefused>? refusal);
        return refusal!.Message.NotFound
            ? ApiProblems.Status(StatusCodes.Status404NotFound, "No such claim", "No claim with this id is one to your municipality.")
            : ApiProblems.Fields(StatusCodes.Status422UnprocessableEntity, refusal.Message.Errors.ToDictionary(e => e.Key, e => new[] { e.Value }), "Decisions refused");
    }
}

/// <summary>
/// A claim as CSV, written to the response row by row while its lines are read page by page over the bus
/// (<see cref="PageSize"/> lines a page, each its own request): the whole claim is never held at once. The first
/// page has been read (and the read audited) before; once writing starts the request timeout no longer applies, since
/// each page has its own bus timeout.
/// </summary>
public sealed class ClaimCsvResult(VaccinationClaim firstPage, GetVaccinationClaim request, IRequestClient<GetVaccinationClaim> client) : IResult
{
    public const int PageSize = ClaimLineCursor.MaxLimit;

    public VaccinationClaim FirstPage { get; } = firstPage;

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        httpContext.Features.Get<Microsoft.AspNetCore.Http.Timeouts.IHttpRequestTimeoutFeature>()?.DisableTimeout();
        var cancellationToken = httpContext.RequestAborted;
        httpContext.Response.StatusCode = StatusCodes.Status200OK;
        httpContext.Response.ContentType = "text/csv; charset=utf-8";
        // Written asynchronously only (the server allows no synchronous writes): the header and each row through WriteAsync.
        await using var writer = new StreamWriter(httpContext.Response.Body, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), bufferSize: 64 * 1024);
        await writer.WriteAsync("\uFEFF" + CsvCells.Record(ClaimCsv.Header)).ConfigureAwait(false);
        var page = FirstPage;
        while (true)
        {
            foreach (var line in page.Lines)
            {
                await writer.WriteAsync(ClaimCsv.Row(page, line)).ConfigureAwait(false);
            }

            if (page.NextCursor is null)
            {
                break;
            }

            await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
            var response = await client.GetResponse<VaccinationClaims>(request with { After = page.NextCursor }, cancellationToken).ConfigureAwait(false);
            if (response.Message.Claims is not [var next])
            {
                break;
            }

            page = next;
        }

        await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
    }
}

/// <summary>The body of <c>POST /vaccinations/{submissionId}/corrections</c>: the fields that change (at least one).</summary>
public sealed class DoseCorrectionRequest
{
    public string? CorrectionId { get; set; }

    public string? Vaccine { get; set; }

    public string? DoseNumber { get; set; }

    public string? Date { get; set; }

    public string? LotNumber { get; set; }

    public string? Programme { get; set; }
}

public sealed class DoseCorrectionRequestValidator : PmhValidator<DoseCorrectionRequest>
{
    public DoseCorrectionRequestValidator()
    {
        RuleFor(r => r.CorrectionId).NotEmpty().WithMessage(IdentifierErrors.Required)
            .Matches("^[A-Za-z0-9._-]{1,64}$").WithMessage("must be 1 to 64 characters of letters, digits, '.', '_' and '-'");
        RuleFor(r => r.Vaccine).Matches("^[A-Z0-9][A-Z0-9-]{0,29}$").WithMessage("must be a vaccine code of the schedule table such as MR or DPT-IPV-HIB")
            .When(r => !string.IsNullOrEmpty(r.Vaccine));
        RuleFor(r => r.DoseNumber).Must(v => WholeNumber.TryParse(v, 20, out var n) && n >= 1).WithMessage("must be a whole number from 1 to 20")
            .When(r => !string.IsNullOrEmpty(r.DoseNumber));
        RuleFor(r => r.Date).Must(IsoDate.IsValid).WithMessage("must be a date yyyy-MM-dd").When(r => !string.IsNullOrEmpty(r.Date));
        RuleFor(r => r.LotNumber).MaximumLength(50).WithMessage("must be at most 50 characters");
        RuleFor(r => r.Programme).Must(p => p is not null && VaccinationProgrammes.All.Contains(p)).WithMessage("must be routineA, routineB or voluntary")
            .When(r => !string.IsNullOrEmpty(r.Programme));
        RuleFor(r => r).Must(r => new[] { r.Vaccine, r.DoseNumber, r.Date, r.LotNumber, r.Programme }.Any(v => !string.IsNullOrEmpty(v)))
            .WithName("vaccine").WithMessage("a correction changes at least one of vaccine, doseNumber, date, lotNumber, programme");
    }
}

/// <summary>A month's claims (one per institution × municipality).</summary>
public sealed record ClaimsPage(string Month, IReadOnlyList<VaccinationClaim> Claims);

/// <summary>The body of <c>POST /municipalities/{code}/vaccination-claims/{claimId}/decisions</c>.</summary>
public sealed class ClaimDecisionsRequest
{
    public List<ClaimLineDecisionRequest?>? Lines { get; set; }
}

public sealed class ClaimLineDecisionRequest
{
    public string? LineId { get; set; }

    /// <summary><c>approved</c> or <c>rejected</c>.</summary>
    public string? Decision { get; set; }

    /// <summary>Required for <c>rejected</c>.</summary>
    public string? Reason { get; set; }
}

public sealed class ClaimDecisionsRequestValidator : PmhValidator<ClaimDecisionsRequest>
{
    public const int MaxLines = 10_000;

    public ClaimDecisionsRequestValidator()
    {
        RuleFor(r => r.Lines).NotEmpty().WithMessage("must contain at least one decision")
            .Must(l => l is null || l.Count <= MaxLines).WithMessage($"must contain at most {MaxLines} decisions");
        RuleForEach(r => r.Lines).Cascade(CascadeMode.Stop)
            .NotNull().WithMessage("must be an object")
            .ChildRules(line =>
            {
                line.RuleFor(l => l!.LineId).NotEmpty().WithMessage(IdentifierErrors.Required)
                    .MaximumLength(200).WithMessage("must be at most 200 characters");
                line.RuleFor(l => l!.Decision).Must(d => d is ClaimRules.Approved or ClaimRules.Rejected).WithMessage("must be approved or rejected");
                line.RuleFor(l => l!.Reason).NotEmpty().WithMessage("is required for a rejection").When(l => l!.Decision == ClaimRules.Rejected);
                line.RuleFor(l => l!.Reason).MaximumLength(500).WithMessage("must be at most 500 characters")
                    .Must(r => r is null || !r.Any(char.IsControl)).WithMessage("must not contain control characters");
            });
    }
}

/// <summary>
/// A claim as CSV for a spreadsheet or the municipality's accounting system: UTF-8 with a byte order mark, one line per
/// claim line, every cell formula-safe and no My Number (<see cref="CsvCells"/>); amounts are whole yen.
/// </summary>
public static class ClaimCsv
{
    public static readonly string[] Header =
    [
        "claimId", "institutionCode", "municipalityCode", "month", "lineId", "kind", "adjustsLineId", "recordId", "personRef",
        "localPersonId", "vaccine", "doseNumber", "doseDate", "programme", "priced", "unitPriceYen", "patientShareYen", "billedYen",
        "state", "reason", "decidedAt",
    ];

    /// <summary>The byte order mark and the header row.</summary>
    public static void WriteHeader(TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.Write('\uFEFF');
        writer.Write(CsvCells.Record(Header));
    }

    /// <summary>One claim line as one CSV row (ending in CRLF).</summary>
    public static void WriteLine(TextWriter writer, VaccinationClaim claim, VaccinationClaimLine l)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.Write(Row(claim, l));
    }

    /// <summary>One claim line as one CSV row (ending in CRLF).</summary>
    public static string Row(VaccinationClaim claim, VaccinationClaimLine l)
    {
        ArgumentNullException.ThrowIfNull(claim);
        ArgumentNullException.ThrowIfNull(l);

        // Amounts are written as numbers (an adjustment's are negative: "-1500" is a number, not a formula); every other cell through CsvCells.
        return string.Join(',',
            CsvCells.Field(claim.ClaimId),
            CsvCells.Field(claim.InstitutionCode),
            CsvCells.Field(claim.MunicipalityCode),
            CsvCells.Field(claim.Month),
            CsvCells.Field(l.LineId),
            CsvCells.Field(l.Kind),
            CsvCells.Field(l.AdjustsLineId),
            CsvCells.Field(l.RecordId),
            CsvCells.Field(l.PersonRef),
            CsvCells.Field(l.LocalPersonId),
            CsvCells.Field(l.Vaccine),
            CsvCells.Field(l.DoseNumber.ToString(CultureInfo.InvariantCulture)),
            CsvCells.Field(l.DoseDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
            CsvCells.Field(l.Programme),
            CsvCells.Field(l.Priced ? "1" : "0"),
            l.UnitPriceYen.ToString(CultureInfo.InvariantCulture),
            l.PatientShareYen.ToString(CultureInfo.InvariantCulture),
            l.BilledYen.ToString(CultureInfo.InvariantCulture),
            CsvCells.Field(l.State),
            CsvCells.Field(l.Reason),
            CsvCells.Field(l.DecidedAt?.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture))) + "\r\n";
    }

    /// <summary>A claim page held whole, as CSV text (the lines it carries).</summary>
    public static string Write(VaccinationClaim claim)
    {
        ArgumentNullException.ThrowIfNull(claim);
        var csv = new StringWriter(new StringBuilder(capacity: 256 * (claim.Lines.Count + 1)), CultureInfo.InvariantCulture);
        WriteHeader(csv);
        foreach (var l in claim.Lines)
        {
            WriteLine(csv, claim, l);
        }

        return csv.ToString();
    }
}
