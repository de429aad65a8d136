using Pmh.Contracts.Identifiers;

namespace Pmh.Contracts.Tests.Identifiers;

public class IdentifierTests
{
    [Fact]
    public void Parse_of_a_valid_value_returns_the_identifier_of_each_kind()
    {
        Assert.Equal("123456789018", Identifier.Parse<MyNumber>("123456789018").RevealDigits());
        Assert.Equal("131016", Identifier.Parse<MunicipalityCode>("131016").Value);
        Assert.Equal("33120015", Identifier.Parse<PayerNumber>("33120015").Value);
        Assert.Equal("0110113719", Identifier.Parse<MedicalInstitutionCode>("0110113719").Value);
        Assert.Equal("138057", Identifier.Parse<InsurerNumber>("138057").Value);
    }

    [Fact]
    public void Parse_throws_a_format_exception_naming_the_type_and_the_reason()
    {
        Assert.Equal("MyNumber is required", Assert.Throws<FormatException>(() => Identifier.Parse<MyNumber>(null)).Message);
        Assert.Equal(
            "MunicipalityCode must be 6 digits",
            Assert.Throws<FormatException>(() => Identifier.Parse<MunicipalityCode>("１２３")).Message);
        Assert.Equal(
            "PayerNumber check digit does not match",
            Assert.Throws<FormatException>(() => Identifier.Parse<PayerNumber>("87654321")).Message);
        Assert.Equal(
            "MedicalInstitutionCode must be 10 digits",
            Assert.Throws<FormatException>(() => Identifier.Parse<MedicalInstitutionCode>("011011371")).Message);
        Assert.Equal(
            "InsurerNumber must be 8 digits, or 6 for national health insurance",
            Assert.Throws<FormatException>(() => Identifier.Parse<InsurerNumber>("1234567")).Message);
    }

    [Theory]
    [InlineData("123456789019")]
    [InlineData("12345678901")]
    [InlineData("12345678901８")]
    public void The_reason_for_a_refused_value_never_repeats_the_value(string value)
    {
        Assert.False(MyNumber.TryParse(value, out _, out var error));
        Assert.DoesNotContain(value, error!, StringComparison.Ordinal);
        Assert.DoesNotContain("12345", error!, StringComparison.Ordinal);

        var exception = Assert.Throws<FormatException>(() => Identifier.Parse<MyNumber>(value));
        Assert.DoesNotContain("12345", exception.Message, StringComparison.Ordinal);
    }
}
