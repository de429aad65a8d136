using Pmh.Contracts.Subsidy;

namespace Pmh.Subsidy.Tests;

/// <summary>Certificates as they travel on the bus, for storage and consumer tests.</summary>
internal static class Certificates
{
    public static SubsidyCertificate Make(
        string personKey,
        string historyKey,
        string validFrom = "2026-04-01",
        string validTo = "2027-03-31",
        bool notDisclosed = false,
        bool deleted = false,
        string name = "子ども医療費受給者証",
        string municipality = "131016") => new()
        {
            MunicipalityCode = municipality,
            HistoryKey = historyKey,
            PersonKey = personKey,
            OrgSpecificCertificateTypeId = "KODOMO01",
            BasicFiveInfo = new BasicFiveInfo("山田 花子", "ヤマダ ハナコ", "東京都千代田区千代田1-1", new DateOnly(2019, 4, 1), "2"),
            IsNotDisclosed = notDisclosed,
            MedicalSubsidyInsurerNumber = "54016027",
            CertificationName = name,
            MedicalSubsidyRecipientNumber = "1234566",
            IsAlwaysReimbursement = false,
            MaxCopaymentAmount = new MaxCopaymentAmount(2500),
            ValidFrom = DateOnly.Parse(validFrom, System.Globalization.CultureInfo.InvariantCulture),
            ValidTo = DateOnly.Parse(validTo, System.Globalization.CultureInfo.InvariantCulture),
            IsDeleted = deleted,
            DesignatedMedicalInstitutions = ["1310123458"],
            CertificationDetail = [new CertificationDetailItem("負担割合", "0割")],
        };

    /// <summary>A whole batch in one part.</summary>
    public static PublishSubsidyCertificates Batch(string batchId, params SubsidyCertificate[] certificates) =>
        Parts(batchId, certificates.Length, certificates).Single();

    /// <summary>A batch split into parts of <paramref name="partSize"/> rows, as the gateway sends it.</summary>
    public static IReadOnlyList<PublishSubsidyCertificates> Parts(string batchId, int partSize, params SubsidyCertificate[] certificates)
    {
        var rows = certificates.Select((c, i) => new PublishedCertificateRow(i, c)).ToList();
        var chunks = rows.Chunk(Math.Max(1, partSize)).ToList();
        return chunks.Select((chunk, i) => new PublishSubsidyCertificates
        {
            MunicipalityCode = certificates[0].MunicipalityCode,
            BatchId = batchId,
            PartIndex = i,
            PartCount = chunks.Count,
            RowCount = rows.Count,
            Rows = chunk,
        }).ToList();
    }
}
