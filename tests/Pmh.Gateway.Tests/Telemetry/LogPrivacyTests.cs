using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Pmh.Identity.Simulator;
using Pmh.Testing;
using Pmh.Testing.Logs;

namespace Pmh.Gateway.Tests.Telemetry;

/// <summary>
/// The README's walk-through (publishing, reception, vaccination, maternal-child, participants and audit, the
/// citizen's log, dead letters, co-payments) against the hub, with every log line as its JSON console prints it
/// scanned for My Numbers, names, birth dates, API keys and certificate bodies.
/// </summary>
public sealed class LogPrivacyTests : IDisposable
{
    private readonly PmhHubFactory _hub = new();
    private readonly JsonLogLines _logs = new();
    private readonly WebApplicationFactory<Program> _logged;

    public LogPrivacyTests() =>
        _logged = _hub.WithWebHostBuilder(builder => builder.ConfigureTestServices(_logs.AddTo));

    public void Dispose()
    {
        _logged.Dispose();
        _hub.Dispose();
    }

    private static string Demo(string file)
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "Pmh.sln")))
        {
            folder = folder.Parent;
        }

        return Path.Combine(folder?.FullName ?? throw new DirectoryNotFoundException("Pmh.sln not found above " + AppContext.BaseDirectory), "infra", "demo", file);
    }

    /// <summary>Names, kana names, birth dates and My Numbers of every demo row (JSON and CSV).</summary>
    private static (List<string> Names, List<string> BirthDates, List<string> Numbers) DemoPeople()
    {
        var names = new List<string>();
        var dates = new List<string>();
        var numbers = new List<string>();
        foreach (var row in JsonNode.Parse(File.ReadAllText(Demo("subsidy-certificates.json")))!["certificates"]!.AsArray())
        {
            numbers.Add((string)row!["myNumber"]!);
            names.Add((string)row["basicFiveInfo"]!["name"]!);
            names.Add((string)row["basicFiveInfo"]!["nameKana"]!);
            dates.Add((string)row["basicFiveInfo"]!["dateOfBirth"]!);
        }

        var csv = File.ReadAllLines(Demo("subsidy-certificates.csv"), Encoding.UTF8);
        var header = csv[0].TrimStart('\uFEFF').Split(',');
        foreach (var line in csv.Skip(1).Where(l => l.Length > 0))
        {
            var cells = line.Split(',');
            numbers.Add(cells[Array.IndexOf(header, "myNumber")]);
            names.Add(cells[Array.IndexOf(header, "basicFiveInfo.name")]);
            names.Add(cells[Array.IndexOf(header, "basicFiveInfo.nameKana")]);
            dates.Add(cells[Array.IndexOf(header, "basicFiveInfo.dateOfBirth")]);
        }

        return (names, dates, numbers);
    }

    private HttpClient Client(string? key)
    {
        var client = _logged.CreateClient();
        if (key is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        return client;
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private static async Task<JsonObject> Ok(HttpResponseMessage response, params HttpStatusCode[] expected)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(
            (expected.Length == 0 ? response.IsSuccessStatusCode : expected.Contains(response.StatusCode)),
            $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri?.PathAndQuery}: {(int)response.StatusCode} {body}");
        return body.StartsWith('{') ? JsonNode.Parse(body)!.AsObject() : [];
    }

    /// <summary>Runs the walk-through; returns the API keys it saw (the configured ones and one issued on the way).</summary>
    private async Task<List<string>> WalkThroughAsync(SimulatedCard yamada, SimulatedCard sato)
    {
        var today = DateTime.UtcNow.AddHours(9).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var chiyoda = Client(PmhHubFactory.ChiyodaKey);
        var clinic = Client(PmhHubFactory.ClinicKey);
        var issuer = Client(PmhHubFactory.CardIssuerKey);
        var op = Client(PmhHubFactory.OperatorKey);

        // Publishing: JSON with one refused row, its status and rejections, CSV, two errors.
        await Ok(await chiyoda.PostAsync($"/api/v1/municipalities/{TestData.Chiyoda}/subsidy-certificates", Json(File.ReadAllText(Demo("subsidy-certificates.json")))));
        await Pmh.Testing.BadInput.BadInputSession.WaitForBatchAsync(chiyoda, "chiyoda-2026-04-001");
        await Ok(await chiyoda.GetAsync("/api/v1/batches/chiyoda-2026-04-001/rejections"));
        await Ok(await chiyoda.PostAsync(
            $"/api/v1/municipalities/{TestData.Chiyoda}/subsidy-certificates?batchId=csv-001",
            new ByteArrayContent(File.ReadAllBytes(Demo("subsidy-certificates.csv"))) { Headers = { ContentType = new MediaTypeHeaderValue("text/csv") } }));
        await Pmh.Testing.BadInput.BadInputSession.WaitForBatchAsync(chiyoda, "csv-001");
        await Ok(await chiyoda.PostAsync($"/api/v1/municipalities/{TestData.Hachioji}/subsidy-certificates", Json("""{"certificates":[]}""")), HttpStatusCode.Forbidden);
        await Ok(await chiyoda.PostAsync($"/api/v1/municipalities/{TestData.Chiyoda}/subsidy-certificates", Json("""{"certificates":[]}""")), HttpStatusCode.UnprocessableEntity);

        // Cards registered by the issuer with the holders' My Numbers; reception checks.
        await Ok(await ReceptionDesk.RegisterCardAsync(issuer, yamada, "123456789018", "2019-04-01"));
        await Ok(await ReceptionDesk.RegisterCardAsync(issuer, sato, "234567890121", "2021-08-15"));
        var check = await Ok(await ReceptionDesk.CheckAsync(clinic, yamada, new { subsidy = true }, today));
        var checkId = (string)check["checkId"]!;
        await Ok(await ReceptionDesk.CheckAsync(clinic, sato, new { subsidy = false }, today));
        await Ok(await clinic.GetAsync($"/api/v1/reception/checks/{checkId}"));

        // Vaccination: the register, a dose, the feed, the FHIR history.
        await Ok(await chiyoda.PostAsync($"/api/v1/municipalities/{TestData.Chiyoda}/vaccination-records", Json("""
            {"batchId":"reg-001","records":[{"recordKey":"R-1","myNumber":"123456789018","localPersonId":"A0001","vaccine":"HIB","doseNumber":1,
             "date":"2019-06-03","lotNumber":"H1","institutionCode":"1310123458","programme":"routineA"}]}
            """)));
        await Pmh.Testing.BadInput.BadInputSession.WaitForBatchAsync(chiyoda, "reg-001");
        var vaccinationCheck = (string)(await Ok(await ReceptionDesk.CheckAsync(clinic, yamada, new { vaccination = true, maternalChild = true }, today)))["checkId"]!;
        await Ok(await clinic.PostAsync("/api/v1/vaccinations", Json($$"""
            {"checkId":"{{vaccinationCheck}}","submissionId":"visit-0001","vaccine":"MR","doseNumber":1,"date":"{{today}}","lotNumber":"M77","programme":"routineA"}
            """)));
        await Ok(await chiyoda.GetAsync($"/api/v1/municipalities/{TestData.Chiyoda}/vaccination-events?after=0&limit=100"));
        var fhir = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/reception/checks/{vaccinationCheck}/vaccinations");
        fhir.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/fhir+json"));
        await Ok(await clinic.SendAsync(fhir));

        // Maternal-child: a pregnancy, its voucher used, a birth, an infant checkup refused for the mother's check, the feed.
        var due = DateTime.UtcNow.AddDays(10).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var registered = DateTime.UtcNow.AddDays(-200).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        await Ok(await chiyoda.PostAsync($"/api/v1/municipalities/{TestData.Chiyoda}/pregnancies", Json($$"""
            {"batchId":"preg-001","pregnancies":[{"recordKey":"P-1","myNumber":"123456789018","localPersonId":"A0001","dueDate":"{{due}}","registrationDate":"{{registered}}"}]}
            """)));
        await Pmh.Testing.BadInput.BadInputSession.WaitForBatchAsync(chiyoda, "preg-001");
        var maternal = (string)(await Ok(await ReceptionDesk.CheckAsync(clinic, yamada, new { maternalChild = true }, today)))["checkId"]!;
        await Ok(await clinic.PostAsync("/api/v1/maternal-child/voucher-redemptions", Json($$"""
            {"checkId":"{{maternal}}","voucher":"131016:pregnancy:P-1#1","redemptionId":"visit-42","date":"{{today}}","gestationalWeek":38,"weightKg":55.2,"notes":"経過良好"}
            """)));
        await Ok(await chiyoda.PostAsync($"/api/v1/municipalities/{TestData.Chiyoda}/children", Json($$"""
            {"batchId":"child-001","children":[{"recordKey":"C-1","myNumber":"456789012346","birthDate":"{{today}}","guardianMyNumber":"123456789018","pregnancyRecordKey":"P-1"}]}
            """)));
        await Pmh.Testing.BadInput.BadInputSession.WaitForBatchAsync(chiyoda, "child-001");
        await Ok(await clinic.PostAsync("/api/v1/maternal-child/infant-checkups", Json($$"""
            {"checkId":"{{maternal}}","submissionId":"visit-43","checkup":"1m","date":"{{today}}","ageMonths":1,"weightKg":4.1,"heightCm":54.0}
            """)), HttpStatusCode.UnprocessableEntity, HttpStatusCode.NotFound, HttpStatusCode.Conflict);
        await Ok(await chiyoda.GetAsync($"/api/v1/municipalities/{TestData.Chiyoda}/maternal-child-events?after=0"));

        // Co-payments: a receipt on the check's certificate, then its correction.
        var certificateId = (string)check["subsidy"]!["certificates"]![0]!["certificateId"]!;
        await Ok(await clinic.PostAsync("/api/v1/copayments", Json($$"""{"checkId":"{{checkId}}","certificateId":"{{certificateId}}","receiptId":"rcpt-0001","amountYen":1800}""")));
        await Ok(await clinic.PostAsync("/api/v1/copayments/rcpt-0001/corrections", Json("""{"correctionId":"fix-1","amountYen":0}""")));

        // The operator: participants, a key issued and revoked, the audit chain, dead letters, metrics.
        await Ok(await op.GetAsync("/api/v1/participants"));
        var issued = await Ok(await op.PostAsync("/api/v1/participants/clinic/keys", null));
        var newKey = issued.Select(p => p.Value).OfType<JsonValue>().Select(v => v.ToString()).FirstOrDefault(v => v.Length >= 32) ?? "";
        var keyId = (string?)issued["keyId"] ?? (string?)issued["id"] ?? "";
        await Ok(await Client(newKey).GetAsync($"/api/v1/reception/checks/{checkId}"), HttpStatusCode.OK, HttpStatusCode.NotFound);
        await Ok(await op.DeleteAsync($"/api/v1/participants/clinic/keys/{keyId}"), HttpStatusCode.OK, HttpStatusCode.NoContent);
        await Ok(await op.GetAsync("/api/v1/audit/verification"));
        await Ok(await op.GetAsync("/api/v1/operator/dead-letters"));
        await Ok(await op.GetAsync("/metrics"));

        // The citizen reads their own log with their card.
        var challenge = await Ok(await Client(null).PostAsync("/api/v1/me/challenges", null));
        var signature = yamada.Sign(Convert.FromBase64String((string)challenge["nonce"]!));
        await Ok(await Client(null).PostAsJsonAsync("/api/v1/me/access-log", new
        {
            challengeId = (string)challenge["challengeId"]!,
            certificate = Convert.ToBase64String(yamada.CertificateDer),
            signature = Convert.ToBase64String(signature),
        }));

        // What made the noise: no key, an unknown key, a revoked key, a desk at an operator endpoint.
        await Ok(await Client(null).GetAsync("/api/v1/participants"), HttpStatusCode.Unauthorized);
        await Ok(await Client("no-such-key").GetAsync("/api/v1/participants"), HttpStatusCode.Unauthorized);
        await Ok(await Client(newKey).GetAsync("/api/v1/participants"), HttpStatusCode.Unauthorized);
        await Ok(await clinic.GetAsync("/api/v1/participants"), HttpStatusCode.Forbidden);

        return [.. PmhHubFactory.TestParticipants.Select(p => p.ApiKey), newKey, "no-such-key"];
    }

    [Fact]
    public async Task The_whole_walk_through_logs_no_my_number_name_birth_date_key_or_certificate_and_the_scanner_finds_a_planted_one()
    {
        using var yamada = _hub.Cards.Issue("yamada");
        using var sato = _hub.Cards.Issue("sato");
        var keys = await WalkThroughAsync(yamada, sato);
        var (names, birthDates, numbers) = DemoPeople();
        var scanner = new PersonalDataScanner(names, birthDates, keys.Where(k => k.Length > 0), numbers);
        var lines = _logs.Lines.ToList();

        var findings = scanner.Scan(lines);

        Assert.True(findings.Count == 0, "Personal data in the logs:\n" + string.Join("\n", findings.Select(f => $"{f.Kind} {f.Value}: {f.Line}")));
        Assert.True(lines.Count > 20, $"only {lines.Count} log lines: the capture is not working");
        // Every request is one line (method, route template, status), inside its trace; never the path with its ids;
        // none about challenged or unauthenticated keys.
        Assert.DoesNotContain(lines, l => l.Contains("\"Path\":", StringComparison.Ordinal) || l.Contains("\"RequestPath\":", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("\"Route\":\"/api/v1/reception/checks/{checkId}\"", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("\"Route\":\"/api/v1/reception/checks\"", StringComparison.Ordinal)
                                    && l.Contains("\"StatusCode\":200", StringComparison.Ordinal)
                                    && l.Contains("\"TraceId\":", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.Contains("was challenged", StringComparison.Ordinal) || l.Contains("was not authenticated", StringComparison.Ordinal)
                                          || l.Contains("was forbidden", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.Contains("Authorization failed", StringComparison.Ordinal));

        // Positive control through the same capture: one planted line of each kind is found, and only those.
        var logger = _logged.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Pmh.PositiveControl");
        logger.LogWarning("planted {MyNumber} {Name} {BirthDate} {Key} {Certificate}",
            "123456789018", "佐藤 一郎", "2017-01-20", PmhHubFactory.ClinicKey, Convert.ToBase64String(yamada.CertificateDer));
        var planted = scanner.Scan(_logs.Lines.Skip(lines.Count).ToList());
        Assert.Equal(
            new[] { PersonalDataKind.MyNumber, PersonalDataKind.Name, PersonalDataKind.BirthDate, PersonalDataKind.ApiKey, PersonalDataKind.Certificate },
            planted.Select(f => f.Kind).Distinct().Order());
    }

    [Theory]
    [InlineData("person 123456789018 checked", PersonalDataKind.MyNumber)]
    [InlineData("row 3: 123456789019 refused", PersonalDataKind.MyNumber)] // a wrong check digit, but one of the inputs
    [InlineData("name \\u5C71\\u7530 \\u82B1\\u5B50 in JSON escapes", PersonalDataKind.Name)]
    [InlineData("name 山田花子 without its space", PersonalDataKind.Name)]
    [InlineData("born 2019-04-01", PersonalDataKind.BirthDate)]
    [InlineData("Authorization: Bearer test-key-clinic", PersonalDataKind.ApiKey)]
    [InlineData("-----BEGIN CERTIFICATE-----", PersonalDataKind.Certificate)]
    public void The_scanner_finds_each_kind_of_personal_data(string line, PersonalDataKind kind)
    {
        var scanner = new PersonalDataScanner(["山田 花子"], ["2019-04-01"], [PmhHubFactory.ClinicKey], ["123456789019"]);

        Assert.Equal(kind, Assert.Single(scanner.Scan([line])).Kind);
    }

    [Theory]
    [InlineData("batch chiyoda-2026-04-001: 3 accepted, 1 rejected")]
    [InlineData("outbox 123456789012 sent")] // twelve digits, a wrong check digit, no input of the walk-through
    [InlineData("service date 2026-12-03")]
    public void The_scanner_passes_lines_without_personal_data(string line)
    {
        var scanner = new PersonalDataScanner(["山田 花子"], ["2019-04-01"], [PmhHubFactory.ClinicKey], ["123456789019"]);

        Assert.Empty(scanner.Scan([line]));
    }
}
