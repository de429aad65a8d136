using Pmh.Contracts.Identifiers;

namespace Pmh.Contracts.Tests.Identifiers;

public class PayerNumberTests
{
    [Theory]
    [InlineData("33120015")]
    [InlineData("54016027")]
    [InlineData("88134457")]
    [InlineData("89130017")]
    public void Accepts_the_examples_of_the_identifier_rules(string value)
    {
        Assert.True(PayerNumber.TryParse(value, out var payer, out var error));
        Assert.Null(error);
        Assert.Equal(value, payer.Value);
        Assert.Equal(value, payer.ToString());
        Assert.Equal(payer, PayerNumber.Parse(value));
    }

    [Theory]
    [InlineData("88134458")] // docs/identifiers.md: "88134458 is wrong"
    [InlineData("87654321")] // the real API's example value: its check digit would be 3
    [InlineData("33120016")]
    [InlineData("54016020")]
    public void Rejects_a_wrong_check_digit_with_the_check_digit_reason(string value)
    {
        Assert.False(PayerNumber.TryParse(value, out _, out var error));
        Assert.Equal(IdentifierErrors.CheckDigit, error);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void Rejects_null_and_empty_as_required(string? value)
    {
        Assert.False(PayerNumber.TryParse(value, out _, out var error));
        Assert.Equal(IdentifierErrors.Required, error);
    }

    [Theory]
    [InlineData("3312001")]
    [InlineData("331200150")]
    [InlineData("3312001x")]
    [InlineData("３３１２００１５")]
    [InlineData("１２３")]
    [InlineData("33 120015")]
    public void Rejects_wrong_lengths_and_non_ASCII_digits_as_not_8_digits(string value)
    {
        Assert.False(PayerNumber.TryParse(value, out _, out var error));
        Assert.Equal(IdentifierErrors.Digits(8), error);
    }

    [Theory]
    [InlineData("33120015", 33, true)]
    [InlineData("54016027", 54, true)]
    [InlineData("88134457", 88, false)]
    [InlineData("89130017", 89, false)]
    public void The_law_number_tells_a_national_programme_from_a_local_one(string value, int law, bool national)
    {
        var payer = PayerNumber.Parse(value);
        Assert.Equal(law, payer.LawNumber);
        Assert.Equal(national, payer.IsNationalProgramme);
    }

    [Fact]
    public void Law_numbers_below_80_are_national_and_80_to_99_are_local()
    {
        for (var law = 0; law < 100; law++)
        {
            var body = law.ToString("D2", System.Globalization.CultureInfo.InvariantCulture) + "13001";
            var payer = PayerNumber.Parse(Digits.WithCheck(body, CheckDigits.Modulus10Weights21(body)));
            Assert.Equal(law < 80, payer.IsNationalProgramme);
        }
    }

    [Fact]
    public void Rejects_every_single_digit_change_of_a_valid_payer_number()
    {
        // The weights-2,1 method detects every single-digit change (see CheckDigitsTests), so no exception here.
        var random = new Random(33_120_015);
        for (var i = 0; i < 200; i++)
        {
            var body = Digits.Random(random, 7);
            var payer = Digits.WithCheck(body, CheckDigits.Modulus10Weights21(body));
            Assert.True(PayerNumber.TryParse(payer, out _, out _));
            foreach (var (position, changed) in Digits.SingleDigitChanges(payer))
            {
                Assert.False(PayerNumber.TryParse(changed, out _, out var error), $"change at position {position}");
                Assert.Equal(IdentifierErrors.CheckDigit, error);
            }
        }
    }
}
