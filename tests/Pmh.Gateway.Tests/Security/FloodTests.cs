using System.Net;
using Pmh.Testing;

namespace Pmh.Gateway.Tests.Security;

/// <summary>What many quick requests may not do: starve the health probes, or fill the audit log.</summary>
public sealed class FloodTests
{
    private static PmhHubFactory Limited() => new(settings: new Dictionary<string, string?>
    {
        ["Pmh:Gateway:RateLimit:PermitsPerSecond"] = "1",
        ["Pmh:Gateway:RateLimit:Burst"] = "3",
    });

    [Fact]
    public async Task A_hundred_and_fifty_quick_health_probes_are_never_rate_limited_and_leave_the_address_its_api_budget()
    {
        await using var hub = Limited();
        var probe = hub.CreateClient();

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 150; i++)
        {
            statuses.Add((await probe.GetAsync(i % 2 == 0 ? "/health/ready" : "/health/live")).StatusCode);
        }

        Assert.DoesNotContain(HttpStatusCode.TooManyRequests, statuses);
        // The same address still has its whole burst for the API, and past it the limit holds (the positive control).
        var api = new List<HttpStatusCode>();
        for (var i = 0; i < 6; i++)
        {
            api.Add((await probe.GetAsync("/api/v1/batches/none")).StatusCode);
        }

        Assert.Equal(HttpStatusCode.Unauthorized, api[0]);
        Assert.Contains(HttpStatusCode.TooManyRequests, api);
    }
}
