using System.Globalization;
using System.Text.Json;
using CsvHelper;
using CsvHelper.Configuration;

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
    public static SubmittedBatch<SubsidyCertificateRow> ReadCsv(ReadOnlyMemory<byte> body, string? batchId)
    {
        using var reader = new StringReader(BatchText.Decode(body.Span));
        using var csv = new CsvReader(reader, new CsvConfiguration(CultureInfo.InvariantCulture)
        {
            MissingFieldFound = null,
            BadDataFound = null,
            DetectColumnCountChanges = false,
        });

        if (!csv.Read())
        {
            throw new MalformedBatchException("body", "is empty; expected a CSV header row");
        }

        csv.ReadHeader();
        var header = csv.HeaderRecord ?? [];
        var missing = CsvColumns.Where(c => !OptionalCsvColumns.Contains(c) && !header.Contains(c, StringComparer.Ordinal)).ToList();
        if (missing.Count > 0)
        {
            throw new MalformedBatchException(missing[0], "column is missing from the CSV header");
        }

        var has = header.ToHashSet(StringComparer.Ordinal);
        string? Cell(string name)
        {
            if (!has.Contains(name))
            {
                return null;
            }

            var value = csv.GetField(name);
            return string.IsNullOrEmpty(value) ? null : value;
        }

        var rows = new List<SubsidyCertificateRow?>();
        while (csv.Read())
        {
            var designated = Cell("designatedMedicalInstitutions");
            var detail = Cell("certificationDetail");
            var cap = Cell("maxCopaymentAmount.monthlyYen");
            rows.Add(new SubsidyCertificateRow
            {
                OrgSpecificCertificateTypeId = Cell("orgSpecificCertificateTypeId"),
                MyNumber = Cell("myNumber"),
                BasicFiveInfo = new BasicFiveInfoRow
                {
                    Name = Cell("basicFiveInfo.name"),
                    NameKana = Cell("basicFiveInfo.nameKana"),
                    Address = Cell("basicFiveInfo.address"),
                    DateOfBirth = Cell("basicFiveInfo.dateOfBirth"),
                    Sex = Cell("basicFiveInfo.sex"),
                },
                IsNotDisclosed = Cell("isNotDisclosed"),
                MedicalSubsidyInsurerNumber = Cell("medicalSubsidyInsurerNumber"),
                CertificationName = Cell("certificationName"),
                MedicalSubsidyRecipientNumber = Cell("medicalSubsidyRecipientNumber"),
                CertificationSubKey = Cell("certificationSubKey"),
                Segment = Cell("segment"),
                IncomeSegment = Cell("incomeSegment"),
                AdditionalConditions = Cell("additionalConditions"),
                DesignatedMedicalInstitutions = designated is null ? null : ListParts(designated).Select(p => p.Trim()).ToList<string?>(),
                IsAlwaysReimbursement = Cell("isAlwaysReimbursement"),
                MaxCopaymentAmount = cap is null ? null : new MaxCopaymentAmountRow { MonthlyYen = cap },
                ValidFrom = Cell("validFrom"),
                ValidTo = Cell("validTo"),
                HistoryKey = Cell("historyKey"),
                IsDeleted = Cell("isDeleted"),
                CertificationDetail = detail is null ? null : ListParts(detail).Select(ToDetail).ToList<CertificationDetailRow?>(),
            });
        }

        return new SubmittedBatch<SubsidyCertificateRow>(batchId, rows, []);
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
