using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Pmh.Contracts.Identity;
using Pmh.Contracts.Validation;
using Pmh.Identity.Simulator;
using Pmh.Testing;

namespace Pmh.Gateway.Tests.Apis;

/// <summary>Malformed and implausible values on the gateway's own endpoints: a 4xx naming the field, never a 500 or a 2xx.</summary>
public sealed class BadInputTests : IDisposable
{
    private readonly PmhHubFactory _hub = new();
    private readonly HttpClient _clinic;
    private readonly HttpClient _issuer;

    public BadInputTests()
    {
        _clinic = _hub.ClientFor(PmhHubFactory.ClinicKey);
        _issuer = _hub.ClientFor(PmhHubFactory.CardIssuerKey);
    }

    public void Dispose() => _hub.Dispose();

    private static DateOnly Today => PlausibleDates.Today(DateTimeOffset.UtcNow);

    private static string Iso(DateOnly date) => date.ToString(IsoDate.Format, System.Globalization.CultureInfo.InvariantCulture);

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    /// <summary>A CA certificate (CA:TRUE) the trusted card issuer signed, with its key: it chains, but is no card.</summary>
    private SimulatedCard SubCa()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=not a card", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.DigitalSignature, true));
        using var certificate = request.Create(_hub.Cards.IssuerCa, TestCards.Epoch.AddYears(-1), TestCards.Epoch.AddYears(5), [0x11, 0x22, 0x33]);
        return new SimulatedCard(certificate.CopyWithPrivateKey(key));
    }

    [Fact]
    public async Task A_ca_certificate_is_refused_as_a_card_at_registration_with_422_naming_the_certificate()
    {
        using var subCa = SubCa();

        var response = await ReceptionDesk.RegisterCardAsync(_issuer, subCa, TestData.MyNumber(901));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal(CardRejectionReasons.NotACardCertificate, (string?)(await response.JsonAsync())["errors"]!["certificate"]![0]);
    }

    [Fact]
    public async Task A_ca_certificate_presented_at_the_desk_is_refused_with_422_naming_the_certificate()
    {
        using var subCa = SubCa();

        var response = await ReceptionDesk.CheckAsync(_clinic, subCa, new { subsidy = true });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal(CardRejectionReasons.NotACardCertificate, (string?)(await response.JsonAsync())["errors"]!["certificate"]![0]);
    }

    [Theory]
    [InlineData("0001-01-01")]
    [InlineData("1899-12-31")]
    [InlineData("9999-12-31")]
    public async Task A_card_birth_date_outside_1900_to_today_is_refused_with_422_naming_birth_date(string birthDate)
    {
        using var card = _hub.Cards.Issue();

        var response = await ReceptionDesk.RegisterCardAsync(_issuer, card, TestData.MyNumber(902), birthDate);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.StartsWith("must be a birth date from 1900-01-01 to today", (string?)(await response.JsonAsync())["errors"]!["birthDate"]![0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_card_born_tomorrow_is_refused_and_one_born_today_is_registered()
    {
        using var tomorrow = _hub.Cards.Issue();
        using var today = _hub.Cards.Issue();

        var refused = await ReceptionDesk.RegisterCardAsync(_issuer, tomorrow, TestData.MyNumber(903), Iso(Today.AddDays(2)));
        var registered = await ReceptionDesk.RegisterCardAsync(_issuer, today, TestData.MyNumber(904), Iso(Today.AddDays(-1)));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
    }

    [Theory]
    [InlineData("0001-01-01")]
    [InlineData("9999-12-31")]
    [InlineData("far back")]
    [InlineData("weeks ahead")]
    public async Task A_reception_service_date_outside_its_window_is_refused_with_422_naming_service_date(string serviceDate)
    {
        using var card = _hub.Cards.Issue();
        serviceDate = serviceDate switch
        {
            "far back" => Iso(Today.AddYears(-PlausibleDates.ServiceDateYearsBack).AddDays(-2)),
            "weeks ahead" => Iso(Today.AddDays(21)),
            _ => serviceDate,
        };

        var response = await ReceptionDesk.CheckAsync(_clinic, card, new { subsidy = true }, serviceDate);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.StartsWith("must be a service date from", (string?)(await response.JsonAsync())["errors"]!["serviceDate"]![0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_co_payment_service_date_outside_its_window_is_refused_with_422_naming_service_date()
    {
        var response = await _clinic.PostAsync("/api/v1/copayments", Json(
            $$"""{"checkId": "{{Guid.NewGuid()}}", "certificateId": "131016:H-1", "receiptId": "r-1", "serviceDate": "9999-12-31", "amountYen": "100"}"""));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.NotNull((await response.JsonAsync())["errors"]!["serviceDate"]);
    }

    // --- POST /api/v1/participants ---

    public static TheoryData<string, string> BadParticipants() => new()
    {
        { """{"id": "clinic-2", "name": "Clinic", "role": "MedicalInstitution", "code": null}""", "code" },
        { """{"id": "clinic-2", "name": "Clinic", "role": "MedicalInstitution"}""", "code" },
        { """{"id": "clinic-2", "role": 99, "code": "1310123458"}""", "role" },
        { """{"id": "clinic-2", "role": -1, "code": "1310123458"}""", "role" },
        { """{"id": "clinic-2", "role": 1, "code": "1310123458"}""", "role" },
        { """{"id": "clinic-2", "role": "Surgeon", "code": "1310123458"}""", "role" },
        { """{"id": "clinic-2", "role": null, "code": "1310123458"}""", "role" },
        { """{"id": "clinic\u00002", "role": "MedicalInstitution", "code": "1310123458"}""", "id" },
        { """{"id": null, "role": "MedicalInstitution", "code": "1310123458"}""", "id" },
        { "{\"id\": \"" + new string('a', 65) + "\", \"role\": \"MedicalInstitution\", \"code\": \"1310123458\"}", "id" },
        { "{\"id\": \"clinic-2\", \"name\": \"" + new string('n', 10_000) + "\", \"role\": \"MedicalInstitution\", \"code\": \"1310123458\"}", "name" },
        { """{"id": "clinic-2", "name": "Clinic\u0007", "role": "MedicalInstitution", "code": "1310123458"}""", "name" },
        { "{\"id\": \"clinic-2\", \"role\": \"MedicalInstitution\", \"code\": \"" + new string('1', 10_000) + "\"}", "code" },
        { """{"id": "clinic-2", "role": "Pharmacy", "code": "1310123458"}""", "code" },
        { """{"id": "clinic-2", "role": "MedicalInstitution", "code": "1340123452"}""", "code" },
        { """{"id": "city-2", "role": "Municipality", "code": "13101"}""", "code" },
        { """{"id": "issuer-2", "role": "CardIssuer", "code": "a b\u0000"}""", "code" },
        { """{"id": "clinic-2", "role": "MedicalInstitution", "code": ["1310123458"]}""", "code" },
    };

    [Theory]
    [MemberData(nameof(BadParticipants))]
    public async Task A_bad_participant_is_refused_with_400_naming_the_field_and_nothing_is_stored(string body, string field)
    {
        var operatorClient = _hub.ClientFor(PmhHubFactory.OperatorKey);

        var response = await operatorClient.PostAsync("/api/v1/participants", Json(body));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.NotNull((await response.JsonAsync())["errors"]![field]);
        var all = await operatorClient.GetFromJsonAsync<System.Text.Json.Nodes.JsonArray>("/api/v1/participants");
        Assert.DoesNotContain(all!, p => ((string?)p!["id"])!.StartsWith("clinic-2", StringComparison.Ordinal) || (string?)p["id"] is "city-2" or "issuer-2");
    }

    [Theory]
    [InlineData("MedicalInstitution", "1310123458")]
    [InlineData("medicalInstitution", "1310123458")]
    [InlineData("Pharmacy", "1340123452")]
    [InlineData("Municipality", "131016")]
    [InlineData("CardIssuer", null)]
    public async Task A_participant_is_upserted_with_its_role_by_name(string role, string? code)
    {
        var operatorClient = _hub.ClientFor(PmhHubFactory.OperatorKey);

        var response = await operatorClient.PostAsJsonAsync("/api/v1/participants", new { id = "new-one", name = "New one", role, code });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.JsonAsync();
        Assert.Equal((Enum.Parse<Pmh.Modules.Participants.ParticipantRole>(role, ignoreCase: true).ToString(), code ?? ""), ((string?)body["role"], (string?)body["code"]));
    }

    // --- amounts ---

    [Theory]
    [InlineData("\"100\\u0000\"")]
    [InlineData("\"\\u0000100\"")]
    [InlineData("\" 100\"")]
    [InlineData("\"１００\"")]
    [InlineData("-1")]
    [InlineData("1.5")]
    [InlineData("null")]
    public async Task A_co_payment_amount_that_is_not_plain_digits_is_refused_with_400_naming_amount_yen(string amount)
    {
        var record = await _clinic.PostAsync("/api/v1/copayments", Json(
            $$"""{"checkId": "{{Guid.NewGuid()}}", "certificateId": "131016:H-1", "receiptId": "r-1", "amountYen": {{amount}}}"""));
        var correct = await _clinic.PostAsync("/api/v1/copayments/r-1/corrections", Json($$"""{"correctionId": "c-1", "amountYen": {{amount}}}"""));

        foreach (var response in new[] { record, correct })
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.NotNull((await response.JsonAsync())["errors"]!["amountYen"]);
        }
    }

    // --- no 500 on malformed values ---

    [Fact]
    public async Task A_key_id_of_like_wildcards_revokes_nothing()
    {
        var operatorClient = _hub.ClientFor(PmhHubFactory.OperatorKey);

        var response = await operatorClient.DeleteAsync("/api/v1/participants/clinic/keys/" + Uri.EscapeDataString(new string('%', 16)));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _clinic.GetAsync("/api/v1/reception/checks/none")).StatusCode); // the clinic's key still works
    }

    public static TheoryData<string, string, string> MalformedBodies() => new()
    {
        { "issuer", "/api/v1/cards", "null" },
        { "issuer", "/api/v1/cards", "[]" },
        { "issuer", "/api/v1/cards", """{"certificate": null, "myNumber": null, "birthDate": null}""" },
        { "issuer", "/api/v1/cards", """{"certificate": "\u0000", "myNumber": "12345678901\u0000", "birthDate": "2019-04-01\u0000"}""" },
        { "issuer", "/api/v1/cards", """{"certificate": ["a"], "myNumber": {}, "birthDate": 20190401}""" },
        { "issuer", "/api/v1/cards", "{\"certificate\": \"" + new string('A', 200_000) + "\"}" },
        { "issuer", "/api/v1/cards/revocations", """{"issuer": null, "serialNumber": null}""" },
        { "issuer", "/api/v1/cards/revocations", """{"issuer": "CN=x\u0000", "serialNumber": "0A"}""" },
        { "issuer", "/api/v1/cards/revocations", """{"issuer": "not a dn ===", "serialNumber": "   "}""" },
        { "issuer", "/api/v1/cards/revocations", """{"certificate": "AAAA"}""" },
        { "clinic", "/api/v1/reception/checks", """{"challengeId": null, "certificate": null, "signature": null, "consent": null, "serviceDate": null}""" },
        { "clinic", "/api/v1/reception/checks", """{"consent": {"subsidy": null}}""" },
        { "clinic", "/api/v1/reception/checks", """{"consent": [null]}""" },
        { "clinic", "/api/v1/reception/checks", """{"challengeId": "00000000-0000-0000-0000-000000000000\u0000", "serviceDate": "2026-04-01\u0000"}""" },
        { "clinic", "/api/v1/copayments", """{"checkId": null, "certificateId": null, "receiptId": null, "amountYen": null}""" },
        { "clinic", "/api/v1/copayments", """{"checkId": [null], "certificateId": "131016:\u0000", "receiptId": "r\u0000", "amountYen": {}}""" },
        { "clinic", "/api/v1/copayments/r-1/corrections", """{"correctionId": null, "amountYen": null}""" },
        { "anonymous", "/api/v1/me/access-log", """{"challengeId": null, "certificate": null, "signature": null}""" },
        { "anonymous", "/api/v1/me/access-log", """{"challengeId": "x", "consent": {"a": true}, "serviceDate": [1]}""" },
        { "operator", "/api/v1/participants", """{"id": "x", "role": ["Operator"], "name": {}, "code": 1.5}""" },
        { "operator", "/api/v1/participants", "null" },
    };

    [Theory]
    [MemberData(nameof(MalformedBodies))]
    public async Task A_malformed_body_is_a_4xx_problem_never_a_500_or_a_2xx(string who, string path, string body)
    {
        var client = who switch
        {
            "issuer" => _issuer,
            "clinic" => _clinic,
            "operator" => _hub.ClientFor(PmhHubFactory.OperatorKey),
            _ => _hub.CreateClient(),
        };

        var response = await client.PostAsync(path, Json(body));

        Assert.InRange((int)response.StatusCode, 400, 499);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }
}
