using System.Net;
using Pmh.Testing;

namespace Pmh.Gateway.Tests.Apis;

/// <summary>Query values that cannot be bound are refused with a problem naming the parameter, never a 500.</summary>
public sealed class UnboundQueryTests : IDisposable
{
    private readonly PmhHubFactory _hub = new();
    private readonly HttpClient _chiyoda;

    public UnboundQueryTests() => _chiyoda = _hub.ClientFor(PmhHubFactory.ChiyodaKey);

    public void Dispose() => _hub.Dispose();

    [Theory]
    [InlineData("vaccination-events", "after=abc", "after")]
    [InlineData("vaccination-events", "after=0x10", "after")]
    [InlineData("vaccination-events", "after=0&after=5", "after")]
    [InlineData("vaccination-events", "limit=1.5", "limit")]
    [InlineData("vaccination-events", "limit=2147483648", "limit")]
    [InlineData("maternal-child-events", "after=abc", "after")]
    [InlineData("maternal-child-events", "limit=1.5", "limit")]
    public async Task A_feed_query_value_that_is_not_a_number_is_a_400_naming_the_parameter(string feed, string query, string parameter)
    {
        var response = await _chiyoda.GetAsync($"/api/v1/municipalities/{TestData.Chiyoda}/{feed}?{query}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.JsonAsync();
        Assert.NotNull(problem["errors"]?[parameter]);
    }

    [Theory]
    [InlineData("after=abc", "after", "cannot be read from \"abc\" as a whole number")]
    [InlineData("limit=1.5", "limit", "cannot be read from \"1.5\" as a whole number")]
    public async Task The_reason_names_the_kind_of_value_expected_in_words_not_a_dotnet_type(string query, string parameter, string reason)
    {
        var response = await _chiyoda.GetAsync($"/api/v1/municipalities/{TestData.Chiyoda}/vaccination-events?{query}");

        var problem = await response.JsonAsync();
        Assert.Equal(reason, (string?)problem["errors"]![parameter]![0]);
        Assert.DoesNotContain("Nullable", problem.ToJsonString(), StringComparison.Ordinal);
    }
}
