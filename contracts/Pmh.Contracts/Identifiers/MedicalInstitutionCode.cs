namespace Pmh.Contracts.Identifiers;

/// <summary>
/// 医療機関コード: 10 digits, prefecture (2) + fee table (1: medical, 3: dental, 4: pharmacy) + district (2) +
/// number (4) + check (1), the weights-2,1 check digit over the first nine digits.
/// </summary>
public readonly record struct MedicalInstitutionCode : IIdentifier<MedicalInstitutionCode>
{
    private MedicalInstitutionCode(string value) => Value = value;

    public string Value { get; }

    public int Prefecture => ((Value[0] - '0') * 10) + (Value[1] - '0');

    public InstitutionKind Kind => Value[2] switch
    {
        '1' => InstitutionKind.Medical,
        '3' => InstitutionKind.Dental,
        _ => InstitutionKind.Pharmacy,
    };

    public static bool TryParse(string? value, out MedicalInstitutionCode result, out string? error)
    {
        result = default;
        if (string.IsNullOrEmpty(value))
        {
            error = IdentifierErrors.Required;
            return false;
        }

        if (!CheckDigits.IsDigits(value, 10))
        {
            error = IdentifierErrors.Digits(10);
            return false;
        }

        var prefecture = ((value[0] - '0') * 10) + (value[1] - '0');
        if (prefecture is < 1 or > 47)
        {
            error = "must start with a prefecture number 01 to 47";
            return false;
        }

        if (value[2] is not ('1' or '3' or '4'))
        {
            error = "must have fee table 1 (medical), 3 (dental) or 4 (pharmacy) as its third digit";
            return false;
        }

        if (!CheckDigits.HasValidModulus10Weights21(value))
        {
            error = IdentifierErrors.CheckDigit;
            return false;
        }

        result = new MedicalInstitutionCode(value);
        error = null;
        return true;
    }

    public static MedicalInstitutionCode Parse(string? value) => Identifier.Parse<MedicalInstitutionCode>(value);

    public override string ToString() => Value ?? string.Empty;
}

public enum InstitutionKind
{
    Medical,
    Dental,
    Pharmacy,
}
