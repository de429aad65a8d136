using FluentValidation;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Pmh.Contracts.Identifiers;
using Pmh.Contracts.MaternalChild;
using Pmh.Contracts.Validation;
using Pmh.Hosting.Messaging;
using Pmh.Hosting.Privacy;
using Pmh.MaternalChild.Domain;
using Pmh.Modules.Batches;
using Pmh.Modules.Reception;

namespace Pmh.MaternalChild.Publishing;

/// <summary>A row of a pregnancy upload (妊娠届): the pregnant person, due date and registration date.</summary>
public sealed class PregnancyRow
{
    public string? RecordKey { get; set; }

    public string? MyNumber { get; set; }

    public string? LocalPersonId { get; set; }

    public string? DueDate { get; set; }

    public string? RegistrationDate { get; set; }

    /// <summary>When the pregnancy ended otherwise than by a registered birth (optional).</summary>
    public string? EndDate { get; set; }
}

/// <summary>A row of a children upload: the child, birth date, guardian and, optionally, the pregnancy it ends.</summary>
public sealed class ChildRow
{
    public string? RecordKey { get; set; }

    public string? MyNumber { get; set; }

    public string? LocalPersonId { get; set; }

    public string? BirthDate { get; set; }

    public string? GuardianMyNumber { get; set; }

    /// <summary>The recordKey of the pregnancy this birth ends, in the same municipality's pregnancy uploads.</summary>
    public string? PregnancyRecordKey { get; set; }
}

/// <summary>The date window of every date field (<see cref="MaternalChildDates"/>), checked once the field is a date.</summary>
public static class MaternalChildDateRules
{
    public static void Window<T>(AbstractValidator<T> validator, Func<DateOnly> today, params (string Field, Func<T, string?> Value)[] fields)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(validator);
        validator.RuleFor(r => r).Custom((row, context) =>
        {
            foreach (var (field, value) in fields)
            {
                if (IsoDate.Parse(value(row)) is { } date && MaternalChildDates.Refusal(field, date, today()) is { } refusal)
                {
                    context.AddFailure(field, refusal);
                }
            }
        });
    }
}

public sealed class PregnancyRowValidator : PmhValidator<PregnancyRow>
{
    public PregnancyRowValidator(Func<DateOnly> today)
    {
        RuleFor(r => r.RecordKey).NotEmpty().WithMessage(IdentifierErrors.Required).Matches("^[!-~]{1,100}$").WithMessage("must be 1 to 100 printable ASCII characters without spaces");
        RuleFor(r => r.MyNumber).MustBeMyNumber();
        RuleFor(r => r.LocalPersonId).MaximumLength(50).WithMessage("must be at most 50 characters");
        RuleFor(r => r.DueDate).Must(IsoDate.IsValid).WithMessage("is required as a date yyyy-MM-dd");
        RuleFor(r => r.RegistrationDate).Must(IsoDate.IsValid).WithMessage("is required as a date yyyy-MM-dd");
        RuleFor(r => r.DueDate)
            .Must((r, d) => IsoDate.Parse(d) > IsoDate.Parse(r.RegistrationDate))
            .When(r => IsoDate.Parse(r.DueDate) is not null && IsoDate.Parse(r.RegistrationDate) is not null)
            .WithMessage("must be after registrationDate");
        RuleFor(r => r.EndDate).Must(IsoDate.IsValid).When(r => !string.IsNullOrEmpty(r.EndDate))
            .WithMessage("must be a date yyyy-MM-dd");
        MaternalChildDateRules.Window<PregnancyRow>(this, today, ("dueDate", r => r.DueDate), ("registrationDate", r => r.RegistrationDate), ("endDate", r => r.EndDate));
    }
}

public sealed class ChildRowValidator : PmhValidator<ChildRow>
{
    public ChildRowValidator(Func<DateOnly> today)
    {
        RuleFor(r => r.RecordKey).NotEmpty().WithMessage(IdentifierErrors.Required).Matches("^[!-~]{1,100}$").WithMessage("must be 1 to 100 printable ASCII characters without spaces");
        RuleFor(r => r.MyNumber).MustBeMyNumber();
        RuleFor(r => r.LocalPersonId).MaximumLength(50).WithMessage("must be at most 50 characters");
        RuleFor(r => r.BirthDate).Must(IsoDate.IsValid).WithMessage("is required as a date yyyy-MM-dd");
        RuleFor(r => r.GuardianMyNumber).MustBeMyNumber().When(r => !string.IsNullOrEmpty(r.GuardianMyNumber));
        RuleFor(r => r.PregnancyRecordKey).Matches("^[!-~]{1,100}$").When(r => !string.IsNullOrEmpty(r.PregnancyRecordKey))
            .WithMessage("must be the recordKey of a pregnancy");
        MaternalChildDateRules.Window<ChildRow>(this, today, ("birthDate", r => r.BirthDate));
    }
}

/// <summary>Pregnancies as a municipal batch, for the maternal-child service.</summary>
public sealed class Pregnancies(PersonKeys personKeys, TimeProvider timeProvider) : IBatchKind<PregnancyRow, PregnancyRecord>
{
    private readonly PregnancyRowValidator _rowValidator = new(() => PlausibleDates.Today(timeProvider));

