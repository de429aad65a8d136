
namespace Pmh.Subsidy.Publishing;

/// <summary>Subsidy certificates as CSV (their JSON is read by <see cref="BatchReader"/>).</summary>
public static class SubsidyBatchReader
{
    /// <summary>CSV columns, in any order; the nested fields are flattened with dots.</summary>
    public static readonly IReadOnlyList<string> CsvColumns =
    [
        "orgSpecificCertificateTypeId", "myNumber", "basicFiveInfo.name", "basicFiveInfo.nameKana", "basicFiveInfo.address",
        "basicFiveInfo.dateOfBirth", "basicFiveInfo.sex", "isNotDisclosed", "medicalSubsidyInsurerNumber", "certificationName",
        "medicalSubsidyRecipientNumber", "certificationSubKey", "segment", "incomeSegment", "additionalConditions",
        "designatedMedicalInstitutions", "isAlwaysReimbursement", "maxCopaymentAmount.monthlyYen", "validFrom", "validTo",
        "historyKey", "isDeleted", "certificationDetail",
    ];

    private static readonly HashSet<string> OptionalCsvColumns = new(StringComparer.Ordinal)
    {
        "certificationSubKey", "segment", "incomeSegment", "additionalConditions", "designatedMedicalInstitutions",
        "maxCopaymentAmount.monthlyYen", "certificationDetail",
    };

    /// <summary>
    /// CSV (UTF-8 or UTF-16 as <see cref="BatchText"/> reads it, header row). <c>designatedMedicalInstitutions</c> are joined by <c>;</c>;
    /// <c>certificationDetail</c> is <c>label=value</c> pairs joined by <c>;</c> (a part without <c>=</c> is kept, to be
    /// refused by the validator as <c>certificationDetail[i]</c>). One trailing <c>;</c> in either list is ignored.
    /// Empty optional cells are absent.
    /// </summary>
    public static SubmittedBatch<SubsidyCertificateRow> ReadCsv(ReadOnlyMemory<byte> body, string? batchId) =>
        StreamedCsvBatch.ReadWhole(body, batchId, Layout);

    /// <summary>The columns and the mapping of a record, for the streamed reader and <see cref="ReadCsv"/> alike.</summary>
    public static IBatchCsvLayout<SubsidyCertificateRow> Layout { get; } = new CsvLayout();

    private sealed class CsvLayout : IBatchCsvLayout<SubsidyCertificateRow>
    {
        public void CheckHeader(IReadOnlyList<string> header)
        {
            var missing = CsvColumns.Where(c => !OptionalCsvColumns.Contains(c) && !header.Contains(c, StringComparer.Ordinal)).ToList();
            if (missing.Count > 0)
            {
                throw new MalformedBatchException(missing[0], "column is missing from the CSV header");
            }
        }

        public SubsidyCertificateRow Read(CsvRecord record)
        {
            var designated = record["designatedMedicalInstitutions"];
            var detail = record["certificationDetail"];
            var cap = record["maxCopaymentAmount.monthlyYen"];
            return new SubsidyCertificateRow
            {
                OrgSpecificCertificateTypeId = record["orgSpecificCertificateTypeId"],
                MyNumber = record["myNumber"],
                BasicFiveInfo = new BasicFiveInfoRow
                {
                    Name = record["basicFiveInfo.name"],
                    NameKana = record["basicFiveInfo.nameKana"],
                    Address = record["basicFiveInfo.address"],
                    DateOfBirth = record["basicFiveInfo.dateOfBirth"],
                    Sex = record["basicFiveInfo.sex"],
                },
                IsNotDisclosed = record["isNotDisclosed"],
                MedicalSubsidyInsurerNumber = record["medicalSubsidyInsurerNumber"],
                CertificationName = record["certificationName"],
                MedicalSubsidyRecipientNumber = record["medicalSubsidyRecipientNumber"],
                CertificationSubKey = record["certificationSubKey"],
                Segment = record["segment"],
                IncomeSegment = record["incomeSegment"],
                AdditionalConditions = record["additionalConditions"],
                DesignatedMedicalInstitutions = designated is null ? null : ListParts(designated).Select(p => p.Trim()).ToList<string?>(),
                IsAlwaysReimbursement = record["isAlwaysReimbursement"],
                MaxCopaymentAmount = cap is null ? null : new MaxCopaymentAmountRow { MonthlyYen = cap },
                ValidFrom = record["validFrom"],
                ValidTo = record["validTo"],
                HistoryKey = record["historyKey"],
                IsDeleted = record["isDeleted"],
                CertificationDetail = detail is null ? null : ListParts(detail).Select(ToDetail).ToList<CertificationDetailRow?>(),
            };
        }
    }

    /// <summary>The parts of a <c>;</c>-joined cell; a last part that is empty (the cell ends with <c>;</c>) is no part.</summary>
    public static IEnumerable<string> ListParts(string cell)
    {
        var parts = cell.Split(';');
        var count = parts.Length > 1 && string.IsNullOrWhiteSpace(parts[^1]) ? parts.Length - 1 : parts.Length;
        return parts.Take(count);
    }

    /// <summary><c>label=value</c> (split at the first <c>=</c>; the value may hold more); anything else is kept as unparsed.</summary>
    public static CertificationDetailRow ToDetail(string pair)
    {
        ArgumentNullException.ThrowIfNull(pair);
        var at = pair.IndexOf('=', StringComparison.Ordinal);
        return at < 0
            ? new CertificationDetailRow { Unparsed = pair }
            : new CertificationDetailRow { Label = pair[..at].Trim(), Value = pair[(at + 1)..].Trim() };
    }
}
