using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using MassTransit;
using MassTransit.Testing;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Pmh.Contracts.Identity;
using Pmh.Contracts.Subsidy;
using Pmh.Gateway.Reception;
using Pmh.Modules.Reception;
using Pmh.Hosting.Privacy;
using Pmh.Identity.Simulator;
using Pmh.Testing;

namespace Pmh.Gateway.Tests.Apis;

public sealed class ReceptionApiTests : IDisposable
{
    private static readonly object AllKinds = new { subsidy = true, vaccination = true, maternalChild = true };
    private readonly PmhHubFactory _hub = new();
    private readonly HttpClient _clinic;
    private readonly HttpClient _issuer;

    public ReceptionApiTests()
    {
        _clinic = _hub.ClientFor(PmhHubFactory.ClinicKey);
        _issuer = _hub.ClientFor(PmhHubFactory.CardIssuerKey);
    }

    public void Dispose() => _hub.Dispose();

    private ITestHarness Harness => _hub.Services.GetTestHarness();

    /// <summary>A person with a registered card and one certificate valid in April 2026.</summary>
    private async Task<SimulatedCard> PersonWithCardAsync(string myNumber, string historyKey = "H-1")
    {
        var card = _hub.Cards.Issue();
        Assert.Equal(HttpStatusCode.Created, (await ReceptionDesk.RegisterCardAsync(_issuer, card, myNumber)).StatusCode);
        var chiyoda = _hub.ClientFor(PmhHubFactory.ChiyodaKey);
        await chiyoda.PublishAsync(TestData.Chiyoda, TestData.Batch("b-" + historyKey + myNumber, TestData.CertificateRow(myNumber, historyKey)));
        await chiyoda.WaitForBatchAsync("b-" + historyKey + myNumber);
        return card;
    }

