using FluentValidation;
using FluentValidation.Results;
using Pmh.Contracts.Identifiers;

namespace Pmh.Contracts.Validation;

/// <summary>
/// FluentValidation rules for the identifiers of docs/identifiers.md. A failure names the field and the reason and never
/// carries the attempted value, so a refused My Number is not echoed into a response or a log line.
/// </summary>
public static class IdentifierRules
{
    public static IRuleBuilderOptionsConditions<T, string?> MustBeIdentifier<T, TId>(this IRuleBuilder<T, string?> rule)
        where TId : struct, IIdentifier<TId> =>
        rule.Custom((value, context) =>
        {
            if (!TId.TryParse(value, out _, out var error))
            {
                context.AddFailure(new ValidationFailure(context.PropertyPath, error));
            }
        });

    public static IRuleBuilderOptionsConditions<T, string?> MustBeMyNumber<T>(this IRuleBuilder<T, string?> rule) =>
        rule.MustBeIdentifier<T, MyNumber>();

    public static IRuleBuilderOptionsConditions<T, string?> MustBeMunicipalityCode<T>(this IRuleBuilder<T, string?> rule) =>
        rule.MustBeIdentifier<T, MunicipalityCode>();

    public static IRuleBuilderOptionsConditions<T, string?> MustBePayerNumber<T>(this IRuleBuilder<T, string?> rule) =>
        rule.MustBeIdentifier<T, PayerNumber>();

    public static IRuleBuilderOptionsConditions<T, string?> MustBeMedicalInstitutionCode<T>(this IRuleBuilder<T, string?> rule) =>
        rule.MustBeIdentifier<T, MedicalInstitutionCode>();

    public static IRuleBuilderOptionsConditions<T, string?> MustBeInsurerNumber<T>(this IRuleBuilder<T, string?> rule) =>
        rule.MustBeIdentifier<T, InsurerNumber>();

    /// <summary>
    /// 公費受給者番号 whose rule depends on the programme: <paramref name="isNational"/> says whether the row's payer
    /// number belongs to a national programme (7 digits with a check digit) or a local one (up to 30 characters).
    /// </summary>
    public static IRuleBuilderOptionsConditions<T, string?> MustBeRecipientNumber<T>(
        this IRuleBuilder<T, string?> rule, Func<T, bool> isNational) =>
        rule.Custom((value, context) =>
        {
            if (!RecipientNumber.TryParse(value, isNational(context.InstanceToValidate), out _, out var error))
            {
                context.AddFailure(new ValidationFailure(context.PropertyPath, error));
            }
        });
}
