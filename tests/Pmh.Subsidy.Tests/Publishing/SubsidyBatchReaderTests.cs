using System.Text;
using Pmh.Subsidy.Publishing;
using Pmh.Testing;

namespace Pmh.Subsidy.Tests.Publishing;

public class SubsidyBatchReaderTests
{
    private const string Header =
        "orgSpecificCertificateTypeId,myNumber,basicFiveInfo.name,basicFiveInfo.nameKana,basicFiveInfo.address,basicFiveInfo.dateOfBirth," +
        "basicFiveInfo.sex,isNotDisclosed,medicalSubsidyInsurerNumber,certificationName,medicalSubsidyRecipientNumber,designatedMedicalInstitutions," +
        "isAlwaysReimbursement,validFrom,validTo,historyKey,isDeleted,certificationDetail";

    private static string Line(string designated, string detail) =>
        $"KODOMO01,{TestData.MyNumber(1)},山田 花子,ヤマダ ハナコ,東京都,2019-04-01,2,0,{TestData.LocalPayer},子ども医療費受給者証,LOCAL-1,{designated},0,2026-04-01,2027-03-31,H-1,0,{detail}";

    private static SubsidyCertificateRow ReadOne(string designated, string detail) =>
        SubsidyBatchReader.ReadCsv(Encoding.UTF8.GetBytes(Header + "\n" + Line(designated, detail) + "\n"), "b").Rows.Single()!;

    [Theory]
    [InlineData("自己負担なし", 0)]
    [InlineData("a=b;c", 1)]
    [InlineData("a=b;;c=d", 1)]
    public void A_certification_detail_part_without_an_equals_sign_is_kept_for_the_validator_to_refuse(string cell, int badIndex)
    {
        var row = ReadOne("", cell);

        Assert.NotNull(row.CertificationDetail![badIndex]!.Unparsed);
        Assert.Contains(new SubsidyCertificateRowValidator().Validate(row).Errors, e => e.PropertyName == $"certificationDetail[{badIndex}]" && e.ErrorMessage == "must be label=value");
    }

    [Fact]
    public void One_trailing_semicolon_in_a_list_cell_is_ignored()
    {
        var row = ReadOne("1310123458;", "x=1;");

        Assert.Equal(["1310123458"], row.DesignatedMedicalInstitutions!);
        var detail = Assert.Single(row.CertificationDetail!);
        Assert.Equal(("x", "1"), (detail!.Label, detail.Value));
        Assert.True(new SubsidyCertificateRowValidator().Validate(row).IsValid);
    }

    [Fact]
    public void A_value_may_hold_further_equals_signs()
    {
        var detail = Assert.Single(ReadOne("", "式=a=b").CertificationDetail!);

        Assert.Equal(("式", "a=b"), (detail!.Label, detail.Value));
    }
}
