using System.Net;
using System.Text.Json.Nodes;
using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;
using Pmh.Contracts.Subsidy;
using Dapper;
using Pmh.Hosting.Privacy;
using Pmh.Hosting.Storage;
using Pmh.Testing;

namespace Pmh.Gateway.Tests.Apis;

public sealed class PublishingApiTests : IDisposable
{
    private readonly PmhHubFactory _hub = new();
    private readonly HttpClient _chiyoda;

    public PublishingApiTests() => _chiyoda = _hub.ClientFor(PmhHubFactory.ChiyodaKey);

    public void Dispose() => _hub.Dispose();

    private ITestHarness Harness => _hub.Services.GetTestHarness();

    private async Task<IReadOnlyList<string>> EligibleHistoryKeysAsync(string myNumber, DateOnly date)
    {
        var personKey = _hub.Services.GetRequiredService<PersonKeys>().For(Contracts.Identifiers.MyNumber.Parse(myNumber));
        var client = Harness.GetRequestClient<CheckSubsidyEligibility>();
        var response = await client.GetResponse<SubsidyEligibility>(new CheckSubsidyEligibility { PersonKey = personKey, ServiceDate = date });
        return response.Message.Certificates.Select(c => c.HistoryKey).ToList();
    }

    [Fact]
    public async Task A_valid_batch_is_accepted_with_its_url_and_then_completed_and_eligible()
    {
        var alice = TestData.MyNumber(1);
        var response = await _chiyoda.PublishAsync(TestData.Chiyoda, TestData.Batch("b-001", TestData.CertificateRow(alice, "H-1"), TestData.CertificateRow(alice, "H-2")));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal("/api/v1/batches/b-001", response.Headers.Location?.OriginalString);
        var accepted = await response.JsonAsync();
        Assert.Equal("accepted", (string?)accepted["status"]);
        Assert.Equal(2, (int?)accepted["rowCount"]);

        var batch = await _chiyoda.WaitForBatchAsync("b-001");
        Assert.Equal("completed", (string?)batch["status"]);
        Assert.Equal(2, (int?)batch["acceptedCount"]);
        Assert.Equal(0, (int?)batch["rejectedCount"]);
        Assert.Equal(["H-1", "H-2"], await EligibleHistoryKeysAsync(alice, new DateOnly(2026, 4, 1)));
    }

    [Fact]
    public async Task A_batch_of_many_parts_through_a_window_of_one_part_is_applied_whole_and_leaves_the_window_empty()
    {
        await using var hub = new PmhHubFactory(settings: new Dictionary<string, string?>
        {
            ["Pmh:Gateway:BatchPartRows"] = "1",
            ["Pmh:Outbox:InMemoryPartWindow"] = "1",
        });
        var chiyoda = hub.ClientFor(PmhHubFactory.ChiyodaKey);
        var rows = Enumerable.Range(0, 6).Select(i => TestData.CertificateRow(TestData.MyNumber(50 + i), $"W-{i}")).ToArray();

        var response = await chiyoda.PublishAsync(TestData.Chiyoda, TestData.Batch("b-window", rows));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var batch = await chiyoda.WaitForBatchAsync("b-window");
        Assert.Equal("completed", (string?)batch["status"]);
        Assert.Equal(6, (int?)batch["acceptedCount"]);
        var window = hub.Services.GetRequiredService<Pmh.Hosting.Outbox.BatchPartWindow>();
        Assert.Equal(1, window.Capacity);
        Assert.Equal(0, window.InFlight);
    }

    [Fact]
    public async Task Invalid_rows_are_reported_with_index_field_and_reason_and_only_valid_rows_are_stored()
    {
        var good = TestData.MyNumber(1);
        var bad = TestData.CertificateRow(TestData.MyNumber(2), "H-2");
        bad["myNumber"] = "123456789019";
        bad["validTo"] = "2026-03-01";
        var response = await _chiyoda.PublishAsync(TestData.Chiyoda, TestData.Batch("b-mixed", TestData.CertificateRow(good, "H-1"), bad));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var batch = await _chiyoda.WaitForBatchAsync("b-mixed");
        Assert.Equal(1, (int?)batch["acceptedCount"]);
        Assert.Equal(1, (int?)batch["rejectedCount"]);
        var rejected = batch["rejected"]!.AsArray().Select(r => ((int?)r!["index"], (string?)r["field"], (string?)r["reason"])).ToList();
        Assert.Contains((1, "myNumber", "check digit does not match"), rejected);
        Assert.Contains((1, "validTo", "must not be before validFrom"), rejected);
        Assert.Equal(["H-1"], await EligibleHistoryKeysAsync(good, new DateOnly(2026, 4, 1)));
        Assert.Empty(await EligibleHistoryKeysAsync(TestData.MyNumber(2), new DateOnly(2026, 4, 1)));
    }

