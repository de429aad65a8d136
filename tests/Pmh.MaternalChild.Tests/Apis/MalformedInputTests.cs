using System.Net;
using System.Text;
using Pmh.Testing;

namespace Pmh.MaternalChild.Tests.Apis;

/// <summary>Malformed bodies on the maternal-child endpoints: a 4xx every time, never a 5xx or a 2xx.</summary>
public sealed class MalformedInputTests : IDisposable
{
    private static readonly string Huge = new('A', 1_000_000);
    private readonly PmhHubFactory _hub = new();

    public void Dispose() => _hub.Dispose();

    public static TheoryData<string, string> Bodies() => new()
    {
        { "/api/v1/maternal-child/voucher-redemptions", "null" },
        { "/api/v1/maternal-child/voucher-redemptions", "{\"checkId\":null,\"voucher\":null,\"redemptionId\":null,\"date\":null,\"gestationalWeek\":null}" },
        { "/api/v1/maternal-child/voucher-redemptions", $"{{\"checkId\":\"{Guid.NewGuid()}\",\"voucher\":\"v\\u0000\",\"redemptionId\":\"r-1\",\"date\":\"2026-05-01\",\"gestationalWeek\":\"99999999999\",\"weightKg\":\"1e5\",\"heightCm\":\"79228162514264337593543950336\"}}" },
        { "/api/v1/maternal-child/voucher-redemptions", $"{{\"checkId\":\"{Guid.NewGuid()}\",\"voucher\":\"{Huge}\",\"redemptionId\":\"r-1\",\"date\":\"2026-05-01\",\"gestationalWeek\":10,\"notes\":\"{Huge}\"}}" },
        { "/api/v1/maternal-child/infant-checkups", "[]" },
        { "/api/v1/maternal-child/infant-checkups", "{\"checkId\":[null],\"checkup\":{},\"date\":1,\"ageMonths\":-1}" },
        { "/api/v1/maternal-child/infant-checkups", $"{{\"checkId\":\"{Guid.NewGuid()}\",\"submissionId\":\"s-1\",\"checkup\":\"1m\\u0000\",\"date\":\"2026-05-01\",\"ageMonths\":1}}" },
        { "/api/v1/municipalities/131016/children", "{\"batchId\":\"c1\",\"children\":[null]}" },
        { "/api/v1/municipalities/131016/children", "{\"batchId\":\"c2\",\"children\":null}" },
        { "/api/v1/municipalities/131016/children", "{\"batchId\":\"c3\",\"children\":[{\"recordKey\":null,\"myNumber\":null,\"birthDate\":null,\"pregnancyRecordKey\":null}]}" },
        { "/api/v1/municipalities/131016/children", $"{{\"batchId\":\"c4\",\"children\":[{{\"recordKey\":\"{Huge}\",\"pregnancyRecordKey\":\"{Huge}\"}}]}}" },
        { "/api/v1/municipalities/131016/pregnancies", "{\"batchId\":\"p1\",\"pregnancies\":[null,{}]}" },
        { "/api/v1/municipalities/131016/pregnancies", "{\"batchId\":\"p2\",\"pregnancies\":[{\"recordKey\":\"k\\u0000\",\"myNumber\":\"123456789018\",\"dueDate\":\"2026-10-01\\u0000\",\"registrationDate\":\"2026-03-01\"}]}" },
    };

    [Theory]
    [MemberData(nameof(Bodies))]
    public async Task A_malformed_body_gets_a_4xx_never_a_5xx_or_a_2xx(string path, string body)
    {
        var client = _hub.ClientFor(path.Contains("municipalities", StringComparison.Ordinal) ? PmhHubFactory.ChiyodaKey : PmhHubFactory.ClinicKey);

        var response = await client.PostAsync(path, new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.True((int)response.StatusCode is >= 400 and < 500, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        Assert.NotEqual(HttpStatusCode.NotFound, response.StatusCode);
    }
}
