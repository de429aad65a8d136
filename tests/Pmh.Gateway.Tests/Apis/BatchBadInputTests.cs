using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;
using Pmh.Contracts.Subsidy;
using Pmh.Testing;

namespace Pmh.Gateway.Tests.Apis;

/// <summary>Issue 14's bad input to municipal batches: refused rows and bodies, never a 500 and never stored.</summary>
public sealed class BatchBadInputTests : IDisposable
{
    internal const string CsvHeader =
        "orgSpecificCertificateTypeId,myNumber,basicFiveInfo.name,basicFiveInfo.nameKana,basicFiveInfo.address,basicFiveInfo.dateOfBirth," +
        "basicFiveInfo.sex,isNotDisclosed,medicalSubsidyInsurerNumber,certificationName,medicalSubsidyRecipientNumber,designatedMedicalInstitutions," +
        "isAlwaysReimbursement,validFrom,validTo,historyKey,isDeleted,certificationDetail";

    private readonly PmhHubFactory _hub = new();
    private readonly HttpClient _chiyoda;

    public BatchBadInputTests() => _chiyoda = _hub.ClientFor(PmhHubFactory.ChiyodaKey);

    public void Dispose() => _hub.Dispose();

    private ITestHarness Harness => _hub.Services.GetTestHarness();

    internal static string CsvLine(long seed, string historyKey, string name = "山田 花子", string detail = "負担割合=0割", string dateOfBirth = "2019-04-01") =>
        $"KODOMO01,{TestData.MyNumber(seed)},{name},ヤマダ ハナコ,東京都,{dateOfBirth},2,0,{TestData.LocalPayer},子ども医療費受給者証,LOCAL-1,1310123458,0,2026-04-01,2027-03-31,{historyKey},0,{detail}";

    private Task<HttpResponseMessage> PostCsvAsync(string batchId, string csv) =>
        _chiyoda.PostAsync(
            $"/api/v1/municipalities/{TestData.Chiyoda}/subsidy-certificates?batchId={batchId}",
            new StringContent(csv, Encoding.UTF8, "text/csv"));

    private async Task AssertNothingSentAsync() =>
        Assert.False(await Harness.Sent.Any<PublishSubsidyCertificates>(new CancellationTokenSource(TimeSpan.FromMilliseconds(200)).Token));

    [Theory]
    [InlineData("自己負担なし", "certificationDetail[0]")]
    [InlineData("a=b;c", "certificationDetail[1]")]
    public async Task A_csv_certification_detail_part_without_an_equals_sign_gets_422_naming_the_part_and_stores_nothing(string cell, string field)
    {
        var response = await PostCsvAsync("csv-detail", CsvHeader + "\n" + CsvLine(1, "H-1", detail: cell) + "\n");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal("must be label=value", (string?)(await response.JsonAsync())["errors"]![$"certificates[0].{field}"]![0]);
        await AssertNothingSentAsync();
    }

    [Fact]
    public async Task A_csv_certification_detail_with_one_trailing_semicolon_is_accepted()
    {
        var response = await PostCsvAsync("csv-trailing", CsvHeader + "\n" + CsvLine(2, "H-1", detail: "x=1;") + "\n");

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal("completed", (string?)(await _chiyoda.WaitForBatchAsync("csv-trailing"))["status"]);
    }

    [Fact]
    public async Task A_json_null_in_a_rows_arrays_refuses_that_row_by_index_and_keeps_the_others()
    {
        var nullDetail = TestData.CertificateRow(TestData.MyNumber(3), "H-1");
        nullDetail["certificationDetail"] = new JsonArray((JsonNode?)null);
        var nullInstitution = TestData.CertificateRow(TestData.MyNumber(4), "H-2");
        nullInstitution["designatedMedicalInstitutions"] = new JsonArray((JsonNode?)null);
        var good = TestData.CertificateRow(TestData.MyNumber(5), "H-3");

        var response = await _chiyoda.PublishAsync(TestData.Chiyoda, TestData.Batch("b-nulls", nullDetail, nullInstitution, good));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var batch = await _chiyoda.WaitForBatchAsync("b-nulls");
        Assert.Equal(1, (int?)batch["acceptedCount"]);
        var rejected = batch["rejected"]!.AsArray().Select(r => ((int?)r!["index"], (string?)r["field"])).ToList();
        Assert.Contains((0, "certificationDetail[0]"), rejected);
        Assert.Contains((1, "designatedMedicalInstitutions[0]"), rejected);
        Assert.Equal("must be an object", (string?)batch["rejected"]![0]!["reason"]);
    }

    [Theory]
    [InlineData("basicFiveInfo.dateOfBirth", "0001-01-01")]
    [InlineData("basicFiveInfo.dateOfBirth", "9999-12-31")]
    [InlineData("validFrom", "0001-01-01")]
    [InlineData("validTo", "9999-12-31")]
    public async Task An_implausible_date_gets_422_naming_the_field(string field, string date)
    {
        var row = TestData.CertificateRow(TestData.MyNumber(6), "H-1");
        if (field.StartsWith("basicFiveInfo.", StringComparison.Ordinal))
        {
            row["basicFiveInfo"]![field["basicFiveInfo.".Length..]] = date;
        }
        else
        {
            row[field] = date;
        }

        var response = await _chiyoda.PublishAsync(TestData.Chiyoda, TestData.Batch("b-dates", row));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.NotNull((await response.JsonAsync())["errors"]![$"certificates[0].{field}"]);
        await AssertNothingSentAsync();
    }
}
