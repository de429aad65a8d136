using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;
using Pmh.Contracts.MaternalChild;
using Pmh.Identity.Simulator;
using Pmh.Testing;

namespace Pmh.Gateway.Tests.Apis;

public sealed class MaternalChildApiTests : IDisposable
{
    private static readonly object Consent = new { maternalChild = true };
    private readonly PmhHubFactory _hub = new();
    private readonly HttpClient _clinic;
    private readonly HttpClient _chiyoda;

    public MaternalChildApiTests()
    {
        _clinic = _hub.ClientFor(PmhHubFactory.ClinicKey);
        _chiyoda = _hub.ClientFor(PmhHubFactory.ChiyodaKey);
    }

    public void Dispose() => _hub.Dispose();

    private async Task<JsonObject> UploadAsync(string path, string batchId, string rowsField, params object[] rows)
    {
        var response = await _chiyoda.PostAsJsonAsync($"/api/v1/municipalities/{TestData.Chiyoda}/{path}", new Dictionary<string, object> { ["batchId"] = batchId, [rowsField] = rows });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return await _chiyoda.WaitForBatchAsync(batchId);
    }

    /// <summary>A pregnant person with a registered card and a pregnancy registered on 2026-03-01, due 2026-10-01.</summary>
    private async Task<(SimulatedCard Card, string MyNumber)> MotherAsync(int seed)
    {
        var myNumber = TestData.MyNumber(seed);
        var card = _hub.Cards.Issue();
        await ReceptionDesk.RegisterCardAsync(_hub.ClientFor(PmhHubFactory.CardIssuerKey), card, myNumber, "1995-05-05");
        var batch = await UploadAsync("pregnancies", $"p-{seed}", "pregnancies",
            new { recordKey = $"P-{seed}", myNumber, localPersonId = $"M{seed}", dueDate = "2026-10-01", registrationDate = "2026-03-01" });
        Assert.Equal(1, (int?)batch["acceptedCount"]);
        return (card, myNumber);
    }

    private async Task<JsonObject> CheckAsync(SimulatedCard card, string serviceDate, HttpClient? desk = null)
    {
        var response = await ReceptionDesk.CheckAsync(desk ?? _clinic, card, Consent, serviceDate);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.JsonAsync();
    }

    private static Task<HttpResponseMessage> RedeemAsync(HttpClient desk, JsonObject check, int voucherIndex, string redemptionId, string date = "2026-05-01") =>
        desk.PostAsJsonAsync("/api/v1/maternal-child/voucher-redemptions", new
        {
            checkId = (string?)check["checkId"],
            voucher = (string?)check["maternalChild"]!["pregnancies"]![0]!["vouchers"]![voucherIndex]!["voucherId"],
            redemptionId,
            date,
            gestationalWeek = 20,
            weightKg = 58.2,
            notes = "経過良好",
        });

    [Fact]
    public async Task A_registered_pregnancy_shows_fourteen_vouchers_at_reception()
    {
        var (card, _) = await MotherAsync(1);

        var part = (await CheckAsync(card, "2026-05-01"))["maternalChild"]!;

        Assert.Equal("provided", (string?)part["status"]);
        var pregnancy = part["pregnancies"]![0]!;
        Assert.Equal((14, 0, 14), ((int)pregnancy["total"]!, (int)pregnancy["used"]!, (int)pregnancy["left"]!));
        Assert.Equal(14, pregnancy["vouchers"]!.AsArray().Count);
        Assert.Empty(part["infantCheckups"]!.AsArray());
    }

