using System.Globalization;
using System.Text.Json.Nodes;
using Pmh.Contracts.Identifiers;

namespace Pmh.Testing;

/// <summary>Valid identifiers and certificate rows for tests, made with the real check-digit rules.</summary>
public static class TestData
{
    public const string Chiyoda = "131016";
    public const string Hachioji = "132012";
    public const string NationalPayer = "54016027"; // 法別 54 (難病): national programme, 7-digit recipient numbers
    public const string LocalPayer = "88134457";    // 法別 88: a local programme

    /// <summary>A valid My Number from a seed (11 digits + check digit); different seeds give different numbers.</summary>
    public static string MyNumber(long seed) =>
        Contracts.Identifiers.MyNumber.FromBody((10_000_000_000L + (seed * 7919 % 89_999_999_999L)).ToString("D11", CultureInfo.InvariantCulture))
            .RevealDigits();

    /// <summary>A valid 7-digit national recipient number from a seed.</summary>
    public static string RecipientNumber(int seed)
    {
        var body = (100_000 + (seed % 900_000)).ToString("D6", CultureInfo.InvariantCulture);
        return body + CheckDigits.Modulus10Weights21(body).ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>A complete, valid certificate row in the JSON shape of the registration API.</summary>
    public static JsonObject CertificateRow(
        string myNumber,
        string historyKey,
        string validFrom = "2026-04-01",
        string validTo = "2027-03-31",
        bool notDisclosed = false,
        bool deleted = false,
        int? monthlyCapYen = 2500,
        string certificationName = "子ども医療費受給者証") =>
        new()
        {
            ["orgSpecificCertificateTypeId"] = "KODOMO01",
            ["myNumber"] = myNumber,
            ["basicFiveInfo"] = new JsonObject
            {
                ["name"] = "山田 花子",
                ["nameKana"] = "ヤマダ ハナコ",
                ["address"] = "東京都千代田区千代田1-1",
                ["dateOfBirth"] = "2019-04-01",
                ["sex"] = "2",
            },
            ["isNotDisclosed"] = notDisclosed ? "1" : "0",
            ["medicalSubsidyInsurerNumber"] = NationalPayer,
            ["certificationName"] = certificationName,
            ["medicalSubsidyRecipientNumber"] = RecipientNumber(historyKey.GetHashCode(StringComparison.Ordinal) & 0xFFFFF),
            ["certificationSubKey"] = "01",
            ["segment"] = "A",
            ["incomeSegment"] = "ア",
            ["additionalConditions"] = "01-1;02-3",
            ["designatedMedicalInstitutions"] = new JsonArray("1310123458"),
            ["isAlwaysReimbursement"] = "0",
            ["maxCopaymentAmount"] = monthlyCapYen is null ? null : new JsonObject { ["monthlyYen"] = monthlyCapYen },
            ["validFrom"] = validFrom,
            ["validTo"] = validTo,
            ["historyKey"] = historyKey,
            ["isDeleted"] = deleted ? "1" : "0",
            ["certificationDetail"] = new JsonArray(new JsonObject { ["label"] = "負担割合", ["value"] = "0割" }),
        };

    /// <summary>A publishing body (<c>{"batchId", "certificates"}</c>) with one certificate per seed: <c>CertificateRow(MyNumber(seed), "H-{seed:D7}")</c>.</summary>
    public static byte[] CertificateBatchJson(IReadOnlyList<int> seeds, string batchId)
    {
        ArgumentNullException.ThrowIfNull(seeds);
        var certificates = new JsonArray();
        foreach (var seed in seeds)
        {
            certificates.Add(CertificateRow(MyNumber(seed), string.Create(CultureInfo.InvariantCulture, $"H-{seed:D7}")));
        }

        return System.Text.Encoding.UTF8.GetBytes(new JsonObject { ["batchId"] = batchId, ["certificates"] = certificates }.ToJsonString());
    }

    public static JsonObject Batch(string? batchId, params JsonObject[] rows)
    {
        var batch = new JsonObject { ["certificates"] = new JsonArray(rows.Select(r => (JsonNode)r).ToArray()) };
        if (batchId is not null)
        {
            batch["batchId"] = batchId;
        }

        return batch;
    }
}
