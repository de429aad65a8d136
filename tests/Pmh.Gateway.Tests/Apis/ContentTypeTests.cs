using System.Net;
using System.Text;
using Pmh.Testing;

namespace Pmh.Gateway.Tests.Apis;

/// <summary>A JSON endpoint reads only a body that says it is JSON: a form post, XML, text or an untyped body is refused with 415.</summary>
public sealed class ContentTypeTests : IDisposable
{
    private readonly PmhHubFactory _hub = new();

    public void Dispose() => _hub.Dispose();

    private static ByteArrayContent Body(string json, string? contentType)
    {
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(json));
        if (contentType is not null)
        {
            content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        }

        return content;
    }

    [Theory]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData("multipart/form-data; boundary=x")]
    [InlineData("application/xml")]
    [InlineData("text/plain")]
    [InlineData(null)]
    public async Task A_co_payment_whose_body_is_not_typed_as_JSON_gets_415_naming_the_content_type(string? contentType)
    {
        var response = await _hub.ClientFor(PmhHubFactory.ClinicKey).PostAsync(
            "/api/v1/copayments", Body("""{"checkId":"x","certificateId":"y","receiptId":"r","amountYen":"10"}""", contentType));

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal("must be application/json", (string?)(await response.JsonAsync())["errors"]!["Content-Type"]![0]);
    }

    [Fact]
    public async Task A_batch_without_a_content_type_gets_415_and_is_not_stored()
    {
        var client = _hub.ClientFor(PmhHubFactory.ChiyodaKey);
        var batch = TestData.Batch("untyped-1", TestData.CertificateRow(TestData.MyNumber(1), "H-1"));

        var response = await client.PostAsync($"/api/v1/municipalities/{TestData.Chiyoda}/subsidy-certificates", Body(batch.ToJsonString(), null));

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/api/v1/batches/untyped-1")).StatusCode);
    }

    [Theory]
    [InlineData("application/json")]
    [InlineData("application/json; charset=utf-8")]
    [InlineData("Application/JSON")]
    [InlineData("application/merge-patch+json")]
    public async Task A_body_typed_as_JSON_in_any_spelling_is_read(string contentType)
    {
        var response = await _hub.ClientFor(PmhHubFactory.ClinicKey).PostAsync(
            "/api/v1/copayments", Body("""{"checkId":"no-such-check","certificateId":"y","receiptId":"r","amountYen":"10"}""", contentType));

        Assert.NotEqual(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.True((int)response.StatusCode is >= 400 and < 500);
    }

    [Fact]
    public async Task A_body_over_64_KiB_gets_413_naming_the_limit_and_changes_nothing()
    {
        var note = new string('あ', 30_000);
        var response = await _hub.ClientFor(PmhHubFactory.ClinicKey).PostAsync(
            "/api/v1/maternal-child/voucher-redemptions",
            Body($$"""{"checkId":"x","voucher":"V-1","redemptionId":"r-big","date":"2026-05-01","notes":"{{note}}"}""", "application/json"));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.StartsWith("must be at most 64 KiB", (string?)(await response.JsonAsync())["errors"]!["body"]![0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_JSON_body_with_a_byte_order_mark_is_read()
    {
        const string json = """{"checkId":"no-such-check","certificateId":"y","receiptId":"r","amountYen":"10"}""";
        var desk = _hub.ClientFor(PmhHubFactory.ClinicKey);

        var withMark = await desk.PostAsync("/api/v1/copayments", Body("\uFEFF" + json, "application/json"));
        var without = await desk.PostAsync("/api/v1/copayments", Body(json, "application/json"));

        Assert.Equal(without.StatusCode, withMark.StatusCode);
        var problem = await withMark.JsonAsync();
        Assert.Equal((await without.JsonAsync())["errors"]?.ToJsonString(), problem["errors"]?.ToJsonString());
        Assert.DoesNotContain("body", problem["errors"]?.AsObject().Select(e => e.Key) ?? []);
    }
}
