using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Pmh.Identity.Simulator;

namespace Pmh.Testing.BadInput;

/// <summary>
/// The hub a bad-input run talks to: a client per API key (null: anonymous), and the card issuer whose cards the hub
/// trusts. The same run drives the in-process hub of the test suite and a hub process for the memory measurement.
/// </summary>
public sealed class BadInputTarget(Func<string?, HttpClient> clientFor, TestCards cards, DateTimeOffset? cardsValidFrom = null)
{
    private readonly Dictionary<string, HttpClient> _clients = new(StringComparer.Ordinal);

    public TestCards Cards { get; } = cards;

    /// <summary>A card of the trusted issuer (valid from <c>cardsValidFrom</c> when the issuer is younger than the test cards' epoch).</summary>
    public SimulatedCard IssueCard(string holder) =>
        cardsValidFrom is { } from ? Cards.Issue(holder, from, from.AddYears(5)) : Cards.Issue(holder);

    public HttpClient ClientFor(string? apiKey)
    {
        var key = apiKey ?? "";
        lock (_clients)
        {
            if (!_clients.TryGetValue(key, out var client))
            {
                client = clientFor(apiKey);
                _clients[key] = client;
            }

            return client;
        }
    }
}

/// <summary>
/// What a run needs to make requests that would succeed: a registered card with a certificate, a vaccination register
/// entry, a reception check of that card with every kind, a receipt to correct, spare cards to register and revoke.
/// Built over the public API only, as a desk and a municipality would.
/// </summary>
public sealed class BadInputSession
{
    public const string HolderMyNumberSeed = "9000001";

    /// <summary>The participant whose keys the run issues and revokes (made by the session, so no real participant's key changes).</summary>
    public const string KeyParticipant = "bad-input-keys";

    private BadInputSession(BadInputTarget target, SimulatedCard card, string checkId, string certificateId, string receiptId, IReadOnlyList<SimulatedCard> spareCards, string setupBatchId, string serviceDate)
    {
        SetupBatchId = setupBatchId;
        ServiceDate = serviceDate;
        Target = target;
        Card = card;
        CheckId = checkId;
        CertificateId = certificateId;
        ReceiptId = receiptId;
        SpareCards = spareCards;
    }

    public BadInputTarget Target { get; }

    /// <summary>The certificate batch the session published (its status is readable).</summary>
    public string SetupBatchId { get; }

    /// <summary>The service date of the session's reception checks.</summary>
    public string ServiceDate { get; }

    /// <summary>The card of the person every reception request is about (never revoked by the run).</summary>
    public SimulatedCard Card { get; }

    public string CheckId { get; }

    public string CertificateId { get; }

    public string ReceiptId { get; }

    /// <summary>Cards for registration and revocation requests (the run may revoke them).</summary>
    public IReadOnlyList<SimulatedCard> SpareCards { get; }

    public static string HolderMyNumber => TestData.MyNumber(long.Parse(HolderMyNumberSeed, CultureInfo.InvariantCulture));

