using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using System.Text.Json.Nodes;
using MassTransit.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Pmh.Contracts.Audit;
using Pmh.Identity.Simulator;
using Pmh.Testing;

namespace Pmh.Gateway.Tests.Security;

public sealed class AccessAndAuditTests : IDisposable
{
    private readonly PmhHubFactory _hub = new();

    public void Dispose() => _hub.Dispose();

    private ITestHarness Harness => _hub.Services.GetTestHarness();

    /// <summary>The audited events that match, once at least one has been published; fails when none is within the timeout.</summary>
    private async Task<IReadOnlyList<AccessRecorded>> AuditedAsync(
        Func<AccessRecorded, bool> which, [System.Runtime.CompilerServices.CallerArgumentExpression(nameof(which))] string awaited = "") =>
        await Eventually.UntilAsync(
            () => Harness.Published.Select<AccessRecorded>().Select(m => m.Context.Message).Where(which).ToList(),
            found => found.Count > 0,
            $"an AccessRecorded event where {awaited}");

    [Fact]
    public async Task Cross_tenant_attempts_are_denied_and_audited()
    {
        var chiyoda = _hub.ClientFor(PmhHubFactory.ChiyodaKey);
        var pharmacy = _hub.ClientFor(PmhHubFactory.PharmacyKey);
        var clinic = _hub.ClientFor(PmhHubFactory.ClinicKey);
        using var card = _hub.Cards.Issue();
        await ReceptionDesk.RegisterCardAsync(_hub.ClientFor(PmhHubFactory.CardIssuerKey), card, TestData.MyNumber(1));
        var checkId = (string?)(await (await ReceptionDesk.CheckAsync(clinic, card, new { subsidy = true })).JsonAsync())["checkId"];

        var otherMunicipality = await chiyoda.PublishAsync(TestData.Hachioji, TestData.Batch("x", TestData.CertificateRow(TestData.MyNumber(2), "H-1")));
        var otherCheck = await pharmacy.GetAsync($"/api/v1/reception/checks/{checkId}");
        var pharmacyPublishing = await pharmacy.PublishAsync(TestData.Chiyoda, TestData.Batch("y", TestData.CertificateRow(TestData.MyNumber(3), "H-1")));

        Assert.Equal(HttpStatusCode.Forbidden, otherMunicipality.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, otherCheck.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, pharmacyPublishing.StatusCode);
        Assert.NotEmpty(await AuditedAsync(a => a.ParticipantId == "chiyoda" && a.Outcome == AccessOutcomes.Denied && a.Detail == "403"));
        Assert.NotEmpty(await AuditedAsync(a => a.ParticipantId == "pharmacy" && a.Outcome == AccessOutcomes.Denied && a.Detail == "404"
            && a.Purpose == "GET /api/v1/reception/checks/{checkId}"));
        Assert.NotEmpty(await AuditedAsync(a => a.ParticipantId == "pharmacy" && a.Outcome == AccessOutcomes.Denied && a.Purpose.Contains("subsidy-certificates", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Disclosures_refusals_and_rejected_cards_are_audited_without_any_My_Number()
    {
        var myNumber = TestData.MyNumber(10);
        var clinic = _hub.ClientFor(PmhHubFactory.ClinicKey);
        using var card = _hub.Cards.Issue();
        await ReceptionDesk.RegisterCardAsync(_hub.ClientFor(PmhHubFactory.CardIssuerKey), card, myNumber);
        using var stranger = _hub.Cards.Issue();

        await ReceptionDesk.CheckAsync(clinic, card, new { subsidy = true, vaccination = false });
        await ReceptionDesk.CheckAsync(clinic, stranger, new { subsidy = true });

        var disclosed = Assert.Single(await AuditedAsync(a => a.Outcome == AccessOutcomes.Disclosed));
        Assert.Equal(["subsidy"], disclosed.Kinds);
        Assert.Equal(("clinic", "receptionCheck"), (disclosed.ParticipantId, disclosed.Purpose));
        Assert.NotNull(disclosed.PersonKey);
        Assert.Contains("vaccination", Assert.Single(await AuditedAsync(a => a.Outcome == AccessOutcomes.NotConsented)).Kinds);
        Assert.Equal("unregisteredCard", Assert.Single(await AuditedAsync(a => a.Outcome == AccessOutcomes.CardRejected)).Detail);
        var everything = JsonSerializer.Serialize(Harness.Published.Select<AccessRecorded>().Select(m => m.Context.Message));
        Assert.DoesNotContain(myNumber, everything, StringComparison.Ordinal);
        Assert.DoesNotContain(myNumber, _hub.Logs.AllText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_operator_verifies_the_audit_chain_after_real_traffic()
    {
        var clinic = _hub.ClientFor(PmhHubFactory.ClinicKey);
        using var card = _hub.Cards.Issue();
        await ReceptionDesk.RegisterCardAsync(_hub.ClientFor(PmhHubFactory.CardIssuerKey), card, TestData.MyNumber(30));
        await ReceptionDesk.CheckAsync(clinic, card, new { subsidy = true });
        await _hub.CreateClient().GetAsync("/api/v1/batches/x");

        // Wait for the entries themselves (the disclosure and the not-consented kinds, both published before the check
        // answered), not for the harness to fall quiet: on a loaded machine the harness could call the bus inactive
        // before the audit consumer had run, and the test then failed about one run in six.
        var operatorClient = _hub.ClientFor(PmhHubFactory.OperatorKey);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        JsonObject verification;
        while ((long)(verification = await (await operatorClient.GetAsync("/api/v1/audit/verification")).JsonAsync())["entriesChecked"]! < 2)
        {
            Assert.True(DateTime.UtcNow < deadline, $"the audit chain held {verification["entriesChecked"]} entries after 30 s, expected at least 2");
            await Task.Delay(25);
        }

        Assert.True((bool)verification["isIntact"]!, verification.ToJsonString());
        Assert.Equal(HttpStatusCode.Forbidden, (await clinic.GetAsync("/api/v1/audit/verification")).StatusCode);
    }

    [Fact]
    public async Task A_key_can_be_issued_and_revoked_without_a_restart()
    {
        var operatorClient = _hub.ClientFor(PmhHubFactory.OperatorKey);
        var issued = await (await operatorClient.PostAsync("/api/v1/participants/chiyoda/keys", null)).JsonAsync();
        var newKey = (string)issued["apiKey"]!;
        var rotated = _hub.ClientFor(newKey);

        Assert.Equal(HttpStatusCode.NotFound, (await rotated.GetAsync("/api/v1/batches/none")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await operatorClient.DeleteAsync($"/api/v1/participants/chiyoda/keys/{issued["keyId"]}")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await rotated.GetAsync("/api/v1/batches/none")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _hub.ClientFor(PmhHubFactory.ChiyodaKey).GetAsync("/api/v1/batches/none")).StatusCode);
        var participants = await operatorClient.GetFromJsonAsync<JsonArray>("/api/v1/participants");
        Assert.Contains(participants!, p => (string?)p!["id"] == "chiyoda");
        Assert.DoesNotContain(newKey, participants!.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Too_many_requests_get_429_with_Retry_After()
    {
        await using var limited = new PmhHubFactory(settings: new Dictionary<string, string?>
        {
            ["Pmh:Gateway:RateLimit:PermitsPerSecond"] = "1",
            ["Pmh:Gateway:RateLimit:Burst"] = "3",
        });
        var client = limited.ClientFor(PmhHubFactory.ChiyodaKey);

        var statuses = new List<HttpResponseMessage>();
        for (var i = 0; i < 6; i++)
        {
            statuses.Add(await client.GetAsync("/api/v1/batches/none"));
        }

        var rejected = statuses.First(s => s.StatusCode == HttpStatusCode.TooManyRequests);
        Assert.True(int.Parse(rejected.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture) >= 1);
        Assert.Equal("application/problem+json", rejected.Content.Headers.ContentType?.MediaType);
        // Another participant has its own allowance.
        Assert.Equal(HttpStatusCode.NotFound, (await limited.ClientFor(PmhHubFactory.HachiojiKey).GetAsync("/api/v1/batches/none")).StatusCode);
    }

    [Fact]
    public async Task A_client_certificate_from_the_trusted_CA_maps_to_its_participant_and_one_from_an_untrusted_CA_is_refused()
    {
        var folder = Path.Combine(Path.GetTempPath(), "pmh-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        using var clientCa = CardReaderSimulator.CreateIssuerCa("CN=PMH Test Participant CA", DateTimeOffset.UtcNow.AddDays(-1));
        await File.WriteAllTextAsync(Path.Combine(folder, "client-ca.pem"), clientCa.ExportCertificatePem());
        using var good = CardReaderSimulator.IssueCard(clientCa, "clinic", DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddYears(1));
        using var forgedCa = CardReaderSimulator.CreateIssuerCa("CN=PMH Test Participant CA", DateTimeOffset.UtcNow.AddDays(-1));
        using var forged = CardReaderSimulator.IssueCard(forgedCa, "clinic", DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddYears(1));

        await using var hub = new PmhHubFactory(settings: new Dictionary<string, string?>
        {
            ["Pmh:Gateway:ClientCertificates:TrustedCas:0"] = Path.Combine(folder, "client-ca.pem"),
            ["Pmh:Gateway:Participants:9:Id"] = "clinic-mtls",
            ["Pmh:Gateway:Participants:9:Role"] = "MedicalInstitution",
            ["Pmh:Gateway:Participants:9:Code"] = PmhHubFactory.ClinicCode,
            ["Pmh:Gateway:Participants:9:CertificateSha256"] = Convert.ToHexString(SHA256.HashData(good.CertificateDer)),
        });
        var withCertificate = hub.WithWebHostBuilder(b => b.ConfigureTestServices(s => s.AddSingleton<IStartupFilter>(new ClientCertificateFromHeader())));

        async Task<HttpResponseMessage> SendAsync(SimulatedCard certificate)
        {
            // Client certificates only count over TLS; the test server takes the scheme from the base address.
            var client = withCertificate.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { BaseAddress = new Uri("https://localhost") });
            client.DefaultRequestHeaders.Add(ClientCertificateFromHeader.Header, Convert.ToBase64String(certificate.CertificateDer));
            return await client.PostAsync("/api/v1/reception/challenges", null);
        }

        var accepted = await SendAsync(good);
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await SendAsync(forged)).StatusCode);
    }

    [Fact]
    public async Task A_citizen_reads_their_own_disclosure_log_by_their_card_and_nobody_elses()
    {
        await using var hub = new PmhHubFactory();
        var clinic = hub.ClientFor(PmhHubFactory.ClinicKey);
        var issuer = hub.ClientFor(PmhHubFactory.CardIssuerKey);
        using var alice = hub.Cards.Issue();
        using var bob = hub.Cards.Issue();
        await ReceptionDesk.RegisterCardAsync(issuer, alice, TestData.MyNumber(20));
        await ReceptionDesk.RegisterCardAsync(issuer, bob, TestData.MyNumber(21));
        await ReceptionDesk.CheckAsync(clinic, alice, new { subsidy = true, vaccination = true });

        async Task<JsonObject> LogAsync(SimulatedCard card)
        {
            var citizen = hub.CreateClient();
            var challenge = await (await citizen.PostAsync("/api/v1/me/challenges", null)).JsonAsync();
            var response = await citizen.PostAsJsonAsync("/api/v1/me/access-log", new
            {
                challengeId = (string?)challenge["challengeId"],
                certificate = Convert.ToBase64String(card.CertificateDer),
                signature = Convert.ToBase64String(card.Sign(Convert.FromBase64String((string)challenge["nonce"]!))),
            });
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            return await response.JsonAsync();
        }

        // Wait for the disclosure itself, not for any entry: the log is read while the audit service may still be
        // storing the check's entries.
        var aliceLog = await Eventually.UntilAsync(
            () => LogAsync(alice),
            log => log["entries"]!.AsArray().Any(e => (string?)e!["outcome"] == AccessOutcomes.Disclosed),
            "alice's log to show the reception check's disclosure");

        var entry = aliceLog["entries"]!.AsArray().Single(e => (string?)e!["outcome"] == AccessOutcomes.Disclosed)!;
        Assert.Equal(("clinic", "receptionCheck"), ((string?)entry["institution"], (string?)entry["purpose"]));
        Assert.Equal(["subsidy", "vaccination"], entry["kinds"]!.AsArray().Select(k => (string?)k).Order());
        Assert.Empty((await LogAsync(bob))["entries"]!.AsArray());

        var forged = await hub.CreateClient().PostAsJsonAsync("/api/v1/me/access-log", new
        {
            challengeId = Guid.NewGuid(), certificate = Convert.ToBase64String(alice.CertificateDer), signature = Convert.ToBase64String(new byte[256]),
        });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, forged.StatusCode);
    }

    /// <summary>Test only: stands in for the TLS handshake, taking the client certificate from a header.</summary>
    private sealed class ClientCertificateFromHeader : IStartupFilter
    {
        public const string Header = "X-Test-Client-Certificate";

        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use(async (context, nextMiddleware) =>
            {
                if (context.Request.Headers.TryGetValue(Header, out var value))
                {
                    context.Connection.ClientCertificate = X509CertificateLoader.LoadCertificate(Convert.FromBase64String(value!));
                }

                await nextMiddleware(context);
            });
            next(app);
        };
    }
}
