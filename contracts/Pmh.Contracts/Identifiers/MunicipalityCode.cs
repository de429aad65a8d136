namespace Pmh.Contracts.Identifiers;

/// <summary>全国地方公共団体コード: 6 digits, the last a check digit over weights 6,5,4,3,2.</summary>
public readonly record struct MunicipalityCode : IIdentifier<MunicipalityCode>
{
    private MunicipalityCode(string value) => Value = value;

    public string Value { get; }

    public static bool TryParse(string? value, out MunicipalityCode result, out string? error)
    {
        result = default;
        if (string.IsNullOrEmpty(value))
        {
            error = IdentifierErrors.Required;
            return false;
        }

        if (!CheckDigits.IsDigits(value, 6))
        {
            error = IdentifierErrors.Digits(6);
            return false;
        }

        if (CheckDigits.MunicipalityCode(value.AsSpan(0, 5)) != value[5] - '0')
        {
            error = IdentifierErrors.CheckDigit;
            return false;
        }

        result = new MunicipalityCode(value);
        error = null;
        return true;
    }

    public static MunicipalityCode Parse(string? value) => Identifier.Parse<MunicipalityCode>(value);

    public override string ToString() => Value ?? string.Empty;
}
