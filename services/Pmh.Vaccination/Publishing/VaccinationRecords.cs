using System.Globalization;
using FluentValidation;
using Pmh.Contracts.Identifiers;
using Pmh.Contracts.Vaccination;
using Pmh.Contracts.Validation;
using Pmh.Hosting.Messaging;
using Pmh.Hosting.Privacy;
using Pmh.Modules.Batches;
using Pmh.Modules.Reception;
using Pmh.Vaccination.Domain;

namespace Pmh.Vaccination.Publishing;

/// <summary>A row of a municipality's vaccination register upload (予防接種台帳), every scalar read as text.</summary>
public sealed class VaccinationRecordRow
{
    /// <summary>The municipality's key for this record; a later upload with the same key replaces it.</summary>
    public string? RecordKey { get; set; }

    public string? MyNumber { get; set; }

    /// <summary>The municipality's own number for the person (宛名番号), returned to it in its feed.</summary>
    public string? LocalPersonId { get; set; }

    public string? Vaccine { get; set; }

    public string? DoseNumber { get; set; }

    public string? Date { get; set; }

    public string? LotNumber { get; set; }

    public string? InstitutionCode { get; set; }

    public string? Programme { get; set; }
}

public sealed class VaccinationRecordRowValidator : PmhValidator<VaccinationRecordRow>
{
    /// <summary>Rows checked against <paramref name="today"/> (in Japan): the register holds no birth dates, so a
    /// row's date lies in [<see cref="DosePlausibility.Earliest"/>, today + 1 day].</summary>
    public VaccinationRecordRowValidator(Func<DateOnly> today)
    {
        ArgumentNullException.ThrowIfNull(today);
        RuleFor(r => r.RecordKey).NotEmpty().WithMessage(IdentifierErrors.Required)
            .MaximumLength(100).WithMessage("must be at most 100 characters")
            .Matches("^[!-~]*$").WithMessage("must be printable ASCII characters without spaces");
        RuleFor(r => r.MyNumber).MustBeMyNumber();
        RuleFor(r => r.LocalPersonId).MaximumLength(50).WithMessage("must be at most 50 characters");
        VaccinationRules.Dose(this, r => r.Vaccine, r => r.DoseNumber, r => r.Date, r => r.LotNumber, r => r.Programme);
        RuleFor(r => r.InstitutionCode).MustBeMedicalInstitutionCode().When(r => !string.IsNullOrEmpty(r.InstitutionCode));
        VaccinationRules.Plausible(this, r => r.Vaccine, r => r.Date, today);
    }
}

/// <summary>The rules every dose follows, uploaded by a municipality or submitted by an institution.</summary>
public static class VaccinationRules
{
    public static void Dose<T>(
        AbstractValidator<T> validator,
        System.Linq.Expressions.Expression<Func<T, string?>> vaccine,
        System.Linq.Expressions.Expression<Func<T, string?>> doseNumber,
        System.Linq.Expressions.Expression<Func<T, string?>> date,
        System.Linq.Expressions.Expression<Func<T, string?>> lotNumber,
        System.Linq.Expressions.Expression<Func<T, string?>> programme)
    {
        validator.RuleFor(vaccine).NotEmpty().WithMessage(IdentifierErrors.Required)
            .Matches("^[A-Z0-9][A-Z0-9-]{0,29}$").WithMessage("must be a vaccine code of the schedule table such as MR or DPT-IPV-HIB");
        validator.RuleFor(doseNumber).Must(v => Pmh.Contracts.Validation.WholeNumber.TryParse(v, 20, out var n) && n >= 1)
            .WithMessage("must be a whole number from 1 to 20");
        validator.RuleFor(date).Must(IsoDate.IsValid).WithMessage("is required as a date yyyy-MM-dd");
        validator.RuleFor(lotNumber).MaximumLength(50).WithMessage("must be at most 50 characters");
        validator.RuleFor(programme).Must(p => p is not null && VaccinationProgrammes.All.Contains(p))
            .WithMessage("must be routineA, routineB or voluntary");
    }

    /// <summary>
    /// The plausibility of a well-formed dose (<see cref="DosePlausibility"/>): a vaccine code of the schedule table, a
    /// date in [1900-01-01, today + 1 day]. Only checked once the field is well-formed, so each field has one reason.
    /// </summary>
    public static void Plausible<T>(AbstractValidator<T> validator, Func<T, string?> vaccine, Func<T, string?> date, Func<DateOnly> today)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(validator);
        validator.RuleFor(r => r).Custom((row, context) =>
        {
            var code = vaccine(row);
            if (code is not null && VaccineFormat.IsMatch(code) && DosePlausibility.VaccineRefusal(code, RoutineSchedule.Default) is { } unknown)
            {
                context.AddFailure("vaccine", unknown);
            }

            if (IsoDate.Parse(date(row)) is { } given && DosePlausibility.DateRefusal(given, today(), birthDate: null) is { } implausible)
            {
                context.AddFailure("date", implausible);
            }
        });
    }

    private static readonly System.Text.RegularExpressions.Regex VaccineFormat = new("^[A-Z0-9][A-Z0-9-]{0,29}$", System.Text.RegularExpressions.RegexOptions.CultureInvariant);
}

/// <summary>The vaccination register as a municipal batch, for the vaccination service.</summary>
public sealed class VaccinationRecords(PersonKeys personKeys, TimeProvider timeProvider) : IBatchKind<VaccinationRecordRow, VaccinationRecord>
{
    public const string KindName = "vaccination-records";
    private readonly VaccinationRecordRowValidator _rowValidator = new(() => PlausibleDates.Today(timeProvider));

    public string Kind => KindName;

    public string RowsField => "records";

    public Pmh.Modules.Pages.LocalText Title { get; } = new("予防接種台帳", "Vaccination register");

    public IValidator<VaccinationRecordRow> Validator => _rowValidator;

    public Uri Destination { get; } = CommandQueue.Address(VaccinationQueues.RegisterRecords);

    public bool AcceptsCsv => true;

    public IBatchCsvLayout<VaccinationRecordRow> CsvLayout => Apis.VaccinationApi.CsvLayout;

    public (string Field, string Value) UniqueKey(VaccinationRecordRow row) => ("recordKey", row.RecordKey!);

    public VaccinationRecord Convert(MunicipalityCode municipality, VaccinationRecordRow row) => new()
    {
        RecordId = $"{municipality.Value}:{row.RecordKey}",
        MunicipalityCode = municipality.Value,
        PersonKey = personKeys.For(MyNumber.Parse(row.MyNumber)),
        Vaccine = row.Vaccine!,
        DoseNumber = int.Parse(row.DoseNumber!, CultureInfo.InvariantCulture),
        Date = IsoDate.Parse(row.Date)!.Value,
        LotNumber = string.IsNullOrEmpty(row.LotNumber) ? null : row.LotNumber,
        InstitutionCode = string.IsNullOrEmpty(row.InstitutionCode) ? null : row.InstitutionCode,
        Programme = row.Programme!,
        LocalPersonId = string.IsNullOrEmpty(row.LocalPersonId) ? null : row.LocalPersonId,
    };

    public object Part(BatchRecord batch, int partIndex, int partCount, int rowCount, IReadOnlyList<(int Index, VaccinationRecord Item)> rows) =>
        new RegisterVaccinationRecords
        {
            MunicipalityCode = batch.MunicipalityCode,
            BatchId = batch.BatchId,
            PartIndex = partIndex,
            PartCount = partCount,
            RowCount = rowCount,
            Rows = rows.Select(r => new RegisteredVaccinationRow(r.Index, r.Item)).ToList(),
        };
}
