using System.Net;
using System.Text.Json.Nodes;
using Pmh.Testing;

namespace Pmh.Gateway.Tests.Apis;

/// <summary>
/// The OpenAPI document a newcomer (or a generated client) relies on: every body, every success and refusal with
/// its schema, the bearer scheme; and the interactive reference at <c>/docs</c>, open to anyone.
/// </summary>
public sealed class OpenApiDocumentTests : IDisposable
{
    /// <summary>The POSTs that take no body: a challenge is asked for, a key is issued, dead letters are replayed.</summary>
    private static readonly HashSet<string> Bodiless = new(StringComparer.Ordinal) { "IssueReceptionChallenge", "CitizenChallenge", "IssueParticipantKey", "ReplayDeadLetter", "ReplayDeadLetters", "ApprovePendingVaccinationClaimLines" };

    /// <summary>
    /// Operations that can refuse nothing of their own: only the rate limit (429, documented on every operation)
    /// stands between anyone and a citizen's challenge.
    /// </summary>
    private static readonly HashSet<string> NoOwnRefusal = new(StringComparer.Ordinal) { "CitizenChallenge" };

    /// <summary>The refusals the document transformer adds to every (authenticated) operation.</summary>
    private static readonly HashSet<string> Global = new(StringComparer.Ordinal) { "401", "429" };

    private readonly PmhHubFactory _hub = new();

    public void Dispose() => _hub.Dispose();

    private async Task<JsonObject> DocumentAsync()
    {
        var response = await _hub.CreateClient().GetAsync("/openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
    }

    private static IEnumerable<(string Name, string Method, JsonObject Operation)> ApiOperations(JsonObject document) =>
        document["paths"]!.AsObject()
            .Where(p => p.Key.StartsWith("/api/", StringComparison.Ordinal))
            .SelectMany(p => p.Value!.AsObject()
                .Where(m => m.Key is "get" or "post" or "put" or "patch" or "delete")
                .Select(m => ($"{m.Key.ToUpperInvariant()} {p.Key} ({m.Value!["operationId"]})", m.Key, m.Value!.AsObject())));

    private static bool HasSchemas(JsonNode? content) =>
        content is JsonObject media && media.Count > 0 && media.All(m => m.Value?["schema"] is JsonObject);

    /// <summary>Every operation's shortcomings, one line each, so a failure names what to fix where.</summary>
    private static List<string> Offenders(JsonObject document)
    {
        var offenders = new List<string>();
        foreach (var (name, method, operation) in ApiOperations(document))
        {
            var id = operation["operationId"]?.GetValue<string>() ?? "";
            var responses = operation["responses"]?.AsObject() ?? [];
            if (method is "post" or "put" && !Bodiless.Contains(id) && !HasSchemas(operation["requestBody"]?["content"]))
            {
                offenders.Add($"{name}: no requestBody with a schema");
            }

            if (!responses.Any(r => r.Key == "204" || (r.Key.StartsWith('2') && HasSchemas(r.Value?["content"]))))
            {
                offenders.Add($"{name}: no 2xx response with a schema (nor 204)");
            }

            var refusals = responses.Where(r => r.Key.StartsWith('4')).ToList();
            foreach (var refusal in refusals.Where(r => !HasSchemas(r.Value?["content"])))
            {
                offenders.Add($"{name}: {refusal.Key} without a schema");
            }

            if (!NoOwnRefusal.Contains(id) && !refusals.Any(r => !Global.Contains(r.Key) && HasSchemas(r.Value?["content"])))
            {
                offenders.Add($"{name}: no 4xx of its own (besides 401/429) with the problem-details schema");
            }

            if (!id.StartsWith("Citizen", StringComparison.Ordinal) && operation["security"] is not JsonArray { Count: > 0 })
            {
                offenders.Add($"{name}: no bearer security requirement");
            }
        }

        return offenders;
    }

    [Fact]
    public async Task Every_operation_documents_its_body_its_success_and_its_refusals_with_schemas()
    {
        var document = await DocumentAsync();
        Assert.True(ApiOperations(document).Count() >= 20, "the document lists too few operations");

        var offenders = Offenders(document);
        Assert.True(offenders.Count == 0, $"{offenders.Count} shortcoming(s):{Environment.NewLine}{string.Join(Environment.NewLine, offenders)}");
    }

    [Fact]
    public async Task Each_kind_of_batch_upload_documents_its_rows_under_the_kinds_own_field()
    {
        var document = await DocumentAsync();
        var expected = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["/api/v1/municipalities/{code}/subsidy-certificates"] = "certificates",
            ["/api/v1/municipalities/{code}/vaccination-records"] = "records",
            ["/api/v1/municipalities/{code}/vaccination-prices"] = "prices",
        };
        // An upload is POST /municipalities/{code}/{kind}; deeper municipal POSTs (claim decisions) are not batches.
        const string prefix = "/api/v1/municipalities/{code}/";
        var uploads = document["paths"]!.AsObject()
            .Where(p => p.Key.StartsWith(prefix, StringComparison.Ordinal) && !p.Key[prefix.Length..].Contains('/', StringComparison.Ordinal) && p.Value?["post"] is not null)
            .ToList();
        Assert.NotEmpty(uploads);
        foreach (var (path, item) in uploads)
        {
            var schema = item!["post"]!["requestBody"]!["content"]!["application/json"]!["schema"]!.AsObject();
            var properties = schema["properties"]!.AsObject().Select(p => p.Key).ToList();
            Assert.Contains("batchId", properties);
            Assert.DoesNotContain("rows", properties);
            Assert.Equal("array", schema["properties"]![properties.Single(p => p != "batchId")]!["type"]!.GetValue<string>());
            if (expected.TryGetValue(path, out var field))
            {
                Assert.Contains(field, properties);
            }
        }
    }

    [Fact]
    public async Task The_api_key_is_documented_as_a_bearer_scheme_and_anonymous_operations_need_none()
    {
        var document = await DocumentAsync();
        var scheme = document["components"]?["securitySchemes"]?["Bearer"];
        Assert.NotNull(scheme);
        Assert.Equal("http", scheme!["type"]!.GetValue<string>());
        Assert.Equal("bearer", scheme["scheme"]!.GetValue<string>());

        var citizen = ApiOperations(document).Where(o => o.Name.Contains("/api/v1/me/", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(citizen);
        Assert.All(citizen, o => Assert.Null(o.Operation["security"]));
    }

    [Fact]
    public async Task The_interactive_reference_answers_anyone_with_html_and_loads_nothing_from_the_internet()
    {
        var client = _hub.CreateClient();
        var page = await client.GetAsync("/docs/");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        var html = await page.Content.ReadAsStringAsync();
        // Scalar resolves the source against the app's base path (the page's path less the /docs/ prefix): /openapi/v1.json.
        Assert.Contains("\"url\":\"openapi/v1.json\"", html, StringComparison.Ordinal);
        Assert.Contains("\"preferredSecurityScheme\":[\"Bearer\"]", html, StringComparison.Ordinal);
        Assert.DoesNotMatch("<script[^>]+src=\"https?://", html);

        var bundle = await client.GetAsync("/docs/scalar.js");
        Assert.Equal(HttpStatusCode.OK, bundle.StatusCode);
        Assert.True((await bundle.Content.ReadAsByteArrayAsync()).Length > 100_000, "the bundled Scalar script is missing");

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/docs")).StatusCode);
    }
}
