namespace Pmh.Contracts.Identifiers;

/// <summary>
/// The check-digit rules of the Japanese public identifiers (docs/identifiers.md), as pure functions over ASCII digits.
/// </summary>
public static class CheckDigits
{
    /// <summary>True when every character is an ASCII digit and the length is exactly <paramref name="length"/>.</summary>
    public static bool IsDigits(ReadOnlySpan<char> value, int length)
    {
        if (value.Length != length)
        {
            return false;
        }

        foreach (var c in value)
        {
            if (c is < '0' or > '9')
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// 個人番号: for the first 11 digits numbered from the right n = 1..11, weight n+1 (n ≤ 6) or n−5 (n ≥ 7);
    /// r = Σ Pn·Qn mod 11; check = 0 when r ≤ 1, otherwise 11 − r.
    /// </summary>
    public static int MyNumber(ReadOnlySpan<char> first11)
    {
        if (!IsDigits(first11, 11))
        {
            throw new ArgumentException("expected 11 ASCII digits", nameof(first11));
        }

        var sum = 0;
        for (var n = 1; n <= 11; n++)
        {
            var p = first11[11 - n] - '0';
            var q = n <= 6 ? n + 1 : n - 5;
            sum += p * q;
        }

        var r = sum % 11;
        return r <= 1 ? 0 : 11 - r;
    }

    /// <summary>全国地方公共団体コード: weights 6,5,4,3,2 on the first five digits; check = (11 − sum mod 11) mod 10.</summary>
    public static int MunicipalityCode(ReadOnlySpan<char> first5)
    {
        if (!IsDigits(first5, 5))
        {
            throw new ArgumentException("expected 5 ASCII digits", nameof(first5));
        }

        var sum = 0;
        for (var i = 0; i < 5; i++)
        {
            sum += (first5[i] - '0') * (6 - i);
        }

        return (11 - (sum % 11)) % 10;
    }

    /// <summary>
    /// The weights-2,1 method used by payer, recipient, medical institution and insurer numbers: from the rightmost
    /// body digit, weights 2,1,2,…; the digits of each product are added; check = (10 − sum mod 10) mod 10.
    /// </summary>
    public static int Modulus10Weights21(ReadOnlySpan<char> body)
    {
        if (body.Length == 0 || !IsDigits(body, body.Length))
        {
            throw new ArgumentException("expected ASCII digits", nameof(body));
        }

        var sum = 0;
        var weight = 2;
        for (var i = body.Length - 1; i >= 0; i--)
        {
            var product = (body[i] - '0') * weight;
            sum += (product / 10) + (product % 10);
            weight = weight == 2 ? 1 : 2;
        }

        return (10 - (sum % 10)) % 10;
    }

    /// <summary>True when <paramref name="value"/> is digits whose last digit is the weights-2,1 check of the rest.</summary>
    internal static bool HasValidModulus10Weights21(ReadOnlySpan<char> value) =>
        value.Length >= 2
        && IsDigits(value, value.Length)
        && Modulus10Weights21(value[..^1]) == value[^1] - '0';
}
