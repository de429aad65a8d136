using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Xunit;

namespace Pmh.Testing;

/// <summary>
/// The broker and management API of the RabbitMQ tests: <c>PMH_TEST_RABBITMQ</c> and
/// <c>PMH_TEST_RABBITMQ_MANAGEMENT</c> (set by <c>infra/test.sh</c>); without them, or without an answer, the
/// tests are skipped with the reason.
/// </summary>
public static class RabbitMqManagement
{
    public static Uri? Amqp { get; } = Environment.GetEnvironmentVariable("PMH_TEST_RABBITMQ") is { Length: > 0 } a ? new Uri(a) : null;

    public static Uri? Url { get; } = Environment.GetEnvironmentVariable("PMH_TEST_RABBITMQ_MANAGEMENT") is { Length: > 0 } m ? new Uri(m) : null;

    private static readonly Lazy<string?> Problem = new(() =>
    {
        if (Amqp is null || Url is null)
        {
            return "RabbitMQ dead-letter tests need PMH_TEST_RABBITMQ and PMH_TEST_RABBITMQ_MANAGEMENT (infra/test.sh sets both).";
        }

        try
        {
            using var client = Client();
            using var response = client.GetAsync("api/overview").GetAwaiter().GetResult();
            return response.IsSuccessStatusCode ? null : $"The RabbitMQ management API at {Url.Host}:{Url.Port} answered {(int)response.StatusCode}.";
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return $"The RabbitMQ management API is not reachable at {Url.Host}:{Url.Port} ({e.Message}); infra/rabbitmq.sh start enables it " +
                   "(a node started before the plugin was enabled must be restarted).";
        }
    });

    public static string? WhyNot => Problem.Value;

    public static async Task CreateVirtualHostAsync(string vhost)
    {
        using var client = Client();
        (await client.PutAsync($"api/vhosts/{vhost}", null)).EnsureSuccessStatusCode();
        var user = Uri.UnescapeDataString(Url!.UserInfo.Split(':')[0]);
        (await client.PutAsJsonAsync($"api/permissions/{vhost}/{user}", new { configure = ".*", write = ".*", read = ".*" })).EnsureSuccessStatusCode();
    }

    public static async Task DeleteVirtualHostAsync(string vhost)
    {
        using var client = Client();
        await client.DeleteAsync($"api/vhosts/{vhost}");
    }

    /// <summary>A queue as the management API describes it (<c>type</c>, <c>durable</c>, <c>arguments</c>, …).</summary>
    public static async Task<JsonObject> GetQueueAsync(string vhost, string queue)
    {
        using var client = Client();
        return (await client.GetFromJsonAsync<JsonObject>($"api/queues/{Uri.EscapeDataString(vhost)}/{Uri.EscapeDataString(queue)}"))!;
    }

    /// <summary>Closes every client connection of a vhost, as a broker restart or a network cut would; returns how many.</summary>
    public static async Task<int> CloseConnectionsAsync(string vhost)
    {
        using var client = Client();
        var connections = (await client.GetFromJsonAsync<JsonArray>($"api/vhosts/{Uri.EscapeDataString(vhost)}/connections"))!;
        foreach (var name in connections.Select(c => (string)c!["name"]!))
        {
            (await client.DeleteAsync($"api/connections/{Uri.EscapeDataString(name)}")).EnsureSuccessStatusCode();
        }

        return connections.Count;
    }

    private static HttpClient Client()
    {
        var client = new HttpClient
        {
            BaseAddress = new UriBuilder(Url!) { UserName = "", Password = "" }.Uri,
            Timeout = TimeSpan.FromSeconds(5),
        };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(
            "Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(Uri.UnescapeDataString(Url!.UserInfo))));
        return client;
    }
}

/// <summary>A fact that runs only when the test broker and its management API answer, and otherwise says why not.</summary>
public sealed class RabbitMqManagementFactAttribute : FactAttribute
{
    public RabbitMqManagementFactAttribute()
    {
        if (RabbitMqManagement.WhyNot is { } why)
        {
            Skip = why;
        }
    }
}
