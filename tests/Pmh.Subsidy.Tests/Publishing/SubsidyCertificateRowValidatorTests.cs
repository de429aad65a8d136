using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using Pmh.Modules.Batches;
using Pmh.Subsidy.Publishing;
using Pmh.Testing;

namespace Pmh.Subsidy.Tests.Publishing;

public class SubsidyCertificateRowValidatorTests
{
    // 2026-12-03 06:00 UTC is 15:00 in Japan.
    private static readonly FakeTimeProvider Clock = new(new DateTimeOffset(2026, 12, 3, 6, 0, 0, TimeSpan.Zero));
    private static readonly SubsidyCertificateRowValidator Validator = new(Clock);

    private static SubsidyCertificateRow Row(Action<JsonObject> change)
    {
        var json = TestData.CertificateRow(TestData.MyNumber(1), "H-1");
        change(json);
        var batch = BatchReader.ReadJson<SubsidyCertificateRow>(Encoding.UTF8.GetBytes(new JsonArray(json).ToJsonString()), "certificates");
        Assert.Empty(batch.Unreadable);
        return batch.Rows.Single()!;
    }

    private static List<(string Field, string Reason)> Errors(SubsidyCertificateRow row) =>
        Validator.Validate(row).Errors.Select(e => (e.PropertyName, e.ErrorMessage)).ToList();

    [Fact]
    public void The_test_row_is_valid()
    {
        Assert.Empty(Errors(Row(_ => { })));
    }

    [Fact]
    public void A_null_certification_detail_item_is_refused_by_its_index_as_not_an_object()
    {
        var row = Row(r => r["certificationDetail"] = new JsonArray(new JsonObject { ["label"] = "a", ["value"] = "b" }, null));

        Assert.Equal([("certificationDetail[1]", "must be an object")], Errors(row));
    }

    [Fact]
    public void A_null_designated_institution_is_refused_by_its_index()
    {
        var row = Row(r => r["designatedMedicalInstitutions"] = new JsonArray(null, "1310123458"));

        var error = Assert.Single(Errors(row));
        Assert.Equal("designatedMedicalInstitutions[0]", error.Field);
    }

    [Fact]
    public void A_certification_detail_part_without_an_equals_sign_is_refused_as_not_label_value()
    {
        var row = Row(_ => { });
        row.CertificationDetail = [SubsidyBatchReader.ToDetail("x=1"), SubsidyBatchReader.ToDetail("自己負担なし")];

        Assert.Equal([("certificationDetail[1]", "must be label=value")], Errors(row));
    }

    [Fact]
    public void A_certification_detail_item_without_a_label_is_refused_naming_its_label()
    {
        var row = Row(r => r["certificationDetail"] = new JsonArray(new JsonObject { ["label"] = "", ["value"] = "b" }));

        Assert.Equal([("certificationDetail[0].label", "is required")], Errors(row));
    }

    [Theory]
    [InlineData("0001-01-01")]
    [InlineData("1899-12-31")]
    [InlineData("2026-12-04")]
    [InlineData("9999-12-31")]
    public void A_date_of_birth_before_1900_or_after_today_in_japan_is_refused(string dateOfBirth)
    {
        var row = Row(r => r["basicFiveInfo"]!["dateOfBirth"] = dateOfBirth);

        Assert.Equal([("basicFiveInfo.dateOfBirth", "must be a date from 1900-01-01 to today")], Errors(row));
    }

    [Theory]
    [InlineData("1900-01-01")]
    [InlineData("2026-12-03")]
    public void A_date_of_birth_from_1900_to_today_in_japan_is_taken(string dateOfBirth)
    {
        Assert.Empty(Errors(Row(r => r["basicFiveInfo"]!["dateOfBirth"] = dateOfBirth)));
    }

    [Fact]
    public void Today_is_japans_date_so_a_birth_just_after_midnight_in_japan_is_taken_while_it_is_still_yesterday_in_utc()
    {
        var validator = new SubsidyCertificateRowValidator(new FakeTimeProvider(new DateTimeOffset(2026, 12, 3, 15, 30, 0, TimeSpan.Zero)));

        Assert.True(validator.Validate(Row(r => r["basicFiveInfo"]!["dateOfBirth"] = "2026-12-04")).IsValid);
    }

    [Theory]
    [InlineData("validFrom", "0001-01-01")]
    [InlineData("validFrom", "1999-12-31")]
    [InlineData("validTo", "9999-12-31")]
    [InlineData("validTo", "2101-01-01")]
    public void A_validity_date_outside_the_years_2000_to_2100_is_refused_naming_the_field(string field, string date)
    {
        var row = Row(r => r[field] = date);

        Assert.Contains((field, "must be a date in the years 2000 to 2100"), Errors(row));
    }

    [Fact]
    public void A_certificate_valid_from_2000_to_2100_is_taken()
    {
        Assert.Empty(Errors(Row(r =>
        {
            r["validFrom"] = "2000-01-01";
            r["validTo"] = "2100-12-31";
        })));
    }
}
