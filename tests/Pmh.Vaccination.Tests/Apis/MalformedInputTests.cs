using System.Net;
using System.Text;
using Pmh.Testing;

namespace Pmh.Vaccination.Tests.Apis;

/// <summary>Malformed bodies on the vaccination endpoints: a 4xx every time, never a 5xx or a 2xx.</summary>
public sealed class MalformedInputTests : IDisposable
{
    private static readonly string Huge = new('A', 1_000_000);
    private readonly PmhHubFactory _hub = new();

    public void Dispose() => _hub.Dispose();

    public static TheoryData<string, string, string> Bodies() => new()
    {
        { "/api/v1/vaccinations", "json", "null" },
        { "/api/v1/vaccinations", "json", "[]" },
        { "/api/v1/vaccinations", "json", "{\"checkId\":null,\"submissionId\":null,\"vaccine\":null,\"doseNumber\":null,\"date\":null,\"programme\":null}" },
        { "/api/v1/vaccinations", "json", "{\"checkId\":{},\"vaccine\":[null],\"doseNumber\":1e400,\"date\":[]}" },
        { "/api/v1/vaccinations", "json", $"{{\"checkId\":\"{Guid.NewGuid()}\",\"submissionId\":\"s\\u0000\",\"vaccine\":\"HIB\\u0000\",\"doseNumber\":\"1\\u0000\",\"date\":\"2025-08-01\\u0000\",\"programme\":\"routineA\"}}" },
        { "/api/v1/vaccinations", "json", $"{{\"checkId\":\"{Guid.NewGuid()}\",\"submissionId\":\"{Huge}\",\"vaccine\":\"{Huge}\",\"lotNumber\":\"{Huge}\",\"doseNumber\":1,\"date\":\"2025-08-01\",\"programme\":\"routineA\"}}" },
        { "/api/v1/municipalities/131016/vaccination-records", "json", "{\"batchId\":\"b1\",\"records\":null}" },
        { "/api/v1/municipalities/131016/vaccination-records", "json", "{\"batchId\":\"b2\",\"records\":[null]}" },
        { "/api/v1/municipalities/131016/vaccination-records", "json", "{\"batchId\":\"b3\",\"records\":[{\"recordKey\":null,\"myNumber\":null,\"vaccine\":null,\"doseNumber\":null,\"date\":null,\"programme\":null}]}" },
        { "/api/v1/municipalities/131016/vaccination-records", "json", "{\"batchId\":\"b4\\u0000\",\"records\":[{\"recordKey\":\"k\\u0000\",\"myNumber\":\"123456789018\\u0000\",\"vaccine\":\"HIB\",\"doseNumber\":1,\"date\":\"2025-01-01\",\"programme\":\"routineA\"}]}" },
        { "/api/v1/municipalities/131016/vaccination-records", "json", $"{{\"batchId\":\"{Huge}\",\"records\":[{{\"recordKey\":\"{Huge}\"}}]}}" },
        { "/api/v1/municipalities/131016/vaccination-records", "csv", "recordKey,myNumber,vaccine,doseNumber,date,programme\n\0,\0,\0,\0,\0,\0\n" },
        { "/api/v1/municipalities/131016/vaccination-records", "csv", "recordKey,myNumber,vaccine,doseNumber,date,programme\n\"unterminated\n" },
        { "/api/v1/municipalities/131016/vaccination-records", "csv", "recordKey,recordKey,myNumber,vaccine,doseNumber,date,programme\nA,B,123456789018,HIB,1,2025-01-01,routineA\n" },
    };

    [Theory]
    [MemberData(nameof(Bodies))]
    public async Task A_malformed_body_gets_a_4xx_never_a_5xx_or_a_2xx(string path, string kind, string body)
    {
        var client = _hub.ClientFor(path.Contains("municipalities", StringComparison.Ordinal) ? PmhHubFactory.ChiyodaKey : PmhHubFactory.ClinicKey);

        var response = await client.PostAsync(path, new StringContent(body, Encoding.UTF8, kind == "csv" ? "text/csv" : "application/json"));

        Assert.True((int)response.StatusCode is >= 400 and < 500, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        Assert.NotEqual(HttpStatusCode.NotFound, response.StatusCode);
    }
}
