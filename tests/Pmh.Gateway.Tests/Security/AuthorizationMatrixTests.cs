using System.Net;
using System.Text;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Pmh.Gateway.Participants;
using Pmh.Modules;
using Pmh.Modules.Participants;
using Pmh.Testing;

namespace Pmh.Gateway.Tests.Security;

/// <summary>
/// Every mapped API endpoint against every role: the declared policy decides, and an endpoint that declares none is
/// a failure here, so a new endpoint cannot slip in unprotected.
/// </summary>
public sealed class AuthorizationMatrixTests : IDisposable
{
    /// <summary>The declared policy of every endpoint: the roles it admits (empty = anonymous, proven otherwise).</summary>
    private static readonly Dictionary<string, ParticipantRole[]> Declared = new(StringComparer.Ordinal)
    {
        [GatewayPolicies.Municipality] = [ParticipantRole.Municipality],
        [GatewayPolicies.Reception] = [ParticipantRole.MedicalInstitution, ParticipantRole.Pharmacy],
        [GatewayPolicies.CardIssuer] = [ParticipantRole.CardIssuer],
        [GatewayPolicies.Operator] = [ParticipantRole.Operator],
    };

    private static readonly Dictionary<ParticipantRole, (string Key, string Code)> Keys = new()
    {
        [ParticipantRole.Municipality] = (PmhHubFactory.ChiyodaKey, TestData.Chiyoda),
        [ParticipantRole.MedicalInstitution] = (PmhHubFactory.ClinicKey, PmhHubFactory.ClinicCode),
        [ParticipantRole.Pharmacy] = (PmhHubFactory.PharmacyKey, PmhHubFactory.PharmacyCode),
        [ParticipantRole.CardIssuer] = (PmhHubFactory.CardIssuerKey, ""),
        [ParticipantRole.Operator] = (PmhHubFactory.OperatorKey, ""),
    };

    private readonly PmhHubFactory _hub = new();

    public void Dispose() => _hub.Dispose();

    private IReadOnlyList<(RouteEndpoint Endpoint, string Method)> ApiEndpoints()
    {
        _ = _hub.Server;
        return _hub.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/api/", StringComparison.Ordinal) == true)
            .SelectMany(e => (e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()?.HttpMethods ?? ["GET"]).Select(m => (e, m)))
            .ToList();
    }

    [Fact]
    public void Every_endpoint_declares_a_known_policy_or_is_deliberately_anonymous()
    {
        var endpoints = ApiEndpoints();
        Assert.True(endpoints.Count >= 20, $"only {endpoints.Count} endpoints found");
        foreach (var (endpoint, method) in endpoints)
        {
            var name = $"{method} {endpoint.RoutePattern.RawText}";
            if (endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null)
            {
                Assert.StartsWith("/api/v1/me/", endpoint.RoutePattern.RawText, StringComparison.Ordinal);
                continue;
            }

            var policies = endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>().Select(a => a.Policy).Where(p => p is not null).ToList();
            var policy = Assert.Single(policies);
            Assert.True(Declared.ContainsKey(policy!), $"{name} uses an undeclared policy {policy}");
        }
    }

    [Fact]
    public async Task Every_role_is_allowed_or_denied_each_endpoint_as_declared()
    {
        var failures = new List<string>();
        foreach (var (endpoint, method) in ApiEndpoints())
        {
            var anonymous = endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null;
            var policy = endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>().Select(a => a.Policy).FirstOrDefault(p => p is not null);
            foreach (var (role, (key, code)) in Keys)
            {
                var allowed = anonymous || (policy is not null && Declared[policy].Contains(role));
                var client = _hub.ClientFor(key);
                var response = await client.SendAsync(Request(endpoint, method, code));
                var denied = response.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.Unauthorized;
                if (allowed == denied)
                {
                    failures.Add($"{role} {method} {endpoint.RoutePattern.RawText}: {(int)response.StatusCode}, expected {(allowed ? "allowed" : "denied")}");
                }
            }

            if (!anonymous)
            {
                var response = await _hub.CreateClient().SendAsync(Request(endpoint, method, TestData.Chiyoda));
                if (response.StatusCode != HttpStatusCode.Unauthorized)
                {
                    failures.Add($"anonymous {method} {endpoint.RoutePattern.RawText}: {(int)response.StatusCode}, expected 401");
                }
            }
        }

        Assert.Empty(failures);
    }

    /// <summary>A request the endpoint can route: its own code for {code}, made-up ids elsewhere, an empty JSON body.</summary>
    private static HttpRequestMessage Request(RouteEndpoint endpoint, string method, string code)
    {
        var path = endpoint.RoutePattern.RawText!;
        foreach (var parameter in endpoint.RoutePattern.Parameters)
        {
            var value = parameter.Name == "code" ? (string.IsNullOrEmpty(code) ? TestData.Chiyoda : code) : Guid.NewGuid().ToString();
            path = path.Replace("{" + parameter.Name + "}", value, StringComparison.Ordinal);
        }

        return new HttpRequestMessage(new HttpMethod(method), path)
        {
            Content = method is "POST" or "PUT" ? new StringContent("{}", Encoding.UTF8, "application/json") : null,
        };
    }
}
