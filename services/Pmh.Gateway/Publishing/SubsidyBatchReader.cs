using System.Globalization;
using System.Text;
using System.Text.Json;
using CsvHelper;
using CsvHelper.Configuration;

namespace Pmh.Gateway.Publishing;

/// <summary>The rows of a submitted batch, before validation, with rows that could not even be read.</summary>
public sealed record SubmittedBatch(string? BatchId, IReadOnlyList<SubsidyCertificateRow?> Rows, IReadOnlyList<RowRejection> Unreadable);

/// <summary>A body that is not a batch at all (malformed JSON, missing CSV columns): a 400 naming the field.</summary>
public sealed class MalformedBatchException(string field, string reason) : Exception($"{field}: {reason}")
{
    public string Field { get; } = field;

    public string Reason { get; } = reason;
}

/// <summary>
/// Reads a batch of subsidy certificates in the three shapes the API takes: <c>{batchId, certificates: [...]}</c>,
/// a bare JSON array of rows (as the real registration API takes), or CSV with a header row.
/// </summary>
public static class SubsidyBatchReader
{
    private static readonly JsonSerializerOptions RowJson = new(JsonSerializerDefaults.Web)
    {
        Converters = { new LenientStringConverter() },
    };

    public static SubmittedBatch ReadJson(ReadOnlyMemory<byte> body)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 16 });
        }
        catch (JsonException e)
        {
            throw new MalformedBatchException("body", $"is not valid JSON (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1})");
        }

        using (document)
        {
            var root = document.RootElement;
            string? batchId = null;
            JsonElement rows;
            switch (root.ValueKind)
            {
                case JsonValueKind.Array:
                    rows = root;
                    break;
                case JsonValueKind.Object:
                    if (root.TryGetProperty("batchId", out var id))
                    {
                        batchId = id.ValueKind == JsonValueKind.String
                            ? id.GetString()
                            : throw new MalformedBatchException("batchId", "must be a string");
                    }

                    if (!root.TryGetProperty("certificates", out rows) || rows.ValueKind != JsonValueKind.Array)
                    {
                        throw new MalformedBatchException("certificates", "is required as an array of rows");
                    }

                    break;
                default:
                    throw new MalformedBatchException("body", "must be an object {batchId, certificates} or an array of rows");
            }

            var result = new List<SubsidyCertificateRow?>(rows.GetArrayLength());
            var unreadable = new List<RowRejection>();
            foreach (var element in rows.EnumerateArray())
            {
                var index = result.Count;
                if (element.ValueKind != JsonValueKind.Object)
                {
                    unreadable.Add(new RowRejection(index, "", "must be an object"));
                    result.Add(null);
                    continue;
                }

                try
                {
                    result.Add(element.Deserialize<SubsidyCertificateRow>(RowJson));
                }
                catch (JsonException e)
                {
                    unreadable.Add(new RowRejection(index, FieldOf(e.Path), "has the wrong type"));
                    result.Add(null);
                }
            }

            return new SubmittedBatch(batchId, result, unreadable);
        }
    }

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
    /// CSV (UTF-8, header row). <c>designatedMedicalInstitutions</c> are joined by <c>;</c>;
    /// <c>certificationDetail</c> is <c>label=value</c> pairs joined by <c>;</c>. Empty optional cells are absent.
    /// </summary>
    public static SubmittedBatch ReadCsv(ReadOnlyMemory<byte> body, string? batchId)
    {
        using var reader = new StreamReader(new MemoryStream(body.ToArray()), new UTF8Encoding(false), detectEncodingFromByteOrderMarks: true);
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
                DesignatedMedicalInstitutions = designated?.Split(';', StringSplitOptions.TrimEntries).ToList<string?>(),
                IsAlwaysReimbursement = Cell("isAlwaysReimbursement"),
                MaxCopaymentAmount = cap is null ? null : new MaxCopaymentAmountRow { MonthlyYen = cap },
                ValidFrom = Cell("validFrom"),
                ValidTo = Cell("validTo"),
                HistoryKey = Cell("historyKey"),
                IsDeleted = Cell("isDeleted"),
                CertificationDetail = detail?.Split(';').Select(ToDetail).ToList(),
            });
        }

        return new SubmittedBatch(batchId, rows, []);
    }

    private static CertificationDetailRow? ToDetail(string pair)
    {
        var at = pair.IndexOf('=', StringComparison.Ordinal);
        return at <= 0 ? null : new CertificationDetailRow { Label = pair[..at].Trim(), Value = pair[(at + 1)..].Trim() };
    }

    private static string FieldOf(string? jsonPath) =>
        string.IsNullOrEmpty(jsonPath) ? "" : jsonPath.TrimStart('$').TrimStart('.');
}
