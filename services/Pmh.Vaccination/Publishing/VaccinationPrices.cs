using System.Globalization;
using CsvHelper;
using CsvHelper.Configuration;
using FluentValidation;
using Pmh.Contracts.Identifiers;
using Pmh.Contracts.Validation;
using Pmh.Contracts.Vaccination;
using Pmh.Hosting.Messaging;
using Pmh.Hosting.Storage;
using Pmh.Vaccination.Domain;
using Pmh.Vaccination.Domain.Billing;
using Pmh.Vaccination.Storage;

namespace Pmh.Vaccination.Publishing;

/// <summary>A row of a municipality's vaccination price table (予防接種委託料単価表), every scalar read as text.</summary>
public sealed class VaccinationPriceRow
{
    public string? Vaccine { get; set; }

    /// <summary><c>routineA</c> or <c>routineB</c>: voluntary doses are not paid by the municipality.</summary>
    public string? Programme { get; set; }

    public string? ValidFrom { get; set; }

    /// <summary>Inclusive; empty for "until further notice".</summary>
    public string? ValidTo { get; set; }

    public string? UnitPriceYen { get; set; }

    /// <summary>The patient's share (自己負担額), taken off what the municipality pays; empty for 0.</summary>
    public string? PatientShareYen { get; set; }

    /// <summary>"1" (or true) when a routine dose priced by this row must come with a questionnaire; empty for "0".</summary>
    public string? QuestionnaireRequired { get; set; }
}

public sealed class VaccinationPriceRowValidator : PmhValidator<VaccinationPriceRow>
{
    /// <summary>The highest unit price believed (yen): ten times the dearest routine vaccine's.</summary>
    public const int MaxYen = 1_000_000;

    private static readonly DateOnly Earliest = new(2000, 1, 1);
    private static readonly DateOnly Latest = new(2100, 12, 31);

    public VaccinationPriceRowValidator()
    {
        RuleFor(r => r.Vaccine).NotEmpty().WithMessage(IdentifierErrors.Required)
            .Must(v => v is not null && RoutineSchedule.Default.ProductCodes.Contains(v))
            .WithMessage(r => DosePlausibility.VaccineRefusal(r.Vaccine ?? "", RoutineSchedule.Default) ?? "is not a vaccine code of the schedule table");
        RuleFor(r => r.Programme).Must(p => p is VaccinationProgrammes.RoutineA or VaccinationProgrammes.RoutineB)
            .WithMessage("must be routineA or routineB (voluntary doses are not billed to the municipality)");
        RuleFor(r => r.ValidFrom).Must(v => IsoDate.Parse(v) is { } d && d >= Earliest && d <= Latest)
            .WithMessage("is required as a date yyyy-MM-dd from 2000-01-01 to 2100-12-31");
        RuleFor(r => r.ValidTo).Must(v => IsoDate.Parse(v) is { } d && d >= Earliest && d <= Latest)
            .WithMessage("must be a date yyyy-MM-dd from 2000-01-01 to 2100-12-31, or empty").When(r => !string.IsNullOrEmpty(r.ValidTo));
        RuleFor(r => r.ValidTo).Must((r, v) => IsoDate.Parse(v) >= IsoDate.Parse(r.ValidFrom))
            .WithMessage("must not be before validFrom")
            .When(r => IsoDate.Parse(r.ValidTo) is not null && IsoDate.Parse(r.ValidFrom) is not null);
        RuleFor(r => r.UnitPriceYen).Must(v => WholeNumber.TryParse(v, MaxYen, out _))
            .WithMessage($"is required as a whole number of yen from 0 to {MaxYen}");
        RuleFor(r => r.PatientShareYen).Must(v => WholeNumber.TryParse(v, MaxYen, out _))
            .WithMessage($"must be a whole number of yen from 0 to {MaxYen}, or empty").When(r => !string.IsNullOrEmpty(r.PatientShareYen));
        RuleFor(r => r.PatientShareYen).Must((r, v) => WholeNumber.Parse(v!) <= WholeNumber.Parse(r.UnitPriceYen!))
            .WithMessage("must not be more than unitPriceYen")
            .When(r => WholeNumber.TryParse(r.PatientShareYen, MaxYen, out _) && WholeNumber.TryParse(r.UnitPriceYen, MaxYen, out _));
        RuleFor(r => r.QuestionnaireRequired).Must(v => string.IsNullOrEmpty(v) || ParseFlag(v) is not null)
            .WithMessage("must be \"0\" or \"1\", or empty");
    }

    public static bool? ParseFlag(string? value) => value switch
    {
        "1" or "true" => true,
        "0" or "false" or "" or null => false,
        _ => null,
    };
}

/// <summary>
/// The price table as a municipal batch: <c>POST /municipalities/{code}/vaccination-prices</c>, JSON <c>{batchId, prices}</c>
/// or CSV. Each accepted upload is the municipality's whole table from then on. Two rows of one vaccine and programme
/// whose periods share a day are refused (the later one, on <c>validFrom</c>).
/// </summary>
public sealed class VaccinationPrices : IBatchKind<VaccinationPriceRow, VaccinationPrice>
{
    public const string KindName = "vaccination-prices";
    private static readonly VaccinationPriceRowValidator RowValidator = new();
    private static readonly string[] RequiredCsvColumns = ["vaccine", "programme", "validFrom", "unitPriceYen"];

