using Pmh.Contracts.Identifiers;

namespace Pmh.Contracts.Tests.Identifiers;

public class MedicalInstitutionCodeTests
{
    [Theory]
    [InlineData("0110113719", 1, InstitutionKind.Medical)]
    [InlineData("1312345679", 13, InstitutionKind.Medical)]
    [InlineData("1331234565", 13, InstitutionKind.Dental)]
    [InlineData("4741234563", 47, InstitutionKind.Pharmacy)]
    [InlineData("0131234569", 1, InstitutionKind.Dental)]
    public void Accepts_a_valid_code_and_reads_its_prefecture_and_kind(string value, int prefecture, InstitutionKind kind)
    {
        Assert.True(MedicalInstitutionCode.TryParse(value, out var code, out var error));
        Assert.Null(error);
        Assert.Equal(value, code.Value);
        Assert.Equal(value, code.ToString());
        Assert.Equal(prefecture, code.Prefecture);
        Assert.Equal(kind, code.Kind);
        Assert.Equal(code, MedicalInstitutionCode.Parse(value));
    }

    [Theory]
    [InlineData("0110113710")]
    [InlineData("0110113718")]
    [InlineData("1312345670")]
    public void Rejects_a_wrong_check_digit_with_the_check_digit_reason(string value)
    {
        Assert.False(MedicalInstitutionCode.TryParse(value, out _, out var error));
        Assert.Equal(IdentifierErrors.CheckDigit, error);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(48)]
    [InlineData(99)]
    public void Rejects_each_prefecture_number_outside_01_to_47_even_with_a_correct_check_digit(int prefecture)
    {
        var body = prefecture.ToString("D2", System.Globalization.CultureInfo.InvariantCulture) + "1234567";
        var value = Digits.WithCheck(body, CheckDigits.Modulus10Weights21(body));
        Assert.False(MedicalInstitutionCode.TryParse(value, out _, out var error));
        Assert.Equal("must start with a prefecture number 01 to 47", error);
    }

    [Fact]
    public void Accepts_every_prefecture_01_to_47()
    {
        for (var prefecture = 1; prefecture <= 47; prefecture++)
        {
            var body = prefecture.ToString("D2", System.Globalization.CultureInfo.InvariantCulture) + "1234567";
            var code = MedicalInstitutionCode.Parse(Digits.WithCheck(body, CheckDigits.Modulus10Weights21(body)));
            Assert.Equal(prefecture, code.Prefecture);
        }
    }

    [Theory]
    [InlineData('0')]
    [InlineData('2')]
    [InlineData('5')]
    [InlineData('9')]
    public void Rejects_a_fee_table_digit_other_than_1_3_or_4_even_with_a_correct_check_digit(char feeTable)
    {
        var body = "13" + feeTable + "123456";
        var value = Digits.WithCheck(body, CheckDigits.Modulus10Weights21(body));
        Assert.False(MedicalInstitutionCode.TryParse(value, out _, out var error));
        Assert.Equal("must have fee table 1 (medical), 3 (dental) or 4 (pharmacy) as its third digit", error);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void Rejects_null_and_empty_as_required(string? value)
    {
        Assert.False(MedicalInstitutionCode.TryParse(value, out _, out var error));
        Assert.Equal(IdentifierErrors.Required, error);
    }

    [Theory]
    [InlineData("011011371")]
    [InlineData("01101137190")]
    [InlineData("011011371x")]
    [InlineData("０１１０１１３７１９")]
    [InlineData("１２３")]
    [InlineData("01-1011371")]
    public void Rejects_wrong_lengths_and_non_ASCII_digits_as_not_10_digits(string value)
    {
        Assert.False(MedicalInstitutionCode.TryParse(value, out _, out var error));
        Assert.Equal(IdentifierErrors.Digits(10), error);
    }

    [Fact]
    public void Rejects_every_single_digit_change_of_a_valid_code_for_the_reason_that_applies()
    {
        var random = new Random(110_113_719);
        var checkedCodes = 0;
        while (checkedCodes < 200)
        {
            var body = Digits.Random(random, 9);
            var value = Digits.WithCheck(body, CheckDigits.Modulus10Weights21(body));
            if (!MedicalInstitutionCode.TryParse(value, out _, out _))
            {
                continue; // random prefecture or fee table out of range
            }

            checkedCodes++;
            foreach (var (position, changed) in Digits.SingleDigitChanges(value))
            {
                Assert.False(MedicalInstitutionCode.TryParse(changed, out _, out var error), $"change at position {position}");
                Assert.NotNull(error);
            }
        }
    }
}
