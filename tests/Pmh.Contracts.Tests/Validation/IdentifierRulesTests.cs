using System.Text.Json;
using FluentValidation;
using FluentValidation.Results;
using Pmh.Contracts.Identifiers;
using Pmh.Contracts.Validation;

namespace Pmh.Contracts.Tests.Validation;

public class IdentifierRulesTests
{
    public sealed class Row
    {
        public string? MyNumber { get; set; } = "123456789018";
        public string? MunicipalityCode { get; set; } = "131016";
        public string? PayerNumber { get; set; } = "54016027";
        public bool IsNationalProgramme { get; set; } = true;
        public string? RecipientNumber { get; set; } = "1234566";
        public string? MedicalInstitutionCode { get; set; } = "0110113719";
        public string? InsurerNumber { get; set; } = "138057";
    }

    public sealed class Batch
    {
        public List<Row> Certificates { get; } = [];
    }

    private sealed class RowValidator : PmhValidator<Row>
    {
        public RowValidator()
        {
            RuleFor(r => r.MyNumber).MustBeMyNumber();
            RuleFor(r => r.MunicipalityCode).MustBeMunicipalityCode();
            RuleFor(r => r.PayerNumber).MustBePayerNumber();
            RuleFor(r => r.RecipientNumber).MustBeRecipientNumber(r => r.IsNationalProgramme);
            RuleFor(r => r.MedicalInstitutionCode).MustBeMedicalInstitutionCode();
            RuleFor(r => r.InsurerNumber).MustBeInsurerNumber();
        }
    }

    private sealed class BatchValidator : PmhValidator<Batch>
    {
        public BatchValidator() => RuleForEach(b => b.Certificates).SetValidator(new RowValidator());
    }

    public sealed class Person
    {
        public Row? Certificate { get; set; }
    }

    /// <summary>A rule over a member chain, as the gateway's <c>RuleFor(r => r.MaxCopaymentAmount!.MonthlyYen)</c>.</summary>
    private sealed class PersonValidator : PmhValidator<Person>
    {
        public PersonValidator() => RuleFor(p => p.Certificate!.MyNumber).MustBeMyNumber().When(p => p.Certificate is not null);
    }

    private static ValidationFailure SingleFailure(Row row)
    {
        var result = new RowValidator().Validate(row);
        Assert.False(result.IsValid);
        return Assert.Single(result.Errors);
    }

    [Fact]
    public void A_row_of_valid_identifiers_passes()
    {
        var result = new RowValidator().Validate(new Row());
        Assert.True(result.IsValid, result.ToString());
    }

    [Fact]
    public void A_local_recipient_number_passes_without_a_check_digit()
    {
        var row = new Row { PayerNumber = "88134457", IsNationalProgramme = false, RecipientNumber = "TOKYO-0000002" };
        Assert.True(new RowValidator().Validate(row).IsValid);
    }

    [Theory]
    [InlineData(nameof(Row.MyNumber), "123456789019", "myNumber", IdentifierErrors.CheckDigit)]
    [InlineData(nameof(Row.MyNumber), null, "myNumber", IdentifierErrors.Required)]
    [InlineData(nameof(Row.MyNumber), "１２３", "myNumber", "must be 12 digits")]
    [InlineData(nameof(Row.MunicipalityCode), "131017", "municipalityCode", IdentifierErrors.CheckDigit)]
    [InlineData(nameof(Row.MunicipalityCode), "13101", "municipalityCode", "must be 6 digits")]
    [InlineData(nameof(Row.PayerNumber), "88134458", "payerNumber", IdentifierErrors.CheckDigit)]
    [InlineData(nameof(Row.PayerNumber), "87654321", "payerNumber", IdentifierErrors.CheckDigit)]
    [InlineData(nameof(Row.PayerNumber), "", "payerNumber", IdentifierErrors.Required)]
    [InlineData(nameof(Row.RecipientNumber), "0000002", "recipientNumber", IdentifierErrors.CheckDigit)]
    [InlineData(nameof(Row.RecipientNumber), "123456", "recipientNumber", "must be 7 digits for a national programme")]
    [InlineData(nameof(Row.MedicalInstitutionCode), "0110113718", "medicalInstitutionCode", IdentifierErrors.CheckDigit)]
    [InlineData(nameof(Row.MedicalInstitutionCode), "4812345670", "medicalInstitutionCode", "must start with a prefecture number 01 to 47")]
    [InlineData(nameof(Row.InsurerNumber), "1380570", "insurerNumber", "must be 8 digits, or 6 for national health insurance")]
    [InlineData(nameof(Row.InsurerNumber), "138058", "insurerNumber", IdentifierErrors.CheckDigit)]
    public void A_failure_names_the_field_in_camelCase_and_gives_the_reason(
        string property, string? value, string field, string reason)
    {
        var row = new Row();
        typeof(Row).GetProperty(property)!.SetValue(row, value);

        var failure = SingleFailure(row);

        Assert.Equal(field, failure.PropertyName);
        Assert.Equal(reason, failure.ErrorMessage);
        Assert.Equal(Severity.Error, failure.Severity);
    }

