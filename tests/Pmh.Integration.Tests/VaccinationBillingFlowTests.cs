using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Pmh.Testing;

namespace Pmh.Integration.Tests;

/// <summary>Price table, questionnaire, dose and claim over a real RabbitMQ and real PostgreSQL.</summary>
public sealed class VaccinationBillingFlowTests
{
    [RabbitMqFact]
    public async Task A_questionnaire_and_a_priced_dose_make_a_claim_line_over_RabbitMq_and_PostgreSql()
    {
        await Broker.PurgeAsync();
        await using var hub = new PmhHubFactory(TestTransport.RabbitMq, TestStorage.PostgreSql);
        var today = Pmh.Contracts.Validation.PlausibleDates.Today(TimeProvider.System);
        var date = today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var month = today.ToString("yyyy-MM", CultureInfo.InvariantCulture);
        var myNumber = TestData.MyNumber(710);
        using var card = hub.Cards.Issue();
        await ReceptionDesk.RegisterCardAsync(hub.ClientFor(PmhHubFactory.CardIssuerKey), card, myNumber, "2025-04-01");
        var chiyoda = hub.ClientFor(PmhHubFactory.ChiyodaKey);
        Assert.Equal(HttpStatusCode.Accepted, (await chiyoda.PostAsJsonAsync($"/api/v1/municipalities/{TestData.Chiyoda}/vaccination-records", new
        {
            batchId = "it-b-reg",
            records = new object[] { new { recordKey = "R-1", myNumber, localPersonId = "A-710", vaccine = "HIB", doseNumber = 1, date = "2025-06-03", programme = "routineA" } },
        })).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await chiyoda.PostAsJsonAsync($"/api/v1/municipalities/{TestData.Chiyoda}/vaccination-prices", new
        {
            batchId = "it-b-prices",
            prices = new object[]
            {
                new { vaccine = "MR", programme = "routineA", validFrom = "2025-04-01", validTo = "2025-12-31", unitPriceYen = 10_890, patientShareYen = 0, questionnaireRequired = "0" },
                new { vaccine = "MR", programme = "routineA", validFrom = "2026-01-01", validTo = (string?)null, unitPriceYen = 9_999, patientShareYen = 0, questionnaireRequired = "1" },
            },
        })).StatusCode);
        foreach (var batchId in new[] { "it-b-reg", "it-b-prices" })
        {
            var batch = await Eventually.UntilAsync(
                async () => (await chiyoda.GetFromJsonAsync<JsonObject>($"/api/v1/batches/{batchId}"))!,
                b => (string?)b["status"] != "accepted",
                $"batch {batchId} to be applied",
                TimeSpan.FromSeconds(60));
            Assert.Equal(batchId == "it-b-prices" ? 2 : 1, (int?)batch["acceptedCount"]);
        }

        var citizen = hub.CreateClient();
        var challenge = (await (await citizen.PostAsync("/api/v1/me/challenges", null)).Content.ReadFromJsonAsync<JsonObject>())!;
        var questionnaire = await citizen.PostAsJsonAsync("/api/v1/me/questionnaires", new
        {
            challengeId = (string?)challenge["challengeId"],
            certificate = Convert.ToBase64String(card.CertificateDer),
            signature = Convert.ToBase64String(card.Sign(Convert.FromBase64String((string)challenge["nonce"]!))),
            vaccine = "MR",
            doseNumber = 1,
            answeredBy = "保護者",
            answers = new Dictionary<string, object>
            {
                ["temperature"] = 36.5, ["readLeaflet"] = "yes", ["unwellToday"] = "no", ["illLastMonth"] = "no", ["contactsIll"] = "no",
                ["vaccinatedLastMonth"] = "no", ["underCare"] = "no", ["seizures"] = "no", ["allergy"] = "no", ["previousReaction"] = "no",
                ["familyImmunodeficiency"] = "no", ["transfusion"] = "no", ["consent"] = "yes",
            },
        });
        Assert.Equal(HttpStatusCode.Created, questionnaire.StatusCode);
        var questionnaireId = (string)(await questionnaire.Content.ReadFromJsonAsync<JsonObject>())!["questionnaireId"]!;

        var clinic = hub.ClientFor(PmhHubFactory.ClinicKey);
        var check = (await (await ReceptionDesk.CheckAsync(clinic, card, new { vaccination = true }, date)).Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal(questionnaireId, (string?)check["vaccination"]!["questionnaires"]![0]!["questionnaireId"]);
        var without = await clinic.PostAsJsonAsync("/api/v1/vaccinations", new
        {
            checkId = (string?)check["checkId"], submissionId = "it-b-0", vaccine = "MR", doseNumber = 1, date, programme = "routineA",
        });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, without.StatusCode);
        var dose = await clinic.PostAsJsonAsync("/api/v1/vaccinations", new
        {
            checkId = (string?)check["checkId"], submissionId = "it-b-1", vaccine = "MR", doseNumber = 1, date, programme = "routineA", questionnaireId,
            decision = new { vaccinate = true, doctorName = "神田 一郎", decidedAt = DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture) },
        });
        Assert.Equal(HttpStatusCode.Created, dose.StatusCode);

        var claims = (await chiyoda.GetFromJsonAsync<JsonObject>($"/api/v1/municipalities/{TestData.Chiyoda}/vaccination-claims?month={month}"))!;
        var claim = Assert.Single(claims["claims"]!.AsArray())!;
        var line = Assert.Single(claim["lines"]!.AsArray())!;
        Assert.Equal(9_999, (long?)line["billedYen"]);
        Assert.Equal("A-710", (string?)line["localPersonId"]);
        Assert.DoesNotContain(myNumber, claims.ToJsonString(), StringComparison.Ordinal);
    }
}
