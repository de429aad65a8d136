using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Pmh.Testing;

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
    public static Task<JsonObject> WaitForBatchAsync(this HttpClient client, string batchId) =>
        Eventually.UntilAsync(
            async () => await (await client.GetAsync($"/api/v1/batches/{batchId}")).JsonAsync(),
            batch => (string?)batch["status"] != "accepted",
            $"batch {batchId} to leave \"accepted\"");

    public static string Errors(this JsonObject problem) => problem["errors"]?.ToJsonString(new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) ?? "";
}
