using System.Globalization;
using FluentValidation;
using Pmh.Contracts.Identifiers;
using Pmh.Contracts.Validation;

namespace Pmh.Subsidy.Publishing;

/// <summary>The rules of docs/subsidy-certificate-rows.md for one published row; every failure names the field and the reason.</summary>
public sealed class SubsidyCertificateRowValidator : PmhValidator<SubsidyCertificateRow>
{
    public SubsidyCertificateRowValidator()
        : this(TimeProvider.System)
    {
    }

    /// <param name="time">Whose today bounds a date of birth (Japan's date).</param>
    public SubsidyCertificateRowValidator(TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        RuleFor(r => r.OrgSpecificCertificateTypeId)
            .NotEmpty().WithMessage(IdentifierErrors.Required)
            .MaximumLength(50).WithMessage("must be at most 50 characters")
            .Matches("^[A-Za-z0-9]*$").WithMessage("must be ASCII letters and digits");
        RuleFor(r => r.MyNumber).MustBeMyNumber();
        RuleFor(r => r.BasicFiveInfo).NotNull().WithMessage(IdentifierErrors.Required)
            .SetValidator(new BasicFiveInfoRowValidator(time)!);
        RuleFor(r => r.IsNotDisclosed).Must(BeFlag).WithMessage(FlagMessage);
        RuleFor(r => r.MedicalSubsidyInsurerNumber).MustBePayerNumber();
        RuleFor(r => r.CertificationName)
            .NotEmpty().WithMessage(IdentifierErrors.Required)
            .MaximumLength(100).WithMessage("must be at most 100 characters");
        RuleFor(r => r.MedicalSubsidyRecipientNumber).MustBeRecipientNumber(IsNationalProgramme);
        RuleFor(r => r.CertificationSubKey).MaximumLength(50).WithMessage("must be at most 50 characters");
        RuleFor(r => r.Segment).MaximumLength(50).WithMessage("must be at most 50 characters");
        RuleFor(r => r.IncomeSegment).MaximumLength(50).WithMessage("must be at most 50 characters");
        RuleFor(r => r.AdditionalConditions)
            .Matches("^[A-Za-z0-9]+-[A-Za-z0-9]+(;[A-Za-z0-9]+-[A-Za-z0-9]+)*$")
            .When(r => !string.IsNullOrEmpty(r.AdditionalConditions))
            .WithMessage("must be itemCode-conditionCode pairs joined by ';'");
        RuleForEach(r => r.DesignatedMedicalInstitutions).MustBeMedicalInstitutionCode();
        RuleFor(r => r.IsAlwaysReimbursement).Must(BeFlag).WithMessage(FlagMessage);
        RuleFor(r => r.MaxCopaymentAmount!.MonthlyYen)
            .Must(v => Pmh.Contracts.Validation.WholeNumber.TryParse(v, 10_000_000, out _))
            .WithMessage("must be a whole number of yen from 0 to 10000000")
            .When(r => r.MaxCopaymentAmount is not null);
        RuleFor(r => r.ValidFrom).Cascade(CascadeMode.Stop)
            .Must(IsoDate.IsValid).WithMessage(DateMessage)
            .Must(v => SubsidyRowPlausibility.IsPlausibleValidityDate(IsoDate.Parse(v)!.Value)).WithMessage(SubsidyRowPlausibility.ValidityMessage);
        RuleFor(r => r.ValidTo).Cascade(CascadeMode.Stop)
            .Must(IsoDate.IsValid).WithMessage(DateMessage)
            .Must(v => SubsidyRowPlausibility.IsPlausibleValidityDate(IsoDate.Parse(v)!.Value)).WithMessage(SubsidyRowPlausibility.ValidityMessage);
        RuleFor(r => r.ValidTo)
            .Must((row, to) => IsoDate.Parse(row.ValidFrom) <= IsoDate.Parse(to))
            .When(r => IsoDate.IsValid(r.ValidFrom) && IsoDate.IsValid(r.ValidTo))
            .WithMessage("must not be before validFrom");
        RuleFor(r => r.HistoryKey)
            .NotEmpty().WithMessage(IdentifierErrors.Required)
            .MaximumLength(100).WithMessage("must be at most 100 characters")
            .Matches("^[!-~]*$").WithMessage("must be printable ASCII characters without spaces");
        RuleFor(r => r.IsDeleted).Must(BeFlag).WithMessage(FlagMessage);
        // A null element (JSON [null]) is refused here, by its index: child rules never see a null element.
        RuleForEach(r => r.CertificationDetail).Cascade(CascadeMode.Stop)
            .NotNull().WithMessage(ObjectMessage)
            .Must(i => i!.Unparsed is null).WithMessage(LabelValueMessage)
            .ChildRules(item =>
            {
                item.RuleFor(i => i!.Label).NotEmpty().WithMessage(IdentifierErrors.Required);
                item.RuleFor(i => i!.Value).NotNull().WithMessage(IdentifierErrors.Required);
            });
    }

    public const string FlagMessage = "must be \"0\" or \"1\"";
    public const string ObjectMessage = "must be an object";
    public const string LabelValueMessage = "must be label=value";
    public const string DateMessage = "is required as a date yyyy-MM-dd";

    public static bool BeFlag(string? value) => ParseFlag(value) is not null;

    /// <summary>"0"/"1" as the real API sends them; JSON booleans are read as "false"/"true".</summary>
    public static bool? ParseFlag(string? value) => value switch
    {
        "1" or "true" => true,
        "0" or "false" => false,
        _ => null,
    };


    private static bool IsNationalProgramme(SubsidyCertificateRow row) =>
        PayerNumber.TryParse(row.MedicalSubsidyInsurerNumber, out var payer, out _) && payer.IsNationalProgramme;
}

public sealed class BasicFiveInfoRowValidator : PmhValidator<BasicFiveInfoRow>
{
    public BasicFiveInfoRowValidator(TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        RuleFor(b => b.Name).NotEmpty().WithMessage(IdentifierErrors.Required)
            .MaximumLength(100).WithMessage("must be at most 100 characters");
        RuleFor(b => b.NameKana).NotEmpty().WithMessage(IdentifierErrors.Required)
            .MaximumLength(100).WithMessage("must be at most 100 characters");
        RuleFor(b => b.Address).NotEmpty().WithMessage(IdentifierErrors.Required)
            .MaximumLength(200).WithMessage("must be at most 200 characters");
        RuleFor(b => b.DateOfBirth).Cascade(CascadeMode.Stop)
            .Must(IsoDate.IsValid).WithMessage(SubsidyCertificateRowValidator.DateMessage)
            .Must(v => SubsidyRowPlausibility.IsPlausibleDateOfBirth(IsoDate.Parse(v)!.Value, PlausibleDates.Today(time)))
            .WithMessage(SubsidyRowPlausibility.DateOfBirthMessage);
        RuleFor(b => b.Sex).Must(s => s is "1" or "2" or "9").WithMessage("must be \"1\" (male), \"2\" (female) or \"9\" (other)");
    }
}
