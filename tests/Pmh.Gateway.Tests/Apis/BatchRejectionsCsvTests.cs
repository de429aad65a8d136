using System.Net;
using System.Text;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;
using Pmh.Contracts.Subsidy;
using Pmh.Hosting.Privacy;
using Pmh.Testing;

namespace Pmh.Gateway.Tests.Apis;

/// <summary><c>GET /api/v1/batches/{batchId}/rejections</c>: a batch's refused rows as CSV for its own municipality.</summary>
public sealed class BatchRejectionsCsvTests : IDisposable
{
    private readonly PmhHubFactory _hub = new();
    private readonly HttpClient _chiyoda;

    public BatchRejectionsCsvTests() => _chiyoda = _hub.ClientFor(PmhHubFactory.ChiyodaKey);

    public void Dispose() => _hub.Dispose();

    private async Task PublishMixedAsync(string batchId, string badMyNumber)
    {
        var bad = TestData.CertificateRow(TestData.MyNumber(2), "H-2");
        bad["myNumber"] = badMyNumber;
        bad["validTo"] = "2026-03-01";
        var response = await _chiyoda.PublishAsync(TestData.Chiyoda, TestData.Batch(batchId, TestData.CertificateRow(TestData.MyNumber(1), "H-1"), bad));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }

    [Fact]
    public async Task A_batchs_rejections_are_csv_with_row_field_and_reason_and_no_my_number()
    {
        const string badMyNumber = "123456789019";
        await PublishMixedAsync("b-rej", badMyNumber);

        var response = await _chiyoda.GetAsync("/api/v1/batches/b-rej/rejections");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("utf-8", response.Content.Headers.ContentType?.CharSet);
        Assert.Equal("b-rej-rejections.csv", response.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal(Encoding.UTF8.GetPreamble(), bytes[..3]);
        var csv = Encoding.UTF8.GetString(bytes[3..]);
        Assert.Equal(
            "row,field,reason\r\n1,myNumber,check digit does not match\r\n1,validTo,must not be before validFrom\r\n",
            csv);
        Assert.DoesNotContain(badMyNumber, csv, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_batch_without_rejections_is_the_header_alone()
    {
        Assert.Equal(HttpStatusCode.Accepted, (await _chiyoda.PublishAsync(TestData.Chiyoda, TestData.Batch("b-clean", TestData.CertificateRow(TestData.MyNumber(3), "H-1")))).StatusCode);

        var csv = Encoding.UTF8.GetString((await _chiyoda.GetByteArrayAsync("/api/v1/batches/b-clean/rejections"))[3..]);

        Assert.Equal("row,field,reason\r\n", csv);
    }

    [Fact]
    public async Task An_unknown_batch_and_another_municipalitys_batch_are_404()
    {
        await PublishMixedAsync("b-mine", "123456789019");
        var hachioji = _hub.ClientFor(PmhHubFactory.HachiojiKey);

        var unknown = await _chiyoda.GetAsync("/api/v1/batches/no-such-batch/rejections");
        var other = await hachioji.GetAsync("/api/v1/batches/b-mine/rejections");

        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("application/problem+json", unknown.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.NotFound, other.StatusCode);
    }

    [Fact]
    public async Task Only_a_municipality_reads_rejections()
    {
        await PublishMixedAsync("b-role", "123456789019");

        Assert.Equal(HttpStatusCode.Forbidden, (await _hub.ClientFor(PmhHubFactory.ClinicKey).GetAsync("/api/v1/batches/b-role/rejections")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await _hub.CreateClient().GetAsync("/api/v1/batches/b-role/rejections")).StatusCode);
    }

    [Fact]
    public async Task A_name_that_looks_like_a_formula_is_stored_as_the_text_sent()
    {
        const string formula = "=HYPERLINK(\"http://evil.example\",\"x\")";
        var csv = BatchBadInputTests.CsvHeader + "\n" + BatchBadInputTests.CsvLine(4, "H-1", name: "\"" + formula.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"") + "\n";

        var response = await _chiyoda.PostAsync($"/api/v1/municipalities/{TestData.Chiyoda}/subsidy-certificates?batchId=csv-formula", new StringContent(csv, Encoding.UTF8, "text/csv"));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(1, (int?)(await _chiyoda.WaitForBatchAsync("csv-formula"))["acceptedCount"]);
        var personKey = _hub.Services.GetRequiredService<PersonKeys>().For(Contracts.Identifiers.MyNumber.Parse(TestData.MyNumber(4)));
        var eligibility = await _hub.Services.GetTestHarness().GetRequestClient<CheckSubsidyEligibility>()
            .GetResponse<SubsidyEligibility>(new CheckSubsidyEligibility { PersonKey = personKey, ServiceDate = new DateOnly(2026, 4, 1) });
        Assert.Equal(formula, Assert.Single(eligibility.Message.Certificates).BasicFiveInfo.Name);
    }
}
