using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Npgsql;
using Pmh.Hosting.Http;

namespace Pmh.Hosting.Tests.Http;

public sealed class TransientFaultResponsesTests : IAsyncLifetime
{
    private WebApplication _app = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        builder.Services.AddPmhErrorHandling();
        _app = builder.Build();
        _app.UsePmhErrorHandling();
        _app.MapGet("/database-away", () =>
        {
            throw new NpgsqlException("Failed to connect to 127.0.0.1:5433", new SocketException((int)SocketError.ConnectionRefused));
        });
        _app.MapGet("/defect", () =>
        {
            throw new InvalidOperationException("a defect");
        });
        _app.MapGet("/busy", () => Results.StatusCode(StatusCodes.Status503ServiceUnavailable));
        await _app.StartAsync();
        _client = _app.GetTestClient();
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _app.DisposeAsync();
    }

    [Fact]
    public async Task A_database_that_cannot_be_reached_is_answered_503_with_retry_after_and_a_problem()
    {
        var response = await _client.GetAsync("/database-away");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(TransientFaultResponses.RetryAfterSeconds), response.Headers.RetryAfter?.Delta);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("Service temporarily unavailable", (string?)problem["title"]);
        Assert.DoesNotContain("5433", problem.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_defect_stays_a_500()
    {
        var response = await _client.GetAsync("/defect");

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
    }

    [Fact]
    public async Task Every_503_carries_retry_after()
    {
        var response = await _client.GetAsync("/busy");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.NotNull(response.Headers.RetryAfter);
    }

    [Theory]
    [InlineData("Nullable<long>", "a whole number")]
    [InlineData("long?", "a whole number")]
    [InlineData("int", "a whole number")]
    [InlineData("Nullable<DateOnly>", "a date (yyyy-MM-dd)")]
    [InlineData("DateOnly", "a date (yyyy-MM-dd)")]
    [InlineData("System.Guid", "an id (a GUID)")]
    [InlineData("bool?", "true or false")]
    [InlineData("decimal", "a number")]
    [InlineData("SomethingElse", "a value of the expected kind")]
    public void A_parameter_type_is_described_in_words(string type, string words)
    {
        Assert.Equal(words, Pmh.Hosting.Http.TransientFaultResponses.BadRequestHandler.Describe(type));
    }
}
