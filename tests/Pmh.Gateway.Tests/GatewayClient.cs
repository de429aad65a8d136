using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Pmh.Gateway.Tests;

/// <summary>Small helpers over the gateway's HTTP API.</summary>
internal static class GatewayClient
{
    public static Task<HttpResponseMessage> PublishAsync(this HttpClient client, string municipality, JsonNode body) =>
        client.PostAsync(
            $"/api/v1/municipalities/{municipality}/subsidy-certificates",
            new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"));

    public static Task<HttpResponseMessage> PublishRawAsync(this HttpClient client, string municipality, string body, string contentType = "application/json") =>
        client.PostAsync($"/api/v1/municipalities/{municipality}/subsidy-certificates", new StringContent(body, Encoding.UTF8, contentType));

    public static async Task<JsonObject> JsonAsync(this HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonObject>())!;

    /// <summary>Polls the batch until its service has applied it (or failed it).</summary>
    public static async Task<JsonObject> WaitForBatchAsync(this HttpClient client, string batchId)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var batch = await (await client.GetAsync($"/api/v1/batches/{batchId}")).JsonAsync();
            if ((string?)batch["status"] != "accepted")
            {
                return batch;
            }

            Assert.True(DateTime.UtcNow < deadline, $"batch {batchId} still accepted after 30 s");
            await Task.Delay(25);
        }
    }

    public static string Errors(this JsonObject problem) => problem["errors"]?.ToJsonString(new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) ?? "";
}