    [Fact]
    public void A_national_recipient_number_is_checked_only_when_the_row_says_national()
    {
        var local = new Row { IsNationalProgramme = false, RecipientNumber = "0000002" };
        Assert.True(new RowValidator().Validate(local).IsValid);

        var national = new Row { IsNationalProgramme = true, RecipientNumber = "0000002" };
        Assert.Equal(IdentifierErrors.CheckDigit, SingleFailure(national).ErrorMessage);
    }

    [Fact]
    public void A_local_recipient_number_over_30_characters_is_refused_with_the_reason()
    {
        var failure = SingleFailure(new Row { IsNationalProgramme = false, RecipientNumber = new string('A', 31) });
        Assert.Equal("recipientNumber", failure.PropertyName);
        Assert.Equal("must be at most 30 characters", failure.ErrorMessage);
    }

    [Fact]
    public void Every_invalid_field_of_a_row_is_reported_once_by_its_camelCase_name()
    {
        var row = new Row
        {
            MyNumber = "x",
            MunicipalityCode = "x",
            PayerNumber = "x",
            RecipientNumber = "x",
            MedicalInstitutionCode = "x",
            InsurerNumber = "x",
        };

        var names = new RowValidator().Validate(row).Errors.Select(e => e.PropertyName).ToList();

        Assert.Equal(
            ["myNumber", "municipalityCode", "payerNumber", "recipientNumber", "medicalInstitutionCode", "insurerNumber"],
            names);
    }

    [Fact]
    public void A_failure_in_a_collection_is_named_by_its_json_path()
    {
        var batch = new Batch();
        batch.Certificates.AddRange([new Row(), new Row(), new Row(), new Row { MyNumber = "123456789019" }]);

        var failure = Assert.Single(new BatchValidator().Validate(batch).Errors);

        Assert.Equal("certificates[3].myNumber", failure.PropertyName);
        Assert.Equal(IdentifierErrors.CheckDigit, failure.ErrorMessage);
    }

    [Fact]
    public void A_failure_of_a_rule_over_a_member_chain_is_named_by_the_whole_json_path()
    {
        // FluentValidation's default resolver names RuleFor(p => p.Certificate.MyNumber) "Certificate.MyNumber"; the
        // JSON name the caller sent is "certificate.myNumber", not just the last member.
        var person = new Person { Certificate = new Row { MyNumber = "123456789019" } };

        var failure = Assert.Single(new PersonValidator().Validate(person).Errors);

        Assert.Equal(IdentifierErrors.CheckDigit, failure.ErrorMessage);
        Assert.Equal("certificate.myNumber", failure.PropertyName);
    }

    [Theory]
    [InlineData("123456789019")] // wrong check digit
    [InlineData("123456789010")]
    [InlineData("12345678901")] // too short
    [InlineData("1234567890189")] // too long
    [InlineData("12345678901x")]
    public void A_failure_never_carries_the_refused_My_Number(string refused)
    {
        var result = new RowValidator().Validate(new Row { MyNumber = refused });
        var failure = Assert.Single(result.Errors);

        Assert.Equal("myNumber", failure.PropertyName);
        Assert.Null(failure.AttemptedValue);
        Assert.Null(failure.CustomState);
        AssertNoDigits(refused, failure.ErrorMessage);
        AssertNoDigits(refused, failure.ToString());
        AssertNoDigits(refused, result.ToString());
        AssertNoDigits(refused, JsonSerializer.Serialize(result.Errors));
        foreach (var placeholder in failure.FormattedMessagePlaceholderValues ?? [])
        {
            AssertNoDigits(refused, $"{placeholder.Key}={placeholder.Value}");
        }

        var exception = Assert.Throws<ValidationException>(
            () => new RowValidator().ValidateAndThrow(new Row { MyNumber = refused }));
        AssertNoDigits(refused, exception.Message);
        AssertNoDigits(refused, exception.ToString());
    }

    [Fact]
    public void A_failure_in_a_collection_never_carries_the_refused_My_Number()
    {
        const string refused = "987654321099";
        var batch = new Batch();
        batch.Certificates.Add(new Row { MyNumber = refused });

        var result = new BatchValidator().Validate(batch);

        var failure = Assert.Single(result.Errors);
        Assert.Equal("certificates[0].myNumber", failure.PropertyName);
        Assert.Null(failure.AttemptedValue);
        AssertNoDigits(refused, result.ToString());
        AssertNoDigits(refused, JsonSerializer.Serialize(result.Errors));
    }

    /// <summary>Neither the whole number nor any run of 4 of its digits appears in <paramref name="text"/>.</summary>
    private static void AssertNoDigits(string refused, string text)
    {
        Assert.DoesNotContain(refused, text, StringComparison.Ordinal);
        for (var i = 0; i + 4 <= refused.Length; i++)
        {
            Assert.DoesNotContain(refused.Substring(i, 4), text, StringComparison.Ordinal);
        }
    }
}
