namespace Pmh.Contracts.Tests.Identifiers;

/// <summary>Helpers to generate digit strings and every single-digit change of one.</summary>
internal static class Digits
{
    /// <summary>A string of <paramref name="length"/> random ASCII digits.</summary>
    public static string Random(Random random, int length)
    {
        var chars = new char[length];
        for (var i = 0; i < length; i++)
        {
            chars[i] = (char)('0' + random.Next(10));
        }

        return new string(chars);
    }

    /// <summary>
    /// Every string that differs from <paramref name="value"/> in exactly one position, that position holding another
    /// ASCII digit: <c>value.Length × 9</c> changes.
    /// </summary>
    public static IEnumerable<(int Position, string Changed)> SingleDigitChanges(string value)
    {
        for (var position = 0; position < value.Length; position++)
        {
            for (var digit = '0'; digit <= '9'; digit++)
            {
                if (digit == value[position])
                {
                    continue;
                }

                var chars = value.ToCharArray();
                chars[position] = digit;
                yield return (position, new string(chars));
            }
        }
    }

    /// <summary>Appends a check digit (0–9) to a body.</summary>
    public static string WithCheck(string body, int check) => body + (char)('0' + check);
}