    public string Kind => KindName;

    public string RowsField => "prices";

    public IValidator<VaccinationPriceRow> Validator => RowValidator;

    public Uri Destination { get; } = CommandQueue.Address(VaccinationBillingQueues.PublishPrices);

    public bool AcceptsCsv => true;

    /// <summary>Rows are keyed by vaccine, programme and start: the same three twice is one row too many.</summary>
    public (string Field, string Value) UniqueKey(VaccinationPriceRow row) => ("validFrom", $"{row.Vaccine} {row.Programme} {row.ValidFrom}");

    public VaccinationPrice Convert(MunicipalityCode municipality, VaccinationPriceRow row) => new()
    {
        Vaccine = row.Vaccine!,
        Programme = row.Programme!,
        ValidFrom = IsoDate.Parse(row.ValidFrom)!.Value,
        ValidTo = IsoDate.Parse(row.ValidTo),
        UnitPriceYen = WholeNumber.Parse(row.UnitPriceYen!),
        PatientShareYen = string.IsNullOrEmpty(row.PatientShareYen) ? 0 : WholeNumber.Parse(row.PatientShareYen),
        QuestionnaireRequired = VaccinationPriceRowValidator.ParseFlag(row.QuestionnaireRequired) == true,
    };

    /// <summary>Overlapping periods, found over the whole upload (an upload is the whole table).</summary>
    public Task<IReadOnlyList<RowRejection>> CheckReferencesAsync(
        IServiceProvider services, MunicipalityCode municipality, IReadOnlyList<(int Index, VaccinationPrice Item)> rows, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var refused = PriceTable.OverlapRefusals(rows.Select(r => (r.Index, ToPriceRow(r.Item))).ToList());
        return Task.FromResult<IReadOnlyList<RowRejection>>(refused.Select(r => new RowRejection(r.Index, r.Field, r.Reason)).ToList());
    }

    public static PriceRow ToPriceRow(VaccinationPrice p)
    {
        ArgumentNullException.ThrowIfNull(p);
        return new(p.Vaccine, p.Programme, p.ValidFrom, p.ValidTo, p.UnitPriceYen, p.PatientShareYen, p.QuestionnaireRequired);
    }

    public object Part(BatchRecord batch, int partIndex, int partCount, int rowCount, IReadOnlyList<(int Index, VaccinationPrice Item)> rows) =>
        new PublishVaccinationPrices
        {
            MunicipalityCode = batch.MunicipalityCode,
            BatchId = batch.BatchId,
            PartIndex = partIndex,
            PartCount = partCount,
            RowCount = rowCount,
            Rows = rows.Select(r => new PublishedVaccinationPrice(r.Index, r.Item)).ToList(),
        };

    /// <summary>CSV with a header row naming the JSON fields (vaccine, programme, validFrom, validTo, unitPriceYen, patientShareYen, questionnaireRequired).</summary>
    public SubmittedBatch<VaccinationPriceRow> ReadCsv(ReadOnlyMemory<byte> body, string? batchId)
    {
        using var reader = new StringReader(BatchText.Decode(body.Span));
        using var csv = new CsvReader(reader, new CsvConfiguration(CultureInfo.InvariantCulture)
        {
            PrepareHeaderForMatch = a => a.Header.ToLowerInvariant(),
            MissingFieldFound = null,
            HeaderValidated = null,
            BadDataFound = null,
        });
        if (!csv.Read())
        {
            throw new MalformedBatchException("body", "is empty; expected a CSV header row");
        }

        csv.ReadHeader();
        var repeated = (csv.HeaderRecord ?? []).GroupBy(h => h, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1);
        if (repeated is not null)
        {
            throw new MalformedBatchException(repeated.Key, "column appears more than once in the CSV header");
        }

        var header = (csv.HeaderRecord ?? []).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var missing = RequiredCsvColumns.FirstOrDefault(c => !header.Contains(c));
        if (missing is not null)
        {
            throw new MalformedBatchException(missing, "column is missing from the CSV header");
        }

        return new SubmittedBatch<VaccinationPriceRow>(batchId, csv.GetRecords<VaccinationPriceRow>().ToList(), []);
    }
}

/// <summary>The vaccination service's side of price table uploads: each part staged, the table applied whole.</summary>
public sealed class VaccinationPriceParts(BillingStore store) : IBatchPartStager<PublishVaccinationPrices>, IBatchQueue
{
    public static string Queue => VaccinationBillingQueues.PublishPrices;

    public string Kind => VaccinationPrices.KindName;

    public Task<StagedPartOutcome> StageAsync(PublishVaccinationPrices part, PartDelivery delivery, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(part);
        return store.StagePricesAsync(part, cancellationToken, delivery);
    }
}
