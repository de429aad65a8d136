using System.Globalization;
using FluentValidation;
using Pmh.Contracts.Identifiers;
using Pmh.Contracts.Validation;

namespace Pmh.Subsidy.Publishing;

/// <summary>The rules of docs/subsidy-certificate-rows.md for one published row; every failure names the field and the reason.</summary>
public sealed class SubsidyCertificateRowValidator : PmhValidator<SubsidyCertificateRow>
{
    public SubsidyCertificateRowValidator()
    {
        RuleFor(r => r.OrgSpecificCertificateTypeId)
            .NotEmpty().WithMessage(IdentifierErrors.Required)
            .MaximumLength(50).WithMessage("must be at most 50 characters")
            .Matches("^[A-Za-z0-9]*$").WithMessage("must be ASCII letters and digits");
        RuleFor(r => r.MyNumber).MustBeMyNumber();
        RuleFor(r => r.BasicFiveInfo).NotNull().WithMessage(IdentifierErrors.Required)
            .SetValidator(new BasicFiveInfoRowValidator()!);
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
            .Must(v => int.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out var yen) && yen <= 10_000_000)
            .WithMessage("must be a whole number of yen from 0 to 10000000")
            .When(r => r.MaxCopaymentAmount is not null);
        RuleFor(r => r.ValidFrom).Must(IsoDate.IsValid).WithMessage(DateMessage);
        RuleFor(r => r.ValidTo).Must(IsoDate.IsValid).WithMessage(DateMessage);
        RuleFor(r => r.ValidTo)
            .Must((row, to) => IsoDate.Parse(row.ValidFrom) <= IsoDate.Parse(to))
            .When(r => IsoDate.IsValid(r.ValidFrom) && IsoDate.IsValid(r.ValidTo))
            .WithMessage("must not be before validFrom");
        RuleFor(r => r.HistoryKey)
            .NotEmpty().WithMessage(IdentifierErrors.Required)
            .MaximumLength(100).WithMessage("must be at most 100 characters")
            .Matches("^[!-~]*$").WithMessage("must be printable ASCII characters without spaces");
        RuleFor(r => r.IsDeleted).Must(BeFlag).WithMessage(FlagMessage);
        RuleForEach(r => r.CertificationDetail).ChildRules(item =>
        {
            item.RuleFor(i => i).NotNull().WithMessage("must be an object with label and value");
            item.RuleFor(i => i!.Label).NotEmpty().WithMessage(IdentifierErrors.Required).When(i => i is not null);
            item.RuleFor(i => i!.Value).NotNull().WithMessage(IdentifierErrors.Required).When(i => i is not null);
        });
    }

    public const string FlagMessage = "must be \"0\" or \"1\"";
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
    public BasicFiveInfoRowValidator()
    {
        RuleFor(b => b.Name).NotEmpty().WithMessage(IdentifierErrors.Required)
            .MaximumLength(100).WithMessage("must be at most 100 characters");
        RuleFor(b => b.NameKana).NotEmpty().WithMessage(IdentifierErrors.Required)
            .MaximumLength(100).WithMessage("must be at most 100 characters");
        RuleFor(b => b.Address).NotEmpty().WithMessage(IdentifierErrors.Required)
            .MaximumLength(200).WithMessage("must be at most 200 characters");
        RuleFor(b => b.DateOfBirth).Must(IsoDate.IsValid).WithMessage(SubsidyCertificateRowValidator.DateMessage);
        RuleFor(b => b.Sex).Must(s => s is "1" or "2" or "9").WithMessage("must be \"1\" (male), \"2\" (female) or \"9\" (other)");
    }
}