    public static async Task<BadInputSession> PrepareAsync(BadInputTarget target, string serviceDate)
    {
        ArgumentNullException.ThrowIfNull(target);
        var myNumber = HolderMyNumber;
        var card = target.IssueCard("bad input holder");
        await Expect(await ReceptionDesk.RegisterCardAsync(target.ClientFor(PmhHubFactory.CardIssuerKey), card, myNumber), "register the holder's card");

        var chiyoda = target.ClientFor(PmhHubFactory.ChiyodaKey);
        var batchId = "bad-input-setup-" + Guid.NewGuid().ToString("N")[..8];
        var certificates = TestData.Batch(batchId, TestData.CertificateRow(myNumber, "H-BADINPUT", validFrom: "2025-04-01", validTo: "2030-03-31", monthlyCapYen: 2500));
        await Expect(await chiyoda.PostAsync($"/api/v1/municipalities/{TestData.Chiyoda}/subsidy-certificates", Json(certificates)), "publish the holder's certificate");
        await WaitForBatchAsync(chiyoda, batchId);
        var records = new JsonObject
        {
            ["batchId"] = batchId + "-v",
            ["records"] = new JsonArray(new JsonObject
            {
                ["recordKey"] = "R-BADINPUT-1", ["myNumber"] = myNumber, ["localPersonId"] = "A-BAD", ["vaccine"] = "HIB",
                ["doseNumber"] = "1", ["date"] = "2019-06-10", ["lotNumber"] = "LOT1", ["institutionCode"] = PmhHubFactory.ClinicCode, ["programme"] = "routineA",
            }),
        };
        await Expect(await chiyoda.PostAsync($"/api/v1/municipalities/{TestData.Chiyoda}/vaccination-records", Json(records)), "register the holder's vaccination");
        await WaitForBatchAsync(chiyoda, batchId + "-v");

        var clinic = target.ClientFor(PmhHubFactory.ClinicKey);
        var checkResponse = await ReceptionDesk.CheckAsync(clinic, card, new { subsidy = true, vaccination = true, maternalChild = true }, serviceDate);
        await Expect(checkResponse, "check the holder at reception");
        var check = (await checkResponse.Content.ReadFromJsonAsync<JsonObject>())!;
        var checkId = (string)check["checkId"]!;
        var certificateId = (string)check["subsidy"]!["certificates"]![0]!["certificateId"]!;
        var receiptId = "r-bad-input-setup";
        await Expect(
            await clinic.PostAsync("/api/v1/copayments", Json(new JsonObject { ["checkId"] = checkId, ["certificateId"] = certificateId, ["receiptId"] = receiptId, ["amountYen"] = "1000", ["serviceDate"] = serviceDate })),
            "charge a receipt");

        await Expect(
            await target.ClientFor(PmhHubFactory.OperatorKey).PostAsync(
                "/api/v1/participants",
                Json(new JsonObject { ["id"] = KeyParticipant, ["name"] = "bad input keys", ["role"] = "MedicalInstitution", ["code"] = PmhHubFactory.ClinicCode })),
            "make the participant whose keys the run rotates");

        var spares = Enumerable.Range(0, 16).Select(i => target.IssueCard($"spare {i}")).ToList();
        return new BadInputSession(target, card, checkId, certificateId, receiptId, spares, batchId, serviceDate);
    }

    public static StringContent Json(JsonNode node) => new(node.ToJsonString(), Encoding.UTF8, "application/json");

    private static async Task Expect(HttpResponseMessage response, string what)
    {
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"Could not {what}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
    }

    public static async Task<JsonObject> WaitForBatchAsync(HttpClient municipality, string batchId)
    {
        ArgumentNullException.ThrowIfNull(municipality);
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var response = await municipality.GetAsync($"/api/v1/batches/{Uri.EscapeDataString(batchId)}");
            if (response.StatusCode == HttpStatusCode.OK)
            {
                var batch = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
                if ((string?)batch["status"] is "completed" or "failed")
                {
                    return batch;
                }
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"batch {batchId} did not complete: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            }

            await Task.Delay(50);
        }
    }

    /// <summary>A fresh challenge signed by <paramref name="card"/>: the proof a check or a citizen's request carries.</summary>
    public async Task<(string ChallengeId, string Certificate, string Signature)> ProofAsync(SimulatedCard card, bool citizen)
    {
        ArgumentNullException.ThrowIfNull(card);
        var client = citizen ? Target.ClientFor(null) : Target.ClientFor(PmhHubFactory.ClinicKey);
        var response = await client.PostAsync(citizen ? "/api/v1/me/challenges" : "/api/v1/reception/challenges", null);
        if (!response.IsSuccessStatusCode)
        {
            // A rate limit or a refusal: the request goes out with a proof that cannot verify.
            return (Guid.NewGuid().ToString(), Convert.ToBase64String(card.CertificateDer), Convert.ToBase64String(new byte[64]));
        }

        var body = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        var nonce = Convert.FromBase64String((string)body["nonce"]!);
        return ((string)body["challengeId"]!, Convert.ToBase64String(card.CertificateDer), Convert.ToBase64String(card.Sign(nonce)));
    }

    internal static AuthenticationHeaderValue Bearer(string key) => new("Bearer", key);
}
