using Pmh.Contracts.Identifiers;

namespace Pmh.Contracts.Tests.Identifiers;

public class CheckDigitsTests
{
    [Theory]
    [InlineData("12345678901", 8)]
    [InlineData("00000000000", 0)]
    public void Computes_the_My_Number_check_digit_of_the_identifier_rules(string first11, int expected)
    {
        Assert.Equal(expected, CheckDigits.MyNumber(first11));
    }

    [Theory]
    [InlineData("13101", 6)]
    [InlineData("13201", 2)]
    [InlineData("01100", 2)]
    public void Computes_the_municipality_code_check_digit_of_the_identifier_rules(string first5, int expected)
    {
        Assert.Equal(expected, CheckDigits.MunicipalityCode(first5));
    }

    [Theory]
    [InlineData("3312001", 5)]
    [InlineData("5401602", 7)]
    [InlineData("8813445", 7)]
    [InlineData("011011371", 9)]
    [InlineData("0", 0)]
    [InlineData("5", 9)] // 5 × 2 = 10, whose digits add up to 1; check = (10 − 1) mod 10 = 9.
    [InlineData("8765432", 3)] // so the real API's example payer number 87654321 is wrong
    [InlineData("000000", 0)] // so the real API's example recipient number 0000002 is wrong
    public void Computes_the_weights_2_1_check_digit_of_the_identifier_rules(string body, int expected)
    {
        Assert.Equal(expected, CheckDigits.Modulus10Weights21(body));
    }

    [Theory]
    [InlineData("")]
    [InlineData("1234567890")]
    [InlineData("123456789012")]
    [InlineData("1234567890a")]
    [InlineData("１２３４５６７８９０１")]
    [InlineData("1234567890 ")]
    public void My_Number_check_digit_throws_on_anything_but_11_ASCII_digits(string first11)
    {
        Assert.Throws<ArgumentException>(() => CheckDigits.MyNumber(first11));
    }

    [Theory]
    [InlineData("")]
    [InlineData("1310")]
    [InlineData("131016")]
    [InlineData("1310a")]
    [InlineData("１３１０１")]
    public void Municipality_code_check_digit_throws_on_anything_but_5_ASCII_digits(string first5)
    {
        Assert.Throws<ArgumentException>(() => CheckDigits.MunicipalityCode(first5));
    }

    [Theory]
    [InlineData("")]
    [InlineData("12a4")]
    [InlineData("-123")]
    [InlineData("１２３")]
    [InlineData("12 34")]
    public void Weights_2_1_check_digit_throws_on_empty_or_non_digit_input(string body)
    {
        Assert.Throws<ArgumentException>(() => CheckDigits.Modulus10Weights21(body));
    }

    [Theory]
    [InlineData("123456789012", 12, true)]
    [InlineData("12345678901", 12, false)]
    [InlineData("1234567890123", 12, false)]
    [InlineData("", 0, true)]
    [InlineData("１２３", 3, false)]
    [InlineData("٠١٢", 3, false)]
    [InlineData("12/", 3, false)]
    [InlineData("12:", 3, false)]
    public void IsDigits_accepts_only_ASCII_digits_of_the_exact_length(string value, int length, bool expected)
    {
        Assert.Equal(expected, CheckDigits.IsDigits(value, length));
    }

    /// <summary>
    /// The weights-2,1 method detects every single-digit change: weight 1 maps a digit to itself and weight 2 maps it
    /// to the digit sum of its double (0,2,4,6,8,1,3,5,7,9), both permutations of 0–9, so changing one body digit
    /// changes the sum by a non-multiple of 10, and (10 − s mod 10) mod 10 is a bijection on 0–9. An exhaustive run
    /// over all 7-digit bodies (the recipient number) found no undetected change either.
    /// </summary>
    [Fact]
    public void The_weights_2_1_method_detects_every_single_digit_change_of_every_4_digit_body()
    {
        for (var n = 0; n < 10_000; n++)
        {
            var body = n.ToString("D4", System.Globalization.CultureInfo.InvariantCulture);
            var check = CheckDigits.Modulus10Weights21(body);
            foreach (var (position, changed) in Digits.SingleDigitChanges(Digits.WithCheck(body, check)))
            {
                Assert.False(
                    CheckDigits.Modulus10Weights21(changed.AsSpan(0, changed.Length - 1)) == changed[^1] - '0',
                    $"change at position {position} of a 5-digit value was not detected");
            }
        }
    }
}
