namespace Pmh.Contracts.Identifiers;

/// <summary>
/// 公費負担者番号: 8 digits, 法別番号 (2) + prefecture (2) + agency (3) + check (1), weights-2,1 check digit.
/// </summary>
public readonly record struct PayerNumber : IIdentifier<PayerNumber>
{
    private PayerNumber(string value) => Value = value;

    public string Value { get; }

    /// <summary>法別番号: the programme's law number.</summary>
    public int LawNumber => ((Value[0] - '0') * 10) + (Value[1] - '0');

    /// <summary>
    /// National programmes (国の公費負担医療) use law numbers below 80; the 8x and 9x numbers are assigned to the
    /// prefectures' and municipalities' own programmes (地方単独事業), whose recipient numbers have no fixed format.
    /// </summary>
    public bool IsNationalProgramme => LawNumber < 80;

    public static bool TryParse(string? value, out PayerNumber result, out string? error)
    {
        result = default;
        if (string.IsNullOrEmpty(value))
        {
            error = IdentifierErrors.Required;
            return false;
        }

        if (!CheckDigits.IsDigits(value, 8))
        {
            error = IdentifierErrors.Digits(8);
            return false;
        }

        if (!CheckDigits.HasValidModulus10Weights21(value))
        {
            error = IdentifierErrors.CheckDigit;
            return false;
        }

        result = new PayerNumber(value);
        error = null;
        return true;
    }

    public static PayerNumber Parse(string? value) => Identifier.Parse<PayerNumber>(value);

    public override string ToString() => Value ?? string.Empty;
}
