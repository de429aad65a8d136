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
using Pmh.Contracts.Validation;
using Pmh.Contracts.Vaccination;
using Pmh.Modules;
using Pmh.Modules.Http;
using Pmh.Modules.Participants;
using Pmh.Vaccination.Domain;
using Pmh.Vaccination.Publishing;
using Pmh.Vaccination.Reception;
using Pmh.Modules.Audit;
using Pmh.Modules.Batches;
using Pmh.Modules.Reception;

namespace Pmh.Vaccination.Apis;

/// <summary>
/// Vaccination: municipalities upload their register and read the feed of doses given to their people;
/// institutions submit the doses they give and read a checked patient's history (JSON or FHIR R4).
/// </summary>
public static class VaccinationApi
{
    // Validators are immutable once built, and building one compiles its rules: one of each, for every request.
    private static readonly DoseSubmissionValidator DoseSubmissionRules = new();

    public const string FhirJson = "application/fhir+json";

    public static RouteGroupBuilder MapVaccinationApi(this RouteGroupBuilder api)
    {
        api.MapBatchUpload<VaccinationRecords, VaccinationRecordRow, VaccinationRecord>("UploadVaccinationRecords");
        api.MapGet("/municipalities/{code}/vaccination-events", FeedAsync)
            .RequireAuthorization(GatewayPolicies.Municipality).WithName("VaccinationEvents").WithMetadata(Feed)
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status403Forbidden);
        api.MapPost("/vaccinations", SubmitAsync)
            .RequireAuthorization(GatewayPolicies.Reception).WithName("SubmitVaccination")
            .WithBody<DoseSubmission, RouteHandlerBuilder>()
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        api.MapGet("/reception/checks/{checkId}/vaccinations", HistoryAsync)
            .RequireAuthorization(GatewayPolicies.Reception).WithName("VaccinationHistory")
            .Produces<string>(StatusCodes.Status200OK, FhirJson)
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound);
        return api;
    }

    private static readonly string[] RequiredCsvColumns = ["recordKey", "myNumber", "vaccine", "doseNumber", "date", "programme"];

    /// <summary>CSV with a header row naming the JSON fields (recordKey, myNumber, localPersonId, vaccine, doseNumber, date, lotNumber, institutionCode, programme).</summary>
    internal static SubmittedBatch<VaccinationRecordRow> ReadCsv(ReadOnlyMemory<byte> body, string? batchId) =>
        StreamedCsvBatch.ReadWhole(body, batchId, CsvLayout);

    /// <summary>The register's CSV: header names matched without regard to case, each at most once.</summary>
    internal static IBatchCsvLayout<VaccinationRecordRow> CsvLayout { get; } = new RegisterCsvLayout();

    private sealed class RegisterCsvLayout : IBatchCsvLayout<VaccinationRecordRow>, ICaseInsensitiveCsvLayout
    {
        public void CheckHeader(IReadOnlyList<string> header)
        {
            var repeated = header.GroupBy(h => h, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1);
            if (repeated is not null)
            {
                // Which of the two cells would be the row's value is anyone's guess: refuse the upload rather than pick one.
                throw new MalformedBatchException(repeated.Key, "column appears more than once in the CSV header");
            }

            var names = header.ToHashSet(StringComparer.Ordinal);
            var missing = RequiredCsvColumns.FirstOrDefault(c => !names.Contains(c));
            if (missing is not null)
            {
                throw new MalformedBatchException(missing, "column is missing from the CSV header");
            }
        }

        public VaccinationRecordRow Read(CsvRecord record) => new()
        {
            RecordKey = record["recordKey"],
            MyNumber = record["myNumber"],
            LocalPersonId = record["localPersonId"],
            Vaccine = record["vaccine"],
            DoseNumber = record["doseNumber"],
            Date = record["date"],
            LotNumber = record["lotNumber"],
            InstitutionCode = record["institutionCode"],
            Programme = record["programme"],
        };
    }

    /// <summary>The doses given to the municipality's people, from a cursor: for the API and the municipality page.</summary>
    public static readonly MunicipalFeed<VaccinationFeedEvent> Feed = new(
        "vaccination-events",
        new Pmh.Modules.Pages.LocalText("接種の記録（医療機関から）", "Doses given (from institutions)"),
        async (services, municipality, from, count, ct) =>
        {
            var response = await services.GetRequiredService<IRequestClient<GetVaccinationFeed>>().GetResponse<VaccinationFeed>(
                new GetVaccinationFeed { MunicipalityCode = municipality, After = from, Limit = count }, ct).ConfigureAwait(false);
            return (response.Message.Events, response.Message.Next);
        });

    private static Task<Results<Ok<FeedPage<VaccinationFeedEvent>>, ProblemHttpResult>> FeedAsync(
        string code, [FromQuery] long? after, [FromQuery] int? limit, HttpContext http, CancellationToken cancellationToken) =>
        Feed.PageAsync(code, after, limit, http, cancellationToken);

    private static async Task<Results<Created<DoseSubmissionAnswer>, Ok<DoseSubmissionAnswer>, ProblemHttpResult>> SubmitAsync(
        HttpContext http, CurrentChecks checks, IRequestClient<RecordVaccinationDose> client, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        var (request, problem) = await JsonBody.ReadAsync<DoseSubmission>(http.Request, cancellationToken).ConfigureAwait(false);
        return problem ?? await HandleSubmitAsync(http, request!, checks, client, timeProvider, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A dose submitted as the API and the desk page submit it: validated, tied to the caller's current check.</summary>
    public static async Task<Results<Created<DoseSubmissionAnswer>, Ok<DoseSubmissionAnswer>, ProblemHttpResult>> HandleSubmitAsync(
        HttpContext http, DoseSubmission request, CurrentChecks checks, IRequestClient<RecordVaccinationDose> client, TimeProvider timeProvider,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(checks);
        ArgumentNullException.ThrowIfNull(client);
        if (await JsonBody.ValidateAsync(request, DoseSubmissionRules, "Invalid vaccination", cancellationToken).ConfigureAwait(false) is { } invalid)
        {
            return invalid;
        }

        var participant = Participant.From(http.User)!;
        var (check, refused) = await checks.FindAsync(http, request.CheckId, cancellationToken).ConfigureAwait(false);
        if (refused is not null)
        {
            return refused;
        }

        // Well-formed, but is it believable? A code of the schedule table, dated in [the person's birth, today + 1 day].
        var implausible = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (DosePlausibility.VaccineRefusal(request.Vaccine, RoutineSchedule.Default) is { } unknown)
        {
            implausible["vaccine"] = [unknown];
        }

        if (DosePlausibility.DateRefusal(IsoDate.Parse(request.Date)!.Value, PlausibleDates.Today(timeProvider), check!.BirthDate) is { } badDate)
        {
            implausible["date"] = [badDate];
        }

        if (implausible.Count > 0)
        {
            return ApiProblems.Fields(StatusCodes.Status422UnprocessableEntity, implausible, "Implausible vaccination");
        }

        var response = await client.GetResponse<VaccinationDoseRecorded, VaccinationDoseRefused>(
            new RecordVaccinationDose
            {
                SubmissionId = request.SubmissionId!,
                InstitutionCode = participant.Code,
                CheckId = check!.CheckId,
                PersonKey = check.PersonKey,
                MunicipalityCode = string.IsNullOrEmpty(request.MunicipalityCode) ? null : request.MunicipalityCode,
                Vaccine = request.Vaccine!,
                DoseNumber = int.Parse(request.DoseNumber!, CultureInfo.InvariantCulture),
                Date = IsoDate.Parse(request.Date)!.Value,
                LotNumber = string.IsNullOrEmpty(request.LotNumber) ? null : request.LotNumber,
                Programme = request.Programme!,
                QuestionnaireId = string.IsNullOrEmpty(request.QuestionnaireId) ? null : request.QuestionnaireId,
                Decision = request.Decision is { } decision
                    ? new DoctorDecision(true, decision.DoctorName!, DoseDecisionBody.ParseDecidedAt(decision.DecidedAt)!.Value)
                    : null,
            },
            cancellationToken).ConfigureAwait(false);

        if (response.Is(out Response<VaccinationDoseRecorded>? recorded))
        {
            var body = new DoseSubmissionAnswer(recorded.Message.SubmissionId, recorded.Message.RecordId, recorded.Message.MunicipalityCode);
            return recorded.Message.IsRepeat ? TypedResults.Ok(body) : TypedResults.Created((string?)null, body);
        }

        var answer = response.Is(out Response<VaccinationDoseRefused>? doseRefused) ? doseRefused.Message : null;
        return answer?.Reason switch
        {
            VaccinationDoseRefused.SubmissionConflict =>
                ApiProblems.Field(StatusCodes.Status409Conflict, "submissionId", "was already used for a different dose", "Submission id already used"),
            VaccinationDoseRefused.MunicipalityMismatch => ApiProblems.Field(StatusCodes.Status422UnprocessableEntity, "municipalityCode",
                $"the person is in {answer.RegisteredMunicipalityCode}'s register; omit municipalityCode or send {answer.RegisteredMunicipalityCode}",
                "Not the person's municipality"),
            VaccinationDoseRefused.QuestionnaireRequired => ApiProblems.Field(StatusCodes.Status422UnprocessableEntity, "questionnaireId",
                answer.Detail ?? "is required for this dose", "Questionnaire required"),
            VaccinationDoseRefused.QuestionnaireNotUsable => ApiProblems.Field(StatusCodes.Status422UnprocessableEntity, "questionnaireId",
                answer.Detail ?? "cannot be used for this dose", "Questionnaire not usable"),
            _ => ApiProblems.Field(StatusCodes.Status422UnprocessableEntity, "municipalityCode",
                "is required: the person is in no municipality's vaccination register yet", "Municipality unknown"),
        };
    }

    private static async Task<Results<Ok<VaccinationHistoryView>, ContentHttpResult, ProblemHttpResult>> HistoryAsync(
        string checkId, HttpContext http, CurrentChecks checks, IRequestClient<CheckVaccinationHistory> client, AccessAudit audit,
        CancellationToken cancellationToken)
    {
        var participant = Participant.From(http.User)!;
        var (check, refused) = await checks.FindAsync(http, checkId, cancellationToken, expiredIsNotFound: true).ConfigureAwait(false);
        if (refused is not null)
        {
            return refused;
        }

        if (!check!.Parts.TryGetValue("vaccination", out var part) || part == ReceptionParts.NotConsented)
        {
            await audit.RecordAsync(participant, check.PersonKey, ["vaccination"], "vaccinationHistory", Contracts.Audit.AccessOutcomes.NotConsented,
                check.CheckId.ToString(), cancellationToken).ConfigureAwait(false);
            return ApiProblems.Status(StatusCodes.Status403Forbidden, "No consent", "The patient did not agree to share vaccination records in this check.");
        }

        await audit.RecordAsync(participant, check.PersonKey, ["vaccination"], "vaccinationHistory", Contracts.Audit.AccessOutcomes.Disclosed,
            check.CheckId.ToString(), cancellationToken).ConfigureAwait(false);

        var fhir = http.Request.Headers.Accept.Any(a => a?.Contains(FhirJson, StringComparison.OrdinalIgnoreCase) == true);
        var response = await client.GetResponse<VaccinationHistory>(
            new CheckVaccinationHistory
            {
                PersonKey = check.PersonKey,
                BirthDate = check.BirthDate,
                ServiceDate = check.ServiceDate,
                FhirPatientReference = fhir ? check.PersonRef : null,
            },
            cancellationToken).ConfigureAwait(false);
        return fhir
            ? TypedResults.Text(response.Message.FhirBundle ?? "", FhirJson, System.Text.Encoding.UTF8)
            : TypedResults.Ok(VaccinationHistoryView.From(response.Message));
    }
}

/// <summary>A dose recorded (201) or recorded already by the same submission (200).</summary>
public sealed record DoseSubmissionAnswer(string SubmissionId, string RecordId, string MunicipalityCode);

/// <summary>The body of <c>POST /api/v1/vaccinations</c>.</summary>
public sealed class DoseSubmission
{
    public string? CheckId { get; set; }

    public string? SubmissionId { get; set; }

    public string? MunicipalityCode { get; set; }

    public string? Vaccine { get; set; }

    public string? DoseNumber { get; set; }

    public string? Date { get; set; }

    public string? LotNumber { get; set; }

    public string? Programme { get; set; }

    /// <summary>The citizen's pre-vaccination questionnaire (from the reception check's <c>vaccination.questionnaires</c>).</summary>
    public string? QuestionnaireId { get; set; }

    /// <summary>The doctor's decision (予診の結果); required with a questionnaire.</summary>
    public DoseDecisionBody? Decision { get; set; }
}

/// <summary>The doctor's decision in <c>POST /api/v1/vaccinations</c>: <c>{vaccinate, doctorName, decidedAt}</c>.</summary>
public sealed class DoseDecisionBody
{
    public string? Vaccinate { get; set; }

    public string? DoctorName { get; set; }

    /// <summary>ISO 8601 with an offset, e.g. <c>2026-12-03T10:15:00+09:00</c>.</summary>
    public string? DecidedAt { get; set; }

    public static DateTimeOffset? ParseDecidedAt(string? text) =>
        text is { Length: <= 40 } && DecidedAtFormat.IsMatch(text)
        && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var at)
            ? at
            : null;

    private static readonly System.Text.RegularExpressions.Regex DecidedAtFormat = new(
        @"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]{1,7})?)?(Z|[+-][0-9]{2}:[0-9]{2})$",
        System.Text.RegularExpressions.RegexOptions.CultureInvariant);
}

