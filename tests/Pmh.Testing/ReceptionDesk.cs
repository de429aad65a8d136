using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Pmh.Identity.Simulator;

namespace Pmh.Testing;

/// <summary>What a card issuer and a reception desk do over the HTTP API, with a simulated card reader.</summary>
public static class ReceptionDesk
{
    public static Task<HttpResponseMessage> RegisterCardAsync(HttpClient issuer, SimulatedCard card, string myNumber, string birthDate = "2019-04-01") =>
        issuer.PostAsJsonAsync("/api/v1/cards", new { certificate = Convert.ToBase64String(card.CertificateDer), myNumber, birthDate });

    public static async Task<(string ChallengeId, byte[] Nonce)> ChallengeAsync(HttpClient desk)
    {
        var response = await desk.PostAsync("/api/v1/reception/challenges", null);
        response.EnsureSuccessStatusCode();
        var body = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        return ((string)body["challengeId"]!, Convert.FromBase64String((string)body["nonce"]!));
    }

    /// <summary>A whole check: a challenge, the card signs its nonce, the desk sends the check.</summary>
    public static async Task<HttpResponseMessage> CheckAsync(
        HttpClient desk, SimulatedCard card, object consent, string serviceDate = "2026-04-01")
    {
        var (challengeId, nonce) = await ChallengeAsync(desk);
        return await SendCheckAsync(desk, challengeId, card.CertificateDer, card.Sign(nonce), consent, serviceDate);
    }

    public static Task<HttpResponseMessage> SendCheckAsync(
        HttpClient desk, string challengeId, byte[] certificate, byte[] signature, object consent, string serviceDate = "2026-04-01") =>
        desk.PostAsync(
            "/api/v1/reception/checks",
            new StringContent(
                new JsonObject
                {
                    ["challengeId"] = challengeId,
                    ["certificate"] = Convert.ToBase64String(certificate),
                    ["signature"] = Convert.ToBase64String(signature),
                    ["consent"] = System.Text.Json.JsonSerializer.SerializeToNode(consent),
                    ["serviceDate"] = serviceDate,
                }.ToJsonString(),
                Encoding.UTF8,
                "application/json"));
}