    [Fact]
    public async Task A_voucher_is_used_once_a_replay_answers_the_same_and_another_use_is_a_conflict()
    {
        var (card, _) = await MotherAsync(2);
        var check = await CheckAsync(card, "2026-05-01");
        var pharmacy = _hub.ClientFor(PmhHubFactory.PharmacyKey);
        var otherCheck = await CheckAsync(card, "2026-05-01", pharmacy);

        var first = await RedeemAsync(_clinic, check, 0, "r-1");
        var replay = await RedeemAsync(_clinic, check, 0, "r-1");
        var other = await RedeemAsync(pharmacy, otherCheck, 0, "r-9");

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, replay.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, other.StatusCode);
        Assert.Equal("alreadyUsed", (string?)(await other.JsonAsync())["errors"]!["voucher"]![0]);
        var after = (await CheckAsync(card, "2026-05-02"))["maternalChild"]!["pregnancies"]![0]!;
        Assert.Equal((1, 13), ((int)after["used"]!, (int)after["left"]!));
        // The event leaves through the maternal-child database's outbox, after the answer: wait for it, then count.
        await Eventually.UntilAsync(() => _hub.Services.GetTestHarness().Published.Select<CheckupRecorded>().Any(), "the checkup's event");
        Assert.Single(_hub.Services.GetTestHarness().Published.Select<CheckupRecorded>());
    }

    [Fact]
    public async Task A_voucher_through_another_participants_check_is_refused()
    {
        var (card, _) = await MotherAsync(3);
        var check = await CheckAsync(card, "2026-05-01");

        var response = await RedeemAsync(_hub.ClientFor(PmhHubFactory.PharmacyKey), check, 0, "r-1");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task A_registered_birth_closes_the_pregnancy_and_starts_the_infant_checkups()
    {
        var (card, mother) = await MotherAsync(4);
        var childNumber = TestData.MyNumber(1004);
        using var childCard = _hub.Cards.Issue();
        await ReceptionDesk.RegisterCardAsync(_hub.ClientFor(PmhHubFactory.CardIssuerKey), childCard, childNumber, "2026-09-20");
        await UploadAsync("children", "c-4", "children",
            new { recordKey = "C-4", myNumber = childNumber, localPersonId = "K4", birthDate = "2026-09-20", guardianMyNumber = mother, pregnancyRecordKey = "P-4" });

        var pregnancy = (await CheckAsync(card, "2026-09-25"))["maternalChild"]!["pregnancies"]![0]!;
        var checkAfterBirth = await CheckAsync(card, "2026-09-25");
        var refused = await RedeemAsync(_clinic, checkAfterBirth, 0, "r-late", "2026-09-25");
        var child = await CheckAsync(childCard, "2026-10-25");

        Assert.False((bool)pregnancy["isOpen"]!);
        Assert.Equal(0, (int)pregnancy["left"]!);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        Assert.Equal("pregnancyClosed", (string?)(await refused.JsonAsync())["errors"]!["voucher"]![0]);
        var checkups = child["maternalChild"]!["infantCheckups"]!.AsArray();
        Assert.Equal(["1m", "3-4m", "18m", "3y"], checkups.Select(c => (string?)c!["checkup"]));
        Assert.Equal("due", (string?)checkups[0]!["status"]);

        var recorded = await _clinic.PostAsJsonAsync("/api/v1/maternal-child/infant-checkups", new
        {
            checkId = (string?)child["checkId"], submissionId = "i-1", checkup = "1m", date = "2026-10-25", ageMonths = 1, weightKg = 4.1, heightCm = 54.0,
        });
        Assert.Equal(HttpStatusCode.Created, recorded.StatusCode);
        var done = (await CheckAsync(childCard, "2026-10-26"))["maternalChild"]!["infantCheckups"]![0]!;
        Assert.Equal(("done", "2026-10-25"), ((string?)done["status"], (string?)done["doneOn"]));
    }

    [Fact]
    public async Task A_child_row_naming_a_pregnancy_never_registered_is_rejected_and_the_others_are_stored()
    {
        var (_, mother) = await MotherAsync(6);
        var linked = TestData.MyNumber(1006);
        var unlinked = TestData.MyNumber(1007);
        var orphan = TestData.MyNumber(1008);

        var response = await _chiyoda.PostAsJsonAsync($"/api/v1/municipalities/{TestData.Chiyoda}/children", new
        {
            batchId = "c-6",
            children = new object[]
            {
                new { recordKey = "C-6", myNumber = linked, birthDate = "2026-09-20", guardianMyNumber = mother, pregnancyRecordKey = "P-6" },
                new { recordKey = "C-7", myNumber = unlinked, birthDate = "2026-09-21" },
                new { recordKey = "C-8", myNumber = orphan, birthDate = "2026-09-22", pregnancyRecordKey = "P-NEVER" },
            },
        });

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var batch = await _chiyoda.WaitForBatchAsync("c-6");
        Assert.Equal(2, (int?)batch["acceptedCount"]);
        var rejection = Assert.Single(batch["rejected"]!.AsArray())!;
        Assert.Equal((2, "pregnancyRecordKey"), ((int)rejection["index"]!, (string?)rejection["field"]));
        Assert.Contains("no pregnancy that 131016 has registered", (string?)rejection["reason"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_child_batch_whose_every_row_names_an_unknown_pregnancy_is_refused_with_422()
    {
        // Another municipality's pregnancy does not count: record ids are per municipality.
        await MotherAsync(9);
        using var hachioji = _hub.ClientFor(PmhHubFactory.HachiojiKey);

        var response = await hachioji.PostAsJsonAsync($"/api/v1/municipalities/{TestData.Hachioji}/children", new
        {
            batchId = "c-9",
            children = new[] { new { recordKey = "C-9", myNumber = TestData.MyNumber(1009), birthDate = "2026-09-20", pregnancyRecordKey = "P-9" } },
        });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var errors = (await response.JsonAsync())["errors"]!;
        Assert.Contains("no pregnancy that 132012 has registered", (string?)errors["children[0].pregnancyRecordKey"]![0], StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await hachioji.GetAsync("/api/v1/batches/c-9")).StatusCode);
    }

    [Fact]
    public async Task Checkup_results_reach_the_municipality_feed_by_its_own_reference()
    {
        var (card, mother) = await MotherAsync(5);
        var check = await CheckAsync(card, "2026-05-01");
        await RedeemAsync(_clinic, check, 0, "r-1");
        await RedeemAsync(_clinic, check, 1, "r-2", "2026-05-15");

        var feed = await (await _chiyoda.GetAsync($"/api/v1/municipalities/{TestData.Chiyoda}/maternal-child-events?after=0")).JsonAsync();

        var events = feed["events"]!.AsArray();
        Assert.Equal([1L, 2L], events.Select(e => (long)e!["sequence"]!));
        Assert.Equal("M5", (string?)events[0]!["localPersonId"]);
        Assert.Equal(20, (int?)events[0]!["result"]!["gestationalWeek"]);
        Assert.DoesNotContain(mother, feed.ToJsonString(), StringComparison.Ordinal);
        Assert.Empty((await (await _chiyoda.GetAsync($"/api/v1/municipalities/{TestData.Chiyoda}/maternal-child-events?after={feed["next"]}")).JsonAsync())["events"]!.AsArray());
    }

    [Fact]
    public async Task Bad_uploads_and_bad_redemptions_get_their_clear_errors_and_store_nothing()
    {
        var bad = await _chiyoda.PostAsJsonAsync($"/api/v1/municipalities/{TestData.Chiyoda}/pregnancies", new
        {
            batchId = "p-bad",
            pregnancies = new[] { new { recordKey = "P-x", myNumber = "123456789019", dueDate = "2026-01-01", registrationDate = "2026-03-01" } },
        });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, bad.StatusCode);
        var errors = (await bad.JsonAsync())["errors"]!.AsObject();
        Assert.NotNull(errors["pregnancies[0].myNumber"]);
        Assert.NotNull(errors["pregnancies[0].dueDate"]);

        var (card, _) = await MotherAsync(6);
        var check = await CheckAsync(card, "2026-05-01");
        var badRedemption = await _clinic.PostAsJsonAsync("/api/v1/maternal-child/voucher-redemptions", new { checkId = (string?)check["checkId"], redemptionId = "r 1", date = "soon" });
        Assert.Equal(HttpStatusCode.BadRequest, badRedemption.StatusCode);
        Assert.Equal(["date", "gestationalWeek", "redemptionId", "voucher"], (await badRedemption.JsonAsync())["errors"]!.AsObject().Select(e => e.Key).Order());
        var unknown = await _clinic.PostAsJsonAsync("/api/v1/maternal-child/voucher-redemptions", new
        {
            checkId = (string?)check["checkId"], voucher = "131016:pregnancy:nope#1", redemptionId = "r-2", date = "2026-05-01", gestationalWeek = 10,
        });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, unknown.StatusCode);
        var left = (await CheckAsync(card, "2026-05-02"))["maternalChild"]!["pregnancies"]![0]!;
        Assert.Equal(14, (int)left["left"]!);
    }
}
