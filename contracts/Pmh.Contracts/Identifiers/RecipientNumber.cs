namespace Pmh.Contracts.Identifiers;

/// <summary>
/// 公費受給者番号: 7 digits with a weights-2,1 check digit for national programmes; for local programmes up to 30
/// characters without a check digit. Which rule applies follows from the payer number's programme.
/// </summary>
public readonly record struct RecipientNumber
{
    public const int MaxLocalLength = 30;

    private RecipientNumber(string value, bool national)
    {
        Value = value;
        IsNational = national;
    }

    public string Value { get; }

    public bool IsNational { get; }

    public static bool TryParse(string? value, bool nationalProgramme, out RecipientNumber result, out string? error)
    {
        result = default;
        if (string.IsNullOrEmpty(value))
        {
            error = IdentifierErrors.Required;
            return false;
        }

        if (nationalProgramme)
        {
            if (!CheckDigits.IsDigits(value, 7))
            {
                error = IdentifierErrors.Digits(7) + " for a national programme";
                return false;
            }

            if (!CheckDigits.HasValidModulus10Weights21(value))
            {
                error = IdentifierErrors.CheckDigit;
                return false;
            }
        }
        else
        {
            if (value.Length > MaxLocalLength)
            {
                error = $"must be at most {MaxLocalLength} characters";
                return false;
            }

            foreach (var c in value)
            {
                if (c is < '!' or > '~')
                {
                    error = "must be printable ASCII characters without spaces";
                    return false;
                }
            }
        }

        result = new RecipientNumber(value, nationalProgramme);
        error = null;
        return true;
    }

    public override string ToString() => Value ?? string.Empty;
}
