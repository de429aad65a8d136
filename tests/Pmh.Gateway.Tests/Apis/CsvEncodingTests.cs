using System.Net;
using System.Net.Http.Headers;
using System.Text;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;
using Pmh.Contracts.Subsidy;
using Pmh.Contracts.Vaccination;
using Pmh.Hosting.Privacy;
using Pmh.Testing;

namespace Pmh.Gateway.Tests.Apis;

/// <summary>CSV uploads in UTF-8 or UTF-16 are read; Shift_JIS, invalid UTF-8 and other charsets get 415 and store nothing.</summary>
public sealed class CsvEncodingTests : IDisposable
{
    private readonly PmhHubFactory _hub = new();
    private readonly HttpClient _chiyoda;

    static CsvEncodingTests() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    public CsvEncodingTests() => _chiyoda = _hub.ClientFor(PmhHubFactory.ChiyodaKey);

    public void Dispose() => _hub.Dispose();

    private ITestHarness Harness => _hub.Services.GetTestHarness();

    private static string Csv(long seed, string historyKey) =>
        BatchBadInputTests.CsvHeader + "\n" + BatchBadInputTests.CsvLine(seed, historyKey, name: "髙橋 﨑子") + "\n";

    private Task<HttpResponseMessage> PostAsync(string kind, string batchId, byte[] body, string contentType = "text/csv")
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        return _chiyoda.PostAsync($"/api/v1/municipalities/{TestData.Chiyoda}/{kind}?batchId={batchId}", content);
    }

    private async Task<string> StoredNameAsync(long seed)
    {
        var personKey = _hub.Services.GetRequiredService<PersonKeys>().For(Contracts.Identifiers.MyNumber.Parse(TestData.MyNumber(seed)));
        var eligibility = await Harness.GetRequestClient<CheckSubsidyEligibility>()
            .GetResponse<SubsidyEligibility>(new CheckSubsidyEligibility { PersonKey = personKey, ServiceDate = new DateOnly(2026, 4, 1) });
        return Assert.Single(eligibility.Message.Certificates).BasicFiveInfo.Name;
    }

    private static CancellationToken Quick() => new CancellationTokenSource(TimeSpan.FromMilliseconds(300)).Token;

    public static TheoryData<string, int> TakenEncodings() => new() { { "utf-8", 0 }, { "utf-8-bom", 1 }, { "utf-16le-bom", 2 }, { "utf-16be-bom", 3 } };

    [Theory]
    [MemberData(nameof(TakenEncodings))]
    public async Task A_csv_in_utf8_with_or_without_bom_or_utf16_with_bom_is_accepted_and_its_names_are_stored_as_sent(string name, int encoding)
    {
        var text = Csv(40 + encoding, "H-1");
        byte[] body = encoding switch
        {
            0 => Encoding.UTF8.GetBytes(text),
            1 => [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes(text)],
            2 => [0xFF, 0xFE, .. Encoding.Unicode.GetBytes(text)],
            _ => [0xFE, 0xFF, .. Encoding.BigEndianUnicode.GetBytes(text)],
        };

        var response = await PostAsync("subsidy-certificates", name, body, encoding >= 2 ? "text/csv; charset=utf-16" : "text/csv; charset=utf-8");

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(1, (int?)(await _chiyoda.WaitForBatchAsync(name))["acceptedCount"]);
        Assert.Equal("髙橋 﨑子", await StoredNameAsync(40 + encoding));
    }

    [Fact]
    public async Task A_shift_jis_csv_gets_415_naming_the_body_and_saying_to_convert_it_to_utf8_and_stores_nothing()
    {
        var body = Encoding.GetEncoding("shift_jis").GetBytes(BatchBadInputTests.CsvHeader + "\n" + BatchBadInputTests.CsvLine(50, "H-1") + "\n");

        var response = await PostAsync("subsidy-certificates", "sjis", body);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var reason = (string?)(await response.JsonAsync())["errors"]!["body"]![0];
        Assert.StartsWith("is not valid UTF-8: byte ", reason, StringComparison.Ordinal);
        Assert.Contains("Shift_JIS", reason, StringComparison.Ordinal);
        Assert.Contains("iconv -f SHIFT_JIS -t UTF-8", reason, StringComparison.Ordinal);
        Assert.False(await Harness.Sent.Any<PublishSubsidyCertificates>(Quick()));
        Assert.Equal(HttpStatusCode.NotFound, (await _chiyoda.GetAsync("/api/v1/batches/sjis")).StatusCode);
    }

    [Fact]
    public async Task A_csv_declared_as_shift_jis_gets_415_naming_the_content_type()
    {
        var response = await PostAsync("subsidy-certificates", "declared", Encoding.UTF8.GetBytes(Csv(51, "H-1")), "text/csv; charset=Shift_JIS");

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        var reason = (string?)(await response.JsonAsync())["errors"]!["Content-Type"]![0];
        Assert.StartsWith("charset must be utf-8 or utf-16, not 'Shift_JIS'.", reason, StringComparison.Ordinal);
        Assert.False(await Harness.Sent.Any<PublishSubsidyCertificates>(Quick()));
    }

    [Fact]
    public async Task A_vaccination_register_in_shift_jis_gets_the_same_415_from_the_shared_decoder()
    {
        var csv = $"recordKey,myNumber,localPersonId,vaccine,doseNumber,date,lotNumber,institutionCode,programme\nC-1,{TestData.MyNumber(52)},山田-1,MR,1,2026-04-02,M1,1310123458,routineA\n";

        var response = await PostAsync("vaccination-records", "sjis-v", Encoding.GetEncoding("shift_jis").GetBytes(csv));

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Contains("iconv -f SHIFT_JIS -t UTF-8", (string?)(await response.JsonAsync())["errors"]!["body"]![0], StringComparison.Ordinal);
        Assert.False(await Harness.Sent.Any<RegisterVaccinationRecords>(Quick()));
    }

    [Fact]
    public async Task A_json_batch_with_invalid_utf8_gets_415_naming_the_body()
    {
        var json = Encoding.UTF8.GetBytes(TestData.Batch("bad-json", TestData.CertificateRow(TestData.MyNumber(53), "H-1")).ToJsonString());
        var at = Encoding.UTF8.GetString(json).IndexOf("KODOMO01", StringComparison.Ordinal); // ASCII: characters are bytes
        json[at] = 0xFF;

        var response = await PostAsync("subsidy-certificates", "bad-json", json, "application/json");

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.StartsWith($"is not valid UTF-8: byte {at + 1} (line 1)", (string?)(await response.JsonAsync())["errors"]!["body"]![0], StringComparison.Ordinal);
    }
}