    [Fact]
    public async Task A_batch_whose_rows_all_fail_gets_422_naming_each_field_and_stores_nothing()
    {
        var row = TestData.CertificateRow(TestData.MyNumber(3), "H-1");
        row["myNumber"] = "123456789019";
        row["medicalSubsidyInsurerNumber"] = "88134458";
        var response = await _chiyoda.PublishAsync(TestData.Chiyoda, TestData.Batch("b-bad", row));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.JsonAsync();
        Assert.Equal("check digit does not match", (string?)problem["errors"]!["certificates[0].myNumber"]![0]);
        Assert.Equal("check digit does not match", (string?)problem["errors"]!["certificates[0].medicalSubsidyInsurerNumber"]![0]);
        Assert.Equal(HttpStatusCode.NotFound, (await _chiyoda.GetAsync("/api/v1/batches/b-bad")).StatusCode);
        Assert.False(await Harness.Sent.Any<PublishSubsidyCertificates>(Quick()));
    }

    [Fact]
    public async Task A_nested_field_is_named_by_its_whole_path()
    {
        var row = TestData.CertificateRow(TestData.MyNumber(30), "H-1");
        row["maxCopaymentAmount"]!["monthlyYen"] = -5;
        row["basicFiveInfo"]!["sex"] = "3";

        var problem = await (await _chiyoda.PublishAsync(TestData.Chiyoda, TestData.Batch("b-nested", row))).JsonAsync();

        Assert.Equal("must be a whole number of yen from 0 to 10000000", (string?)problem["errors"]!["certificates[0].maxCopaymentAmount.monthlyYen"]![0]);
        Assert.NotNull(problem["errors"]!["certificates[0].basicFiveInfo.sex"]);
    }

    [Fact]
    public async Task Malformed_json_gets_400_naming_the_body()
    {
        var response = await _chiyoda.PublishRawAsync(TestData.Chiyoda, """{"batchId":"x","certificates":[{""");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.JsonAsync();
        Assert.StartsWith("is not valid JSON", (string?)problem["errors"]!["body"]![0], StringComparison.Ordinal);
        Assert.False(await Harness.Sent.Any<PublishSubsidyCertificates>(Quick()));
    }

    [Fact]
    public async Task A_body_without_certificates_gets_400_naming_the_field()
    {
        var response = await _chiyoda.PublishRawAsync(TestData.Chiyoda, """{"batchId":"x"}""");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("is required as an array of rows", (string?)(await response.JsonAsync())["errors"]!["certificates"]![0]);
    }

    [Fact]
    public async Task A_row_with_a_field_of_the_wrong_type_is_rejected_with_that_field()
    {
        var row = TestData.CertificateRow(TestData.MyNumber(4), "H-1");
        row["basicFiveInfo"] = "not an object";
        var response = await _chiyoda.PublishAsync(TestData.Chiyoda, TestData.Batch("b-type", row, TestData.CertificateRow(TestData.MyNumber(5), "H-2")));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var rejected = Assert.Single((await response.JsonAsync())["rejected"]!.AsArray());
        Assert.Equal((0, "basicFiveInfo", "has the wrong type"), ((int?)rejected!["index"], (string?)rejected["field"], (string?)rejected["reason"]));
    }

    [Fact]
    public async Task An_empty_batch_gets_422_and_stores_nothing()
    {
        var response = await _chiyoda.PublishAsync(TestData.Chiyoda, TestData.Batch("b-empty"));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal("must contain at least one row", (string?)(await response.JsonAsync())["errors"]!["certificates"]![0]);
        Assert.Equal(HttpStatusCode.NotFound, (await _chiyoda.GetAsync("/api/v1/batches/b-empty")).StatusCode);
    }

    [Fact]
    public async Task A_duplicate_row_in_a_batch_is_rejected_and_the_first_is_stored()
    {
        var alice = TestData.MyNumber(6);
        var response = await _chiyoda.PublishAsync(TestData.Chiyoda, TestData.Batch("b-dup",
            TestData.CertificateRow(alice, "H-1", certificationName: "first"),
            TestData.CertificateRow(alice, "H-1", certificationName: "second")));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var batch = await _chiyoda.WaitForBatchAsync("b-dup");
        Assert.Equal(1, (int?)batch["acceptedCount"]);
        var rejected = Assert.Single(batch["rejected"]!.AsArray());
        Assert.Equal("historyKey", (string?)rejected!["field"]);
        Assert.Equal("duplicates the historyKey of row 0 in this batch", (string?)rejected["reason"]);
    }

