using Pmh.Contracts.Identifiers;

namespace Pmh.Contracts.Tests.Identifiers;

public class InsurerNumberTests
{
    private const string LengthReason = "must be 8 digits, or 6 for national health insurance";

    [Theory]
    [InlineData("01130012")]
    [InlineData("06130017")]
    [InlineData("31130016")]
    [InlineData("02130417")]
    public void Accepts_an_8_digit_insurer_number_with_a_weights_2_1_check_digit(string value)
    {
        Assert.True(InsurerNumber.TryParse(value, out var insurer, out var error));
        Assert.Null(error);
        Assert.Equal(value, insurer.Value);
        Assert.Equal(value, insurer.ToString());
        Assert.False(insurer.IsNationalHealthInsurance);
        Assert.Equal(insurer, InsurerNumber.Parse(value));
    }

    [Theory]
    [InlineData("138057")]
    [InlineData("010017")]
    [InlineData("000000")]
    public void Accepts_a_6_digit_national_health_insurance_number_with_a_weights_2_1_check_digit(string value)
    {
        Assert.True(InsurerNumber.TryParse(value, out var insurer, out var error));
        Assert.Null(error);
        Assert.True(insurer.IsNationalHealthInsurance);
    }

    [Theory]
    [InlineData("01130013")]
    [InlineData("06130010")]
    [InlineData("138058")]
    [InlineData("010010")]
    public void Rejects_a_wrong_check_digit_with_the_check_digit_reason(string value)
    {
        Assert.False(InsurerNumber.TryParse(value, out _, out var error));
        Assert.Equal(IdentifierErrors.CheckDigit, error);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void Rejects_null_and_empty_as_required(string? value)
    {
        Assert.False(InsurerNumber.TryParse(value, out _, out var error));
        Assert.Equal(IdentifierErrors.Required, error);
    }

    [Theory]
    [InlineData("13805")]
    [InlineData("1380570")]
    [InlineData("011300120")]
    [InlineData("0113001x")]
    [InlineData("１３８０５７")]
    [InlineData("１２３")]
    [InlineData("０１１３００１２")]
    public void Rejects_lengths_other_than_8_or_6_and_non_ASCII_digits(string value)
    {
        Assert.False(InsurerNumber.TryParse(value, out _, out var error));
        Assert.Equal(LengthReason, error);
    }

    [Theory]
    [InlineData(6)]
    [InlineData(8)]
    public void Rejects_every_single_digit_change_of_a_valid_insurer_number(int length)
    {
        var random = new Random(1_130_012 + length);
        for (var i = 0; i < 200; i++)
        {
            var body = Digits.Random(random, length - 1);
            var value = Digits.WithCheck(body, CheckDigits.Modulus10Weights21(body));
            Assert.True(InsurerNumber.TryParse(value, out _, out _));
            foreach (var (position, changed) in Digits.SingleDigitChanges(value))
            {
                Assert.False(InsurerNumber.TryParse(changed, out _, out var error), $"change at position {position}");
                Assert.Equal(IdentifierErrors.CheckDigit, error);
            }
        }
    }
}