    [Fact]
    public async Task A_verified_card_gets_the_consented_parts_and_an_institution_reference()
    {
        var myNumber = TestData.MyNumber(1);
        using var card = await PersonWithCardAsync(myNumber);

        var response = await ReceptionDesk.CheckAsync(_clinic, card, AllKinds);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.JsonAsync();
        Assert.Equal("provided", (string?)body["subsidy"]!["status"]);
        Assert.Single(body["subsidy"]!["certificates"]!.AsArray());
        Assert.Equal("2019-04-01", (string?)body["person"]!["birthDate"]);
        var personKey = _hub.Services.GetRequiredService<PersonKeys>().For(Contracts.Identifiers.MyNumber.Parse(myNumber));
        Assert.Equal(_hub.Services.GetRequiredService<PersonKeys>().InstitutionReference(personKey, PmhHubFactory.ClinicCode), (string?)body["person"]!["ref"]);
        var text = body.ToJsonString();
        Assert.DoesNotContain(personKey, text, StringComparison.Ordinal);
        Assert.DoesNotContain(myNumber, text, StringComparison.Ordinal);
        Assert.Contains("verify;dur=", response.Headers.GetValues("Server-Timing").Single(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Two_institutions_get_different_references_for_the_same_person()
    {
        using var card = await PersonWithCardAsync(TestData.MyNumber(2));
        var pharmacy = _hub.ClientFor(PmhHubFactory.PharmacyKey);

        var atClinic = await (await ReceptionDesk.CheckAsync(_clinic, card, AllKinds)).JsonAsync();
        var atPharmacy = await (await ReceptionDesk.CheckAsync(pharmacy, card, AllKinds)).JsonAsync();
        var again = await (await ReceptionDesk.CheckAsync(_clinic, card, AllKinds)).JsonAsync();

        Assert.NotEqual((string?)atClinic["person"]!["ref"], (string?)atPharmacy["person"]!["ref"]);
        Assert.Equal((string?)atClinic["person"]!["ref"], (string?)again["person"]!["ref"]);
    }

    [Fact]
    public async Task A_kind_without_consent_is_never_requested_on_the_bus()
    {
        using var card = await PersonWithCardAsync(TestData.MyNumber(3));
        var before = Harness.Published.Select<CheckSubsidyEligibility>().Count() + Harness.Sent.Select<CheckSubsidyEligibility>().Count();

        var body = await (await ReceptionDesk.CheckAsync(_clinic, card, new { subsidy = false, vaccination = true })).JsonAsync();

        Assert.Equal("notConsented", (string?)body["subsidy"]!["status"]);
        Assert.Null(body["subsidy"]!["certificates"]);
        Assert.True(await Harness.Consumed.Any<VerifyCardholder>());
        Assert.Equal(before, Harness.Published.Select<CheckSubsidyEligibility>().Count() + Harness.Sent.Select<CheckSubsidyEligibility>().Count());
        Assert.False(await Harness.Consumed.Any<CheckSubsidyEligibility>(Quick()));
    }

    [Fact]
    public async Task A_lookup_that_does_not_answer_is_unavailable_within_its_timeout_and_the_rest_still_answer()
    {
        await using var hub = WithSilentLookup();
        var clinic = ClientFor(hub, PmhHubFactory.ClinicKey);
        using var card = await RegisteredCardAsync(hub, TestData.MyNumber(4));

        var clock = Stopwatch.StartNew();
        var body = await (await ReceptionDesk.CheckAsync(clinic, card, new { subsidy = true, silent = true })).JsonAsync();
        clock.Stop();

        Assert.Equal("unavailable", (string?)body["silent"]!["status"]);
        Assert.Equal("provided", (string?)body["subsidy"]!["status"]);
        Assert.Empty(body["subsidy"]!["certificates"]!.AsArray());
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"the check took {clock.Elapsed}");
    }

    [Fact]
    public async Task A_check_whose_every_consented_lookup_is_unavailable_is_503_audited_as_unavailable_and_keeps_no_check()
    {
        await using var hub = WithSilentLookup();
        var clinic = ClientFor(hub, PmhHubFactory.ClinicKey);
        using var card = await RegisteredCardAsync(hub, TestData.MyNumber(6));
        var gateway = hub.Services.GetRequiredKeyedService<Pmh.Hosting.Storage.ServiceDatabase>(GatewayServiceExtensions.DatabaseName);
        Task<long> ChecksKeptAsync() => gateway.RunAsync(
            (connection, ct) => Dapper.SqlMapper.ExecuteScalarAsync<long>(connection, new Dapper.CommandDefinition("SELECT COUNT(*) FROM reception_checks", cancellationToken: ct)),
            CancellationToken.None).AsTask();
        var checksBefore = await ChecksKeptAsync();

        var response = await ReceptionDesk.CheckAsync(clinic, card, new { subsidy = false, silent = true });

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.True(response.Headers.RetryAfter is not null, "a 503 says when to try again");
        Assert.Equal("Lookups unavailable", (string?)(await response.JsonAsync())["title"]);
        var harness = hub.Services.GetTestHarness();
        var audited = await Eventually.UntilAsync(
            () => harness.Published.Select<Contracts.Audit.AccessRecorded>().Select(m => m.Context.Message).Where(m => m.Purpose == "receptionCheck").ToList(),
            entries => entries.Count > 0,
            "the check's audit entry");
        var entry = Assert.Single(audited);
        Assert.Equal(Contracts.Audit.AccessOutcomes.Unavailable, entry.Outcome);
        Assert.Equal(["silent"], entry.Kinds);
        Assert.DoesNotContain(audited, e => e.Outcome == Contracts.Audit.AccessOutcomes.Disclosed);
        Assert.Equal(checksBefore, await ChecksKeptAsync());
    }

    [Fact]
    public async Task A_rejected_card_gets_422_with_its_reason()
    {
        using var unregistered = _hub.Cards.Issue();

        var response = await ReceptionDesk.CheckAsync(_clinic, unregistered, AllKinds);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var problem = await response.JsonAsync();
        Assert.Equal(CardRejectionReasons.UnregisteredCard, (string?)problem["reason"]);
        Assert.Equal(CardRejectionReasons.UnregisteredCard, (string?)problem["errors"]!["certificate"]![0]);
    }

    [Fact]
    public async Task A_challenge_answered_twice_is_refused_the_second_time()
    {
        using var card = await PersonWithCardAsync(TestData.MyNumber(5));
        var (challengeId, nonce) = await ReceptionDesk.ChallengeAsync(_clinic);
        var signature = card.Sign(nonce);

        var first = await ReceptionDesk.SendCheckAsync(_clinic, challengeId, card.CertificateDer, signature, AllKinds);
        var second = await ReceptionDesk.SendCheckAsync(_clinic, challengeId, card.CertificateDer, signature, AllKinds);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, second.StatusCode);
        Assert.Equal(CardRejectionReasons.ChallengeReused, (string?)(await second.JsonAsync())["reason"]);
    }

    [Fact]
    public async Task A_revoked_card_is_refused()
    {
        using var card = await PersonWithCardAsync(TestData.MyNumber(6));
        var revoked = await _issuer.PostAsJsonAsync("/api/v1/cards/revocations", new { certificate = Convert.ToBase64String(card.CertificateDer) });
        Assert.Equal(HttpStatusCode.OK, revoked.StatusCode);
        Assert.True((bool?)(await revoked.JsonAsync())["wasRegistered"]);

        var response = await ReceptionDesk.CheckAsync(_clinic, card, AllKinds);

        Assert.Equal(CardRejectionReasons.Revoked, (string?)(await response.JsonAsync())["reason"]);
    }

    [Fact]
    public async Task A_card_revoked_by_issuer_and_serial_number_is_refused()
    {
        using var card = await PersonWithCardAsync(TestData.MyNumber(7));
        var revoked = await _issuer.PostAsJsonAsync("/api/v1/cards/revocations", new
        {
            issuer = card.Certificate.Issuer,
            serialNumber = card.Certificate.SerialNumber,
        });
        Assert.Equal(HttpStatusCode.OK, revoked.StatusCode);

        Assert.Equal(CardRejectionReasons.Revoked, (string?)(await (await ReceptionDesk.CheckAsync(_clinic, card, AllKinds)).JsonAsync())["reason"]);
    }

    [Fact]
    public async Task A_check_belongs_only_to_the_participant_who_made_it()
    {
        using var card = await PersonWithCardAsync(TestData.MyNumber(8));
        var checkId = (string?)(await (await ReceptionDesk.CheckAsync(_clinic, card, AllKinds)).JsonAsync())["checkId"];
        var pharmacy = _hub.ClientFor(PmhHubFactory.PharmacyKey);

        var own = await _clinic.GetAsync($"/api/v1/reception/checks/{checkId}");
        var other = await pharmacy.GetAsync($"/api/v1/reception/checks/{checkId}");

        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        Assert.Equal("provided", (string?)(await own.JsonAsync())["parts"]!["subsidy"]);
        Assert.Equal(HttpStatusCode.NotFound, other.StatusCode);
    }

    [Fact]
    public async Task Only_institutions_and_pharmacies_run_reception_and_only_the_card_issuer_registers_cards()
    {
        var municipality = _hub.ClientFor(PmhHubFactory.ChiyodaKey);
        using var card = _hub.Cards.Issue();

        Assert.Equal(HttpStatusCode.Forbidden, (await municipality.PostAsync("/api/v1/reception/challenges", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await _issuer.PostAsync("/api/v1/reception/challenges", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await ReceptionDesk.RegisterCardAsync(_clinic, card, TestData.MyNumber(9))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await _hub.CreateClient().PostAsync("/api/v1/reception/challenges", null)).StatusCode);
    }

    [Fact]
    public async Task A_card_registered_twice_gets_409()
    {
        using var card = _hub.Cards.Issue();
        Assert.Equal(HttpStatusCode.Created, (await ReceptionDesk.RegisterCardAsync(_issuer, card, TestData.MyNumber(10))).StatusCode);

        var again = await ReceptionDesk.RegisterCardAsync(_issuer, card, TestData.MyNumber(10));

        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
    }

    [Fact]
    public async Task A_card_from_an_untrusted_issuer_cannot_be_registered()
    {
        using var stranger = CardReaderSimulator.CreateIssuerCa(TestCards.IssuerName, TestCards.Epoch.AddYears(-1));
        using var card = CardReaderSimulator.IssueCard(stranger, "forged", TestCards.Epoch, TestCards.Epoch.AddYears(5));

        var response = await ReceptionDesk.RegisterCardAsync(_issuer, card, TestData.MyNumber(11));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal(CardRejectionReasons.UnknownIssuer, (string?)(await response.JsonAsync())["errors"]!["certificate"]![0]);
    }

    [Fact]
    public async Task Bad_registration_and_check_requests_get_400_naming_the_field()
    {
        using var card = _hub.Cards.Issue();
        var badNumber = await ReceptionDesk.RegisterCardAsync(_issuer, card, "123456789019");
        Assert.Equal(HttpStatusCode.BadRequest, badNumber.StatusCode);
        Assert.Equal("check digit does not match", (string?)(await badNumber.JsonAsync())["errors"]!["myNumber"]![0]);

        var badCheck = await _clinic.PostAsJsonAsync("/api/v1/reception/checks", new { challengeId = "nope", certificate = "***", consent = new { subsidy = true } });
        Assert.Equal(HttpStatusCode.BadRequest, badCheck.StatusCode);
        var errors = (await badCheck.JsonAsync())["errors"]!.AsObject();
        Assert.Equal(["certificate", "challengeId", "serviceDate", "signature"], errors.Select(e => e.Key).Order());

        var wrongType = await _clinic.PostAsync("/api/v1/reception/checks", new StringContent("""{"consent": {"subsidy": "yes"}}""", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, wrongType.StatusCode);
        Assert.NotNull((await wrongType.JsonAsync())["errors"]!["consent.subsidy"]);
    }

    [Fact]
    public async Task No_response_or_log_line_holds_a_My_Number_or_a_person_key()
    {
        var myNumber = TestData.MyNumber(12);
        using var card = await PersonWithCardAsync(myNumber);
        var personKey = _hub.Services.GetRequiredService<PersonKeys>().For(Contracts.Identifiers.MyNumber.Parse(myNumber));

        var check = await ReceptionDesk.CheckAsync(_clinic, card, AllKinds);
        var checkId = (string?)(await check.JsonAsync())["checkId"];
        var read = await _clinic.GetStringAsync($"/api/v1/reception/checks/{checkId}");
        var rejected = await (await ReceptionDesk.CheckAsync(_clinic, _hub.Cards.Issue(), AllKinds)).Content.ReadAsStringAsync();

        foreach (var text in new[] { await check.Content.ReadAsStringAsync(), read, rejected, _hub.Logs.AllText })
        {
            Assert.DoesNotContain(myNumber, text, StringComparison.Ordinal);
            Assert.DoesNotContain(personKey, text, StringComparison.Ordinal);
        }
    }

    private static CancellationToken Quick() => new CancellationTokenSource(TimeSpan.FromMilliseconds(300)).Token;

    /// <summary>A kind whose service never answers: its request goes to an endpoint nobody consumes.</summary>
    /// <summary>The hub with one more lookup, <c>silent</c>, that never answers (its timeout 300 ms).</summary>
    private WebApplicationFactory<Program> WithSilentLookup() =>
        _hub.WithWebHostBuilder(builder =>
        {
            builder.UseSetting("Pmh:Reception:LookupTimeouts:silent", "00:00:00.300");
            builder.ConfigureTestServices(services => services.AddScoped<IReceptionLookup, SilentLookup>());
        });

    private static HttpClient ClientFor(WebApplicationFactory<Program> hub, string apiKey)
    {
        var client = hub.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", apiKey);
        return client;
    }

    private async Task<SimulatedCard> RegisteredCardAsync(WebApplicationFactory<Program> hub, string myNumber)
    {
        var card = _hub.Cards.Issue();
        await ReceptionDesk.RegisterCardAsync(ClientFor(hub, PmhHubFactory.CardIssuerKey), card, myNumber);
        return card;
    }

    private sealed class SilentLookup(IRequestClient<SilentRequest> client) : IReceptionLookup
    {
        public string Kind => "silent";

        public async Task<object> LookupAsync(ReceptionLookupContext context, CancellationToken cancellationToken) =>
            (await client.GetResponse<SilentAnswer>(new SilentRequest(), cancellationToken)).Message;
    }
}

public sealed record SilentRequest;

public sealed record SilentAnswer;