    [Fact]
    public async Task Sending_the_same_batch_again_changes_nothing_and_reports_the_same_result()
    {
        var body = TestData.Batch("b-again", TestData.CertificateRow(TestData.MyNumber(7), "H-1"));
        await _chiyoda.PublishAsync(TestData.Chiyoda, body);
        var first = await _chiyoda.WaitForBatchAsync("b-again");

        var again = await _chiyoda.PublishAsync(TestData.Chiyoda, body);

        Assert.Equal(HttpStatusCode.Accepted, again.StatusCode);
        Assert.Equal(first.ToJsonString(), (await again.JsonAsync()).ToJsonString());
        Assert.Equal(first.ToJsonString(), (await _chiyoda.WaitForBatchAsync("b-again")).ToJsonString());
        // Completed batches are not sent to the subsidy service again.
        Assert.Single(Harness.Sent.Select<PublishSubsidyCertificates>());
    }

    [Fact]
    public async Task Reusing_a_batch_id_for_different_content_gets_409()
    {
        await _chiyoda.PublishAsync(TestData.Chiyoda, TestData.Batch("b-reused", TestData.CertificateRow(TestData.MyNumber(8), "H-1")));

        var response = await _chiyoda.PublishAsync(TestData.Chiyoda, TestData.Batch("b-reused", TestData.CertificateRow(TestData.MyNumber(8), "H-2")));

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains("batchId", (await response.JsonAsync()).Errors(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bare_array_gets_a_batch_id_derived_from_its_content()
    {
        var rows = new JsonArray(TestData.CertificateRow(TestData.MyNumber(9), "H-1"));

        var first = await (await _chiyoda.PublishAsync(TestData.Chiyoda, rows)).JsonAsync();
        var second = await (await _chiyoda.PublishAsync(TestData.Chiyoda, rows.DeepClone())).JsonAsync();

        var batchId = (string?)first["batchId"];
        Assert.StartsWith("auto-", batchId, StringComparison.Ordinal);
        Assert.Equal(batchId, (string?)second["batchId"]);
        Assert.Equal("completed", (string?)(await _chiyoda.WaitForBatchAsync(batchId!))["status"]);
    }

    [Fact]
    public async Task A_csv_batch_is_read_with_the_same_rules()
    {
        var alice = TestData.MyNumber(10);
        var header = "orgSpecificCertificateTypeId,myNumber,basicFiveInfo.name,basicFiveInfo.nameKana,basicFiveInfo.address,basicFiveInfo.dateOfBirth,basicFiveInfo.sex,isNotDisclosed,medicalSubsidyInsurerNumber,certificationName,medicalSubsidyRecipientNumber,designatedMedicalInstitutions,isAlwaysReimbursement,maxCopaymentAmount.monthlyYen,validFrom,validTo,historyKey,isDeleted,certificationDetail";
        var csv = $"""
            {header}
            KODOMO01,{alice},山田 花子,ヤマダ ハナコ,"東京都千代田区千代田1-1",2019-04-01,2,0,{TestData.LocalPayer},子ども医療費受給者証,LOCAL-0001,1310123458;0110113719,0,2500,2026-04-01,2027-03-31,H-1,0,負担割合=0割;備考=なし
            KODOMO01,123456789019,山田 太郎,ヤマダ タロウ,東京都,2019-04-01,1,0,{TestData.LocalPayer},子ども医療費受給者証,LOCAL-0002,,0,,2026-04-01,2027-03-31,H-2,0,
            """;

        var response = await _chiyoda.PostAsync(
            $"/api/v1/municipalities/{TestData.Chiyoda}/subsidy-certificates?batchId=csv-1",
            new StringContent(csv, System.Text.Encoding.UTF8, "text/csv"));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var batch = await _chiyoda.WaitForBatchAsync("csv-1");
        Assert.Equal(1, (int?)batch["acceptedCount"]);
        Assert.Equal("myNumber", (string?)batch["rejected"]![0]!["field"]);
        var personKey = _hub.Services.GetRequiredService<PersonKeys>().For(Contracts.Identifiers.MyNumber.Parse(alice));
        var eligibility = await Harness.GetRequestClient<CheckSubsidyEligibility>()
            .GetResponse<SubsidyEligibility>(new CheckSubsidyEligibility { PersonKey = personKey, ServiceDate = new DateOnly(2026, 4, 1) });
        var certificate = Assert.Single(eligibility.Message.Certificates);
        Assert.Equal(["1310123458", "0110113719"], certificate.DesignatedMedicalInstitutions);
        Assert.Equal(2, certificate.CertificationDetail.Count);
        Assert.Equal("LOCAL-0001", certificate.MedicalSubsidyRecipientNumber);
    }

    [Fact]
    public async Task A_csv_without_a_required_column_gets_400_naming_it()
    {
        var response = await _chiyoda.PublishRawAsync(TestData.Chiyoda, "orgSpecificCertificateTypeId\nKODOMO01\n", "text/csv");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("column is missing from the CSV header", (string?)(await response.JsonAsync())["errors"]!["myNumber"]![0]);
    }

    [Fact]
    public async Task Another_municipalitys_code_gets_403_and_stores_nothing()
    {
        var response = await _chiyoda.PublishAsync(TestData.Hachioji, TestData.Batch("b-other", TestData.CertificateRow(TestData.MyNumber(11), "H-1")));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.False(await Harness.Sent.Any<PublishSubsidyCertificates>(Quick()));
        var hachioji = _hub.ClientFor(PmhHubFactory.HachiojiKey);
        Assert.Equal(HttpStatusCode.NotFound, (await hachioji.GetAsync("/api/v1/batches/b-other")).StatusCode);
    }

    [Fact]
    public async Task A_medical_institution_cannot_publish_certificates()
    {
        var clinic = _hub.ClientFor(PmhHubFactory.ClinicKey);

        var response = await clinic.PublishAsync(TestData.Chiyoda, TestData.Batch("b-clinic", TestData.CertificateRow(TestData.MyNumber(12), "H-1")));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.False(await Harness.Sent.Any<PublishSubsidyCertificates>(Quick()));
    }

    [Fact]
    public async Task No_key_gets_401_with_a_bearer_challenge_and_stores_nothing()
    {
        var anonymous = _hub.CreateClient();

        var response = await anonymous.PublishAsync(TestData.Chiyoda, TestData.Batch("b-anon", TestData.CertificateRow(TestData.MyNumber(13), "H-1")));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.False(await Harness.Sent.Any<PublishSubsidyCertificates>(Quick()));
    }

    [Fact]
    public async Task An_unknown_key_gets_401()
    {
        var stranger = _hub.ClientFor("not-a-key");

        Assert.Equal(HttpStatusCode.Unauthorized, (await stranger.GetAsync("/api/v1/batches/anything")).StatusCode);
    }

    [Fact]
    public async Task An_invalid_municipality_code_in_the_path_gets_400_naming_it()
    {
        var response = await _chiyoda.PublishAsync("131017", TestData.Batch("b", TestData.CertificateRow(TestData.MyNumber(14), "H-1")));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("check digit does not match", (string?)(await response.JsonAsync())["errors"]!["code"]![0]);
    }

    [Fact]
    public async Task An_unsupported_media_type_gets_415()
    {
        var response = await _chiyoda.PublishRawAsync(TestData.Chiyoda, "<xml/>", "application/xml");

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.NotNull((await response.JsonAsync())["errors"]!["Content-Type"]);
    }

    [Fact]
    public async Task A_bad_batch_id_gets_422_naming_it()
    {
        var response = await _chiyoda.PublishAsync(TestData.Chiyoda, TestData.Batch("has spaces/and slashes", TestData.CertificateRow(TestData.MyNumber(15), "H-1")));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.NotNull((await response.JsonAsync())["errors"]!["batchId"]);
    }

    [Fact]
    public async Task A_batch_the_subsidy_service_cannot_apply_shows_as_failed_and_its_fault_is_published()
    {
        // Break the subsidy database under the running service: the part cannot be staged.
        var database = _hub.Services.GetRequiredKeyedService<ServiceDatabase>("Subsidy");
        await database.RunAsync((c, ct) => c.ExecuteAsync("DROP TABLE staged_batch_parts"), default);
        var alice = TestData.MyNumber(16);

        var response = await _chiyoda.PublishAsync(TestData.Chiyoda, TestData.Batch("b-fail", TestData.CertificateRow(alice, "H-1")));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var batch = await _chiyoda.WaitForBatchAsync("b-fail");
        Assert.Equal("failed", (string?)batch["status"]);
        Assert.Contains("error queue", (string?)batch["failure"], StringComparison.Ordinal);
        Assert.DoesNotContain("staged_batch_parts", batch.ToJsonString(), StringComparison.Ordinal);
        Assert.True(await Harness.Published.Any<Fault<PublishSubsidyCertificates>>());
    }

    private static CancellationToken Quick() => new CancellationTokenSource(TimeSpan.FromMilliseconds(300)).Token;
}
