using System.Globalization;

namespace Pmh.Contracts.Validation;

/// <summary>
/// A whole number as the API takes it: ASCII digits 0-9 and nothing else. <c>int.TryParse</c> alone is not enough:
/// even with <see cref="NumberStyles.None"/> it ignores trailing NUL characters, so <c>"100\u0000"</c> would be 100.
/// </summary>
public static class WholeNumber
{
    /// <summary>The value of <paramref name="text"/> when it is 1 to 10 ASCII digits and at most <paramref name="max"/>.</summary>
    public static bool TryParse(string? text, int max, out int value)
    {
        value = 0;
        return text is { Length: > 0 and <= 10 }
            && text.All(char.IsAsciiDigit)
            && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value)
            && value <= max;
    }

    /// <summary>The value of text <see cref="TryParse"/> accepted.</summary>
    public static int Parse(string text) =>
        TryParse(text, int.MaxValue, out var value) ? value : throw new FormatException("not a whole number of ASCII digits");
}
