using Pmh.Contracts.Validation;

namespace Pmh.Contracts.Tests.Validation;

public sealed class WholeNumberTests
{
    [Theory]
    [InlineData("0", 0)]
    [InlineData("100", 100)]
    [InlineData("0100", 100)]
    [InlineData("10000000", 10_000_000)]
    public void Ascii_digits_up_to_the_maximum_are_a_whole_number(string text, int expected)
    {
        Assert.True(WholeNumber.TryParse(text, 10_000_000, out var value));
        Assert.Equal(expected, value);
    }

    [Theory]
    [InlineData("100\u0000")]
    [InlineData("100\u0000\u0000")]
    [InlineData("\u0000100")]
    [InlineData(" 100")]
    [InlineData("100 ")]
    [InlineData("+100")]
    [InlineData("-1")]
    [InlineData("1e3")]
    [InlineData("1.0")]
    [InlineData("１００")]
    [InlineData("")]
    [InlineData(null)]
    [InlineData("10000001")]
    [InlineData("99999999999")]
    public void Anything_but_ascii_digits_up_to_the_maximum_is_refused(string? text)
    {
        Assert.False(WholeNumber.TryParse(text, 10_000_000, out _));
    }

    [Fact]
    public void The_framework_parser_alone_would_read_a_trailing_nul_as_nothing()
    {
        // The reason WholeNumber exists: keep this a positive control of the bug it guards against.
        Assert.True(int.TryParse("100\u0000", System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n));
        Assert.Equal(100, n);
    }
}
