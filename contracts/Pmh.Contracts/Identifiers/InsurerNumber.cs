namespace Pmh.Contracts.Identifiers;

/// <summary>保険者番号: 8 digits (6 for 国民健康保険), the last a weights-2,1 check digit.</summary>
public readonly record struct InsurerNumber : IIdentifier<InsurerNumber>
{
    private InsurerNumber(string value) => Value = value;

    public string Value { get; }

    public bool IsNationalHealthInsurance => Value.Length == 6;

    public static bool TryParse(string? value, out InsurerNumber result, out string? error)
    {
        result = default;
        if (string.IsNullOrEmpty(value))
        {
            error = IdentifierErrors.Required;
            return false;
        }

        if (!CheckDigits.IsDigits(value, 8) && !CheckDigits.IsDigits(value, 6))
        {
            error = "must be 8 digits, or 6 for national health insurance";
            return false;
        }

        if (!CheckDigits.HasValidModulus10Weights21(value))
        {
            error = IdentifierErrors.CheckDigit;
            return false;
        }

        result = new InsurerNumber(value);
        error = null;
        return true;
    }

    public static InsurerNumber Parse(string? value) => Identifier.Parse<InsurerNumber>(value);

    public override string ToString() => Value ?? string.Empty;
}
