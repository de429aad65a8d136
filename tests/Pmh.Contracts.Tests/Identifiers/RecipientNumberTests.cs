using Pmh.Contracts.Identifiers;

namespace Pmh.Contracts.Tests.Identifiers;

public class RecipientNumberTests
{
    [Theory]
    [InlineData("1234566")]
    [InlineData("0000000")]
    [InlineData("1234574")]
    public void Accepts_a_national_recipient_number_of_7_digits_with_a_weights_2_1_check_digit(string value)
    {
        Assert.True(RecipientNumber.TryParse(value, nationalProgramme: true, out var recipient, out var error));
        Assert.Null(error);
        Assert.Equal(value, recipient.Value);
        Assert.Equal(value, recipient.ToString());
        Assert.True(recipient.IsNational);
    }

    [Theory]
    [InlineData("0000002")] // the real API's example value: its check digit would be 0
    [InlineData("1234567")]
    [InlineData("1234565")]
    public void Rejects_a_national_recipient_number_with_a_wrong_check_digit(string value)
    {
        Assert.False(RecipientNumber.TryParse(value, nationalProgramme: true, out _, out var error));
        Assert.Equal(IdentifierErrors.CheckDigit, error);
    }

    [Theory]
    [InlineData("123456")]
    [InlineData("12345660")]
    [InlineData("A234566")]
    [InlineData("１２３")]
    [InlineData("１２３４５６６")]
    [InlineData("123 566")]
    public void Rejects_a_national_recipient_number_that_is_not_7_ASCII_digits(string value)
    {
        Assert.False(RecipientNumber.TryParse(value, nationalProgramme: true, out _, out var error));
        Assert.Equal(IdentifierErrors.Digits(7) + " for a national programme", error);
    }

    [Theory]
    [InlineData(null, true)]
    [InlineData("", true)]
    [InlineData(null, false)]
    [InlineData("", false)]
    public void Rejects_null_and_empty_as_required_for_either_kind_of_programme(string? value, bool national)
    {
        Assert.False(RecipientNumber.TryParse(value, national, out _, out var error));
        Assert.Equal(IdentifierErrors.Required, error);
    }

    [Theory]
    [InlineData("0000002")] // no check digit for local programmes
    [InlineData("1")]
    [InlineData("ABC-123/x")]
    [InlineData("!~")]
    [InlineData("123456789012345678901234567890")] // exactly 30
    public void Accepts_a_local_recipient_number_of_up_to_30_printable_ASCII_characters_without_a_check_digit(string value)
    {
        Assert.True(RecipientNumber.TryParse(value, nationalProgramme: false, out var recipient, out var error));
        Assert.Null(error);
        Assert.Equal(value, recipient.Value);
        Assert.False(recipient.IsNational);
    }

    [Fact]
    public void Rejects_a_local_recipient_number_longer_than_30_characters()
    {
        var value = new string('1', RecipientNumber.MaxLocalLength + 1);
        Assert.False(RecipientNumber.TryParse(value, nationalProgramme: false, out _, out var error));
        Assert.Equal("must be at most 30 characters", error);
        Assert.Equal(30, RecipientNumber.MaxLocalLength);
    }

    [Theory]
    [InlineData("AB 12")]
    [InlineData("AB\t12")]
    [InlineData("１２３")]
    [InlineData("受給者")]
    [InlineData("AB\u007F")]
    [InlineData("AB\n")]
    public void Rejects_a_local_recipient_number_with_spaces_controls_or_non_ASCII_characters(string value)
    {
        Assert.False(RecipientNumber.TryParse(value, nationalProgramme: false, out _, out var error));
        Assert.Equal("must be printable ASCII characters without spaces", error);
    }

    [Fact]
    public void The_same_value_parsed_as_national_and_as_local_are_different_recipient_numbers()
    {
        Assert.True(RecipientNumber.TryParse("1234566", true, out var national, out _));
        Assert.True(RecipientNumber.TryParse("1234566", false, out var local, out _));
        Assert.NotEqual(national, local);
    }

    [Fact]
    public void Rejects_every_single_digit_change_of_a_valid_national_recipient_number()
    {
        var random = new Random(1_234_566);
        for (var i = 0; i < 200; i++)
        {
            var body = Digits.Random(random, 6);
            var value = Digits.WithCheck(body, CheckDigits.Modulus10Weights21(body));
            Assert.True(RecipientNumber.TryParse(value, true, out _, out _));
            foreach (var (position, changed) in Digits.SingleDigitChanges(value))
            {
                Assert.False(RecipientNumber.TryParse(changed, true, out _, out var error), $"change at position {position}");
                Assert.Equal(IdentifierErrors.CheckDigit, error);
            }
        }
    }
}