    public const string KindName = "pregnancies";

    public string Kind => KindName;

    public string RowsField => "pregnancies";

    public Pmh.Modules.Pages.LocalText Title { get; } = new("妊娠届（妊婦健診受診券）", "Pregnancies (checkup vouchers)");

    public IValidator<PregnancyRow> Validator => _rowValidator;

    public Uri Destination { get; } = CommandQueue.Address(MaternalChildQueues.RegisterPregnancies);

    public (string Field, string Value) UniqueKey(PregnancyRow row) => ("recordKey", row.RecordKey!);

    public PregnancyRecord Convert(MunicipalityCode municipality, PregnancyRow row) => new()
    {
        RecordId = $"{municipality.Value}:pregnancy:{row.RecordKey}",
        MunicipalityCode = municipality.Value,
        PersonKey = personKeys.For(MyNumber.Parse(row.MyNumber)),
        DueDate = IsoDate.Parse(row.DueDate)!.Value,
        RegisteredOn = IsoDate.Parse(row.RegistrationDate)!.Value,
        EndedOn = IsoDate.Parse(row.EndDate),
        LocalPersonId = string.IsNullOrEmpty(row.LocalPersonId) ? null : row.LocalPersonId,
    };

    public object Part(BatchRecord batch, int partIndex, int partCount, int rowCount, IReadOnlyList<(int Index, PregnancyRecord Item)> rows) =>
        new RegisterPregnancies
        {
            MunicipalityCode = batch.MunicipalityCode,
            BatchId = batch.BatchId,
            PartIndex = partIndex,
            PartCount = partCount,
            RowCount = rowCount,
            Rows = rows.Select(r => new RegisteredPregnancyRow(r.Index, r.Item)).ToList(),
        };
}

/// <summary>Children as a municipal batch, for the maternal-child service.</summary>
public sealed class Children(PersonKeys personKeys, TimeProvider timeProvider) : IBatchKind<ChildRow, ChildRecord>
{
    private readonly ChildRowValidator _rowValidator = new(() => PlausibleDates.Today(timeProvider));

    public const string KindName = "children";

    public string Kind => KindName;

    public string RowsField => "children";

    public Pmh.Modules.Pages.LocalText Title { get; } = new("児童（出生）", "Children (births)");

    public IValidator<ChildRow> Validator => _rowValidator;

    public Uri Destination { get; } = CommandQueue.Address(MaternalChildQueues.RegisterChildren);

    public (string Field, string Value) UniqueKey(ChildRow row) => ("recordKey", row.RecordKey!);

    public ChildRecord Convert(MunicipalityCode municipality, ChildRow row) => new()
    {
        RecordId = $"{municipality.Value}:child:{row.RecordKey}",
        MunicipalityCode = municipality.Value,
        PersonKey = personKeys.For(MyNumber.Parse(row.MyNumber)),
        BirthDate = IsoDate.Parse(row.BirthDate)!.Value,
        GuardianPersonKey = string.IsNullOrEmpty(row.GuardianMyNumber) ? null : personKeys.For(MyNumber.Parse(row.GuardianMyNumber)),
        PregnancyRecordId = string.IsNullOrEmpty(row.PregnancyRecordKey) ? null : $"{municipality.Value}:pregnancy:{row.PregnancyRecordKey}",
        LocalPersonId = string.IsNullOrEmpty(row.LocalPersonId) ? null : row.LocalPersonId,
    };

    /// <summary>A child naming a pregnancy is accepted only when the municipality has registered that pregnancy.</summary>
    public async Task<IReadOnlyList<RowRejection>> CheckReferencesAsync(
        IServiceProvider services, MunicipalityCode municipality, IReadOnlyList<(int Index, ChildRecord Item)> rows, CancellationToken cancellationToken)
    {
        var named = rows.Where(r => r.Item.PregnancyRecordId is not null).ToList();
        if (named.Count == 0)
        {
            return [];
        }

        var client = services.GetRequiredService<IRequestClient<FindPregnancyRecords>>();
        var response = await client.GetResponse<PregnancyRecordsFound>(
            new FindPregnancyRecords
            {
                MunicipalityCode = municipality.Value,
                RecordIds = named.Select(r => r.Item.PregnancyRecordId!).Distinct(StringComparer.Ordinal).ToList(),
            },
            cancellationToken).ConfigureAwait(false);
        var known = response.Message.RecordIds.ToHashSet(StringComparer.Ordinal);
        return named
            .Where(r => !known.Contains(r.Item.PregnancyRecordId!))
            .Select(r => new RowRejection(
                r.Index,
                "pregnancyRecordKey",
                $"names no pregnancy that {municipality.Value} has registered; upload the pregnancy first (its batch completed) or leave the field empty"))
            .ToList();
    }

    public object Part(BatchRecord batch, int partIndex, int partCount, int rowCount, IReadOnlyList<(int Index, ChildRecord Item)> rows) =>
        new RegisterChildren
        {
            MunicipalityCode = batch.MunicipalityCode,
            BatchId = batch.BatchId,
            PartIndex = partIndex,
            PartCount = partCount,
            RowCount = rowCount,
            Rows = rows.Select(r => new RegisteredChildRow(r.Index, r.Item)).ToList(),
        };
}