public sealed class DoseSubmissionValidator : PmhValidator<DoseSubmission>
{
    public DoseSubmissionValidator()
    {
        RuleFor(r => r.CheckId).Must(v => Guid.TryParse(v, out _)).WithMessage("is required as the checkId of your reception check");
        RuleFor(r => r.SubmissionId).NotEmpty().WithMessage(IdentifierErrors.Required)
            .Matches("^[A-Za-z0-9._-]{1,64}$").WithMessage("must be 1 to 64 characters of letters, digits, '.', '_' and '-'");
        RuleFor(r => r.MunicipalityCode).MustBeMunicipalityCode().When(r => !string.IsNullOrEmpty(r.MunicipalityCode));
        VaccinationRules.Dose(this, r => r.Vaccine, r => r.DoseNumber, r => r.Date, r => r.LotNumber, r => r.Programme);
        RuleFor(r => r.QuestionnaireId).Matches("^[A-Za-z0-9._-]{1,64}$").WithMessage("must be the questionnaireId the reception check listed")
            .When(r => !string.IsNullOrEmpty(r.QuestionnaireId));
        RuleFor(r => r.Decision).NotNull().WithMessage("is required with a questionnaire: {vaccinate, doctorName, decidedAt}")
            .When(r => !string.IsNullOrEmpty(r.QuestionnaireId));
        RuleFor(r => r.Decision!.Vaccinate).Must(v => v == "true")
            .WithMessage("must be true: a dose is recorded only when the doctor decided to vaccinate").When(r => r.Decision is not null);
        RuleFor(r => r.Decision!.DoctorName).NotEmpty().WithMessage(IdentifierErrors.Required)
            .MaximumLength(100).WithMessage("must be at most 100 characters")
            .Must(v => v is null || !v.Any(char.IsControl)).WithMessage("must not contain control characters").When(r => r.Decision is not null);
        RuleFor(r => r.Decision!.DecidedAt).Must(v => DoseDecisionBody.ParseDecidedAt(v) is not null)
            .WithMessage("is required as a date and time with its offset, e.g. 2026-12-03T10:15:00+09:00").When(r => r.Decision is not null);
    }
}
