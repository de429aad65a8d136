using System.Globalization;
using System.Text.Json.Nodes;

namespace Pmh.Testing.BadInput;

/// <summary>What a field holds, which decides the values that are certainly wrong for it.</summary>
public enum FieldKind
{
    /// <summary>An ISO date (yyyy-MM-dd).</summary>
    Date,

    /// <summary>A whole number (as a JSON number or a string of digits).</summary>
    Integer,

    /// <summary>A measurement (kg, cm): a number.</summary>
    Decimal,

    /// <summary>A municipality or institution code with its check digit.</summary>
    Code,

    /// <summary>A 12-digit My Number with its check digit.</summary>
    MyNumber,

    /// <summary>A value from a closed list (vaccine, programme, checkup, role).</summary>
    Choice,

    /// <summary>Base64 bytes (a certificate or a signature).</summary>
    Base64,

    /// <summary>An identifier of something the hub must know (a check, a challenge, a certificate, a voucher): an unknown one is refused.</summary>
    Reference,

    /// <summary>An identifier the caller chooses (receipt, submission, record key): the hub bounds it but its content is free.</summary>
    Id,

    /// <summary>Free text (notes, names).</summary>
    Text,

    /// <summary>The consent object of a reception check.</summary>
    Consent,

    /// <summary>The rows of a batch.</summary>
    Rows,
}

/// <summary>
/// A field of a request body: where it is (a dotted path, <c>rows.0.myNumber</c> for a field of a batch's first row), what it
/// holds, and whether a request without it is certainly wrong. A row field's bad value makes a rejected row, not a refused
/// request, so it is only required not to crash the hub.
/// </summary>
public sealed record BadInputField(string Path, FieldKind Kind, bool Required = true, bool Plausible = false, bool NonNegative = true)
{
    /// <summary>A field inside a batch row: its bad values give rejected rows, so the request's outcome is not fixed.</summary>
    public bool InRow => Path.Contains(".0.", StringComparison.Ordinal);
}

/// <summary>The parts of one request before a mutation is applied: the values of the route's parameters, the query, the body.</summary>
public sealed class BadInputRequest
{
    public required string Method { get; set; }

    public required string PathTemplate { get; init; }

    public Dictionary<string, string> Route { get; init; } = new(StringComparer.Ordinal);

    /// <summary>The query string as written (already escaped), without the <c>?</c>.</summary>
    public List<string> Query { get; init; } = [];

    public JsonObject? Body { get; set; }

    /// <summary>A body sent as it is instead of <see cref="Body"/> (malformed JSON, CSV, wrong bytes).</summary>
    public byte[]? RawBody { get; set; }

    public string? ContentType { get; set; } = "application/json";

    /// <summary>The <c>Authorization</c> header's value; null: none.</summary>
    public string? Authorization { get; set; }

    /// <summary>The key of the participant the request is made as (for the follow-up "was anything stored" question).</summary>
    public string? ApiKey { get; set; }

    /// <summary>The batch a publishing request would create: after a refusal it must not exist.</summary>
    public string? BatchId { get; set; }

    public string Path()
    {
        var path = PathTemplate;
        foreach (var (name, value) in Route)
        {
            path = path.Replace("{" + name + "}", value, StringComparison.Ordinal);
        }

        return Query.Count == 0 ? path : path + "?" + string.Join('&', Query);
    }
}

/// <summary>
/// One operation of <c>/openapi/v1.json</c>: who may call it, the fields of its body and how to build a request that would
/// succeed (<see cref="Valid"/>, given the run's session and the case's number for unique ids).
/// </summary>
public sealed record BadInputOperation(
    string Name,
    string Method,
    string PathTemplate,
    string? Key,
    string? WrongRoleKey,
    IReadOnlyList<BadInputField> Fields,
    Func<BadInputSession, int, Task<BadInputRequest>> Valid)
{
    /// <summary>Route parameters whose hostile values are certainly refused (a code of another municipality, an unknown id).</summary>
    public IReadOnlyList<string> RouteParameters { get; init; } = [];

    /// <summary>Query parameters that must be whole numbers (feed cursors and limits).</summary>
    public IReadOnlyList<string> NumericQuery { get; init; } = [];

    public bool HasJsonBody => Fields.Count > 0;

    public bool IsBatch { get; init; }

    /// <summary>A body in CSV: the content type is text/csv and the mutations are the CSV reader's.</summary>
    public bool IsCsv { get; init; }
}

/// <summary>Every operation of the hub's API, as a municipality, a desk, a card issuer, an operator and a citizen call it.</summary>
public static class BadInputOperations
{
    private const string Chiyoda = TestData.Chiyoda;

    public static IReadOnlyList<BadInputOperation> All { get; } = Build();

    private static string N(int n, string prefix) => string.Create(CultureInfo.InvariantCulture, $"{prefix}-{n}");

    private static BadInputRequest Request(string method, string path, string? key, JsonObject? body = null) =>
        new() { Method = method, PathTemplate = path, Body = body, ApiKey = key, Authorization = key is null ? null : "Bearer " + key, ContentType = body is null ? null : "application/json" };

    private static BadInputField F(string path, FieldKind kind, bool required = true, bool plausible = false, bool nonNegative = true) =>
        new(path, kind, required, plausible, nonNegative);

    private static List<BadInputOperation> Build()
    {
        const string municipality = PmhHubFactory.ChiyodaKey;
        const string clinic = PmhHubFactory.ClinicKey;
        const string issuer = PmhHubFactory.CardIssuerKey;
        const string op = PmhHubFactory.OperatorKey;

        BadInputOperation Batch(string name, string path, string rowsField, IReadOnlyList<BadInputField> rowFields, Func<int, JsonObject> row) =>
            new(name, "POST", $"/api/v1/municipalities/{{code}}/{path}", municipality, clinic,
                [F("batchId", FieldKind.Id, required: false), F(rowsField, FieldKind.Rows), .. rowFields.Select(f => f with { Path = $"{rowsField}.0.{f.Path}", Required = false })],
                (s, n) =>
                {
                    var batchId = N(n, "bad-" + path);
                    var request = Request("POST", $"/api/v1/municipalities/{{code}}/{path}", municipality, new JsonObject { ["batchId"] = batchId, [rowsField] = new JsonArray(row(n)) });
                    request.Route["code"] = Chiyoda;
                    request.BatchId = batchId;
                    return Task.FromResult(request);
                })
            { RouteParameters = ["code"], IsBatch = true };

        static string Person(int n) => TestData.MyNumber(9_100_000 + n);

        var operations = new List<BadInputOperation>
        {
            new("batch status", "GET", "/api/v1/batches/{batchId}", municipality, clinic, [],
                (s, n) => Task.FromResult(Routed(Request("GET", "/api/v1/batches/{batchId}", municipality), "batchId", s.SetupBatchId)))
            { RouteParameters = ["batchId"] },
            new("batch rejections", "GET", "/api/v1/batches/{batchId}/rejections", municipality, clinic, [],
                (s, n) => Task.FromResult(Routed(Request("GET", "/api/v1/batches/{batchId}/rejections", municipality), "batchId", s.SetupBatchId)))
            { RouteParameters = ["batchId"] },
            new("audit verification", "GET", "/api/v1/audit/verification", op, municipality, [],
                (s, n) => Task.FromResult(Request("GET", "/api/v1/audit/verification", op))),
            Batch("subsidy certificates", "subsidy-certificates", "certificates",
                [F("myNumber", FieldKind.MyNumber), F("validFrom", FieldKind.Date), F("validTo", FieldKind.Date), F("historyKey", FieldKind.Id),
                 F("basicFiveInfo.dateOfBirth", FieldKind.Date), F("maxCopaymentAmount.monthlyYen", FieldKind.Integer), F("certificationDetail", FieldKind.Rows),
                 F("medicalSubsidyInsurerNumber", FieldKind.Code), F("designatedMedicalInstitutions", FieldKind.Rows), F("basicFiveInfo.name", FieldKind.Text)],
                n => TestData.CertificateRow(Person(n), N(n, "H-BAD"))),
            new("subsidy certificates as CSV", "POST", "/api/v1/municipalities/{code}/subsidy-certificates", municipality, clinic, [],
                (s, n) =>
                {
                    var batchId = N(n, "bad-csv");
                    var request = Request("POST", "/api/v1/municipalities/{code}/subsidy-certificates", municipality);
                    request.Route["code"] = Chiyoda;
                    request.Query.Add("batchId=" + batchId);
                    request.BatchId = batchId;
                    request.ContentType = "text/csv";
                    request.RawBody = System.Text.Encoding.UTF8.GetBytes(CertificateCsv(Person(n), N(n, "H-CSV")));
                    return Task.FromResult(request);
                })
            { RouteParameters = ["code"], IsBatch = true, IsCsv = true },
            new("co-payment", "POST", "/api/v1/copayments", clinic, municipality,
                [F("checkId", FieldKind.Reference), F("certificateId", FieldKind.Reference), F("receiptId", FieldKind.Id), F("amountYen", FieldKind.Integer),
                 F("serviceDate", FieldKind.Date, required: false, plausible: true)],
                (s, n) => Task.FromResult(Request("POST", "/api/v1/copayments", clinic,
                    new JsonObject { ["checkId"] = s.CheckId, ["certificateId"] = s.CertificateId, ["receiptId"] = N(n, "r-bad"), ["amountYen"] = "10" }))),
            new("co-payment correction", "POST", "/api/v1/copayments/{receiptId}/corrections", clinic, municipality,
                [F("correctionId", FieldKind.Id), F("amountYen", FieldKind.Integer)],
                (s, n) => Task.FromResult(Routed(Request("POST", "/api/v1/copayments/{receiptId}/corrections", clinic,
                    new JsonObject { ["correctionId"] = N(n, "c-bad"), ["amountYen"] = "900" }), "receiptId", s.ReceiptId)))
            { RouteParameters = ["receiptId"] },
            Batch("vaccination register", "vaccination-records", "records",
                [F("recordKey", FieldKind.Id), F("myNumber", FieldKind.MyNumber), F("vaccine", FieldKind.Choice), F("doseNumber", FieldKind.Integer),
                 F("date", FieldKind.Date, plausible: true), F("institutionCode", FieldKind.Code), F("programme", FieldKind.Choice), F("lotNumber", FieldKind.Text)],
                n => new JsonObject
                {
                    ["recordKey"] = N(n, "R-BAD"), ["myNumber"] = Person(n), ["localPersonId"] = N(n, "A"), ["vaccine"] = "MR", ["doseNumber"] = "1",
                    ["date"] = "2020-05-01", ["lotNumber"] = "LOT", ["institutionCode"] = PmhHubFactory.ClinicCode, ["programme"] = "routineA",
                }),
            Feed("vaccination events", "vaccination-events", municipality, clinic),
            new("dose", "POST", "/api/v1/vaccinations", clinic, municipality,
                [F("checkId", FieldKind.Reference), F("submissionId", FieldKind.Id), F("vaccine", FieldKind.Choice), F("doseNumber", FieldKind.Integer),
                 F("date", FieldKind.Date, plausible: true), F("lotNumber", FieldKind.Text, required: false), F("programme", FieldKind.Choice, required: false),
                 F("municipalityCode", FieldKind.Code, required: false)],
                (s, n) => Task.FromResult(Request("POST", "/api/v1/vaccinations", clinic, new JsonObject
                {
                    ["checkId"] = s.CheckId, ["submissionId"] = N(n, "s-bad"), ["vaccine"] = "HIB", ["doseNumber"] = 2, ["date"] = "2019-08-10",
                    ["lotNumber"] = "LOT2", ["programme"] = "routineA",
                }))),
            Batch("vaccination prices", "vaccination-prices", "prices",
                [F("vaccine", FieldKind.Choice), F("programme", FieldKind.Choice), F("validFrom", FieldKind.Date), F("validTo", FieldKind.Date),
                 F("unitPriceYen", FieldKind.Integer), F("patientShareYen", FieldKind.Integer), F("questionnaireRequired", FieldKind.Choice)],
                n => new JsonObject
                {
                    ["vaccine"] = "MR", ["programme"] = "routineA", ["validFrom"] = "2025-04-01", ["validTo"] = "2027-03-31", ["unitPriceYen"] = 10_890,
                    ["patientShareYen"] = 0, ["questionnaireRequired"] = "0",
                }),
            new("institution vaccination claims", "GET", "/api/v1/vaccination-claims", clinic, municipality, [],
                (s, n) =>
                {
                    var request = Request("GET", "/api/v1/vaccination-claims", clinic);
                    request.Query.Add("month=2026-11");
                    return Task.FromResult(request);
                }),
            new("institution vaccination claim", "GET", "/api/v1/vaccination-claims/{claimId}", clinic, municipality, [],
                (s, n) => Task.FromResult(Routed(Request("GET", "/api/v1/vaccination-claims/{claimId}", clinic), "claimId", $"{PmhHubFactory.ClinicCode}-{Chiyoda}-2026-11")))
            { RouteParameters = ["claimId"] },
            new("municipality vaccination claims", "GET", "/api/v1/municipalities/{code}/vaccination-claims", municipality, clinic, [],
                (s, n) =>
                {
                    var request = Routed(Request("GET", "/api/v1/municipalities/{code}/vaccination-claims", municipality), "code", Chiyoda);
                    request.Query.Add("month=2026-11");
                    return Task.FromResult(request);
                })
            { RouteParameters = ["code"] },
            new("municipality vaccination claim", "GET", "/api/v1/municipalities/{code}/vaccination-claims/{claimId}", municipality, clinic, [],
                (s, n) => Task.FromResult(Routed(Routed(Request("GET", "/api/v1/municipalities/{code}/vaccination-claims/{claimId}", municipality), "code", Chiyoda),
                    "claimId", $"{PmhHubFactory.ClinicCode}-{Chiyoda}-2026-11")))
            { RouteParameters = ["code", "claimId"] },
            new("vaccination claim decisions", "POST", "/api/v1/municipalities/{code}/vaccination-claims/{claimId}/decisions", municipality, clinic,
                [F("lines", FieldKind.Rows), F("lines.0.lineId", FieldKind.Reference, required: false), F("lines.0.decision", FieldKind.Choice, required: false),
                 F("lines.0.reason", FieldKind.Text, required: false)],
                (s, n) => Task.FromResult(Routed(Routed(Request("POST", "/api/v1/municipalities/{code}/vaccination-claims/{claimId}/decisions", municipality, new JsonObject
                {
                    ["lines"] = new JsonArray(new JsonObject { ["lineId"] = N(n, "line"), ["decision"] = "rejected", ["reason"] = "二重請求" }),
                }), "code", Chiyoda), "claimId", $"{PmhHubFactory.ClinicCode}-{Chiyoda}-2026-11")))
            { RouteParameters = ["code", "claimId"] },
            new("approve a claim's pending lines", "POST", "/api/v1/municipalities/{code}/vaccination-claims/{claimId}/approve-pending", municipality, clinic, [],
                (s, n) => Task.FromResult(Routed(Routed(Request("POST", "/api/v1/municipalities/{code}/vaccination-claims/{claimId}/approve-pending", municipality), "code", Chiyoda),
                    "claimId", $"{PmhHubFactory.ClinicCode}-{Chiyoda}-2026-11")))
            { RouteParameters = ["code", "claimId"] },
            new("dose correction", "POST", "/api/v1/vaccinations/{submissionId}/corrections", clinic, municipality,
                [F("correctionId", FieldKind.Id), F("vaccine", FieldKind.Choice, required: false), F("doseNumber", FieldKind.Integer, required: false),
                 F("date", FieldKind.Date, required: false, plausible: true), F("lotNumber", FieldKind.Text, required: false), F("programme", FieldKind.Choice, required: false)],
                (s, n) => Task.FromResult(Routed(Request("POST", "/api/v1/vaccinations/{submissionId}/corrections", clinic,
                    new JsonObject { ["correctionId"] = N(n, "fix-bad"), ["lotNumber"] = "LOT3" }), "submissionId", N(n, "s-bad"))))
            { RouteParameters = ["submissionId"] },
            new("questionnaire definition", "GET", "/api/v1/questionnaires/{vaccine}", clinic, municipality, [],
                (s, n) => Task.FromResult(Routed(Request("GET", "/api/v1/questionnaires/{vaccine}", clinic), "vaccine", "MR")))
            { RouteParameters = ["vaccine"] },
            new("citizen questionnaire definition", "GET", "/api/v1/me/questionnaires/{vaccine}", null, null, [],
                (s, n) => Task.FromResult(Routed(Request("GET", "/api/v1/me/questionnaires/{vaccine}", null), "vaccine", "HPV")))
            { RouteParameters = ["vaccine"] },
            new("citizen questionnaire", "POST", "/api/v1/me/questionnaires", null, null,
                [F("challengeId", FieldKind.Reference), F("certificate", FieldKind.Base64), F("signature", FieldKind.Base64), F("vaccine", FieldKind.Choice),
                 F("doseNumber", FieldKind.Integer), F("answers", FieldKind.Consent), F("answeredBy", FieldKind.Text)],
                async (s, n) =>
                {
                    var (challengeId, certificate, signature) = await s.ProofAsync(s.Card, citizen: true);
                    return Request("POST", "/api/v1/me/questionnaires", null, new JsonObject
                    {
                        ["challengeId"] = challengeId, ["certificate"] = certificate, ["signature"] = signature, ["vaccine"] = "FLU", ["doseNumber"] = 1,
                        ["answers"] = new JsonObject
                        {
                            ["temperature"] = "36.4", ["readLeaflet"] = "yes", ["underTreatment"] = "no", ["illLastMonth"] = "no", ["unwellToday"] = "no",
                            ["seizures"] = "no", ["respiratory"] = "no", ["allergy"] = "no", ["previousReaction"] = "no", ["vaccinatedLastMonth"] = "no", ["consent"] = "yes",
                        },
                        ["answeredBy"] = "検査 太郎",
                    });
                }),
            new("vaccination history", "GET", "/api/v1/reception/checks/{checkId}/vaccinations", clinic, municipality, [],
                (s, n) => Task.FromResult(Routed(Request("GET", "/api/v1/reception/checks/{checkId}/vaccinations", clinic), "checkId", s.CheckId)))
            { RouteParameters = ["checkId"] },
            Batch("pregnancies", "pregnancies", "pregnancies",
                [F("recordKey", FieldKind.Id), F("myNumber", FieldKind.MyNumber), F("dueDate", FieldKind.Date), F("registrationDate", FieldKind.Date), F("localPersonId", FieldKind.Id)],
                n => new JsonObject { ["recordKey"] = N(n, "P-BAD"), ["myNumber"] = Person(n), ["localPersonId"] = N(n, "M"), ["dueDate"] = "2026-10-01", ["registrationDate"] = "2026-03-01" }),
            Batch("children", "children", "children",
                [F("recordKey", FieldKind.Id), F("myNumber", FieldKind.MyNumber), F("birthDate", FieldKind.Date), F("guardianMyNumber", FieldKind.MyNumber), F("pregnancyRecordKey", FieldKind.Id)],
                n => new JsonObject { ["recordKey"] = N(n, "C-BAD"), ["myNumber"] = Person(n), ["localPersonId"] = N(n, "K"), ["birthDate"] = "2026-09-20", ["guardianMyNumber"] = Person(n + 50_000) }),
            Feed("maternal-child events", "maternal-child-events", municipality, clinic),
            new("voucher use", "POST", "/api/v1/maternal-child/voucher-redemptions", clinic, municipality,
                [F("checkId", FieldKind.Reference), F("voucher", FieldKind.Reference), F("redemptionId", FieldKind.Id), F("date", FieldKind.Date, plausible: true),
                 F("gestationalWeek", FieldKind.Integer, required: false), F("weightKg", FieldKind.Decimal, required: false), F("notes", FieldKind.Text, required: false)],
                (s, n) => Task.FromResult(Request("POST", "/api/v1/maternal-child/voucher-redemptions", clinic, new JsonObject
                {
                    ["checkId"] = s.CheckId, ["voucher"] = "V-1", ["redemptionId"] = N(n, "v-bad"), ["date"] = "2026-05-01", ["gestationalWeek"] = 20, ["weightKg"] = 58.2, ["notes"] = "経過良好",
                }))),
            new("infant checkup", "POST", "/api/v1/maternal-child/infant-checkups", clinic, municipality,
                [F("checkId", FieldKind.Reference), F("submissionId", FieldKind.Id), F("checkup", FieldKind.Choice), F("date", FieldKind.Date, plausible: true),
                 F("ageMonths", FieldKind.Integer, required: false), F("weightKg", FieldKind.Decimal, required: false), F("heightCm", FieldKind.Decimal, required: false)],
                (s, n) => Task.FromResult(Request("POST", "/api/v1/maternal-child/infant-checkups", clinic, new JsonObject
                {
                    ["checkId"] = s.CheckId, ["submissionId"] = N(n, "i-bad"), ["checkup"] = "1m", ["date"] = "2019-05-01", ["ageMonths"] = 1, ["weightKg"] = 4.1, ["heightCm"] = 54.0,
                }))),
            new("reception challenge", "POST", "/api/v1/reception/challenges", clinic, municipality, [],
                (s, n) => Task.FromResult(Request("POST", "/api/v1/reception/challenges", clinic))),
            new("reception check", "POST", "/api/v1/reception/checks", clinic, municipality,
                [F("challengeId", FieldKind.Reference), F("certificate", FieldKind.Base64), F("signature", FieldKind.Base64), F("consent", FieldKind.Consent),
                 F("serviceDate", FieldKind.Date, plausible: true)],
                async (s, n) =>
                {
                    var (challengeId, certificate, signature) = await s.ProofAsync(s.Card, citizen: false);
                    return Request("POST", "/api/v1/reception/checks", clinic, new JsonObject
                    {
                        ["challengeId"] = challengeId, ["certificate"] = certificate, ["signature"] = signature,
                        ["consent"] = new JsonObject { ["subsidy"] = true, ["vaccination"] = true, ["maternalChild"] = true }, ["serviceDate"] = s.ServiceDate,
                    });
                }),
            new("reception check result", "GET", "/api/v1/reception/checks/{checkId}", clinic, municipality, [],
                (s, n) => Task.FromResult(Routed(Request("GET", "/api/v1/reception/checks/{checkId}", clinic), "checkId", s.CheckId)))
            { RouteParameters = ["checkId"] },
            new("card registration", "POST", "/api/v1/cards", issuer, clinic,
                [F("certificate", FieldKind.Base64), F("myNumber", FieldKind.MyNumber), F("birthDate", FieldKind.Date, plausible: true)],
                (s, n) =>
                {
                    var spare = n % s.SpareCards.Count;
                    return Task.FromResult(Request("POST", "/api/v1/cards", issuer, new JsonObject
                    {
                        ["certificate"] = Convert.ToBase64String(s.SpareCards[spare].CertificateDer), ["myNumber"] = TestData.MyNumber(9_200_000 + spare), ["birthDate"] = "1990-01-01",
                    }));
                }),
            new("card revocation", "POST", "/api/v1/cards/revocations", issuer, clinic,
                [F("certificate", FieldKind.Base64, required: false), F("issuer", FieldKind.Text, required: false), F("serialNumber", FieldKind.Id, required: false)],
                (s, n) => Task.FromResult(Request("POST", "/api/v1/cards/revocations", issuer, new JsonObject
                {
                    ["certificate"] = Convert.ToBase64String(s.SpareCards[n % s.SpareCards.Count].CertificateDer),
                }))),
            new("participants", "GET", "/api/v1/participants", op, municipality, [],
                (s, n) => Task.FromResult(Request("GET", "/api/v1/participants", op))),
            new("participant upsert", "POST", "/api/v1/participants", op, municipality,
                [F("id", FieldKind.Id), F("name", FieldKind.Text, required: false), F("role", FieldKind.Choice), F("code", FieldKind.Code)],
                (s, n) => Task.FromResult(Request("POST", "/api/v1/participants", op, new JsonObject
                {
                    ["id"] = N(n, "bad-input"), ["name"] = "検査用診療所", ["role"] = "MedicalInstitution", ["code"] = PmhHubFactory.ClinicCode,
                }))),
            new("participant key", "POST", "/api/v1/participants/{id}/keys", op, municipality, [],
                (s, n) => Task.FromResult(Routed(Request("POST", "/api/v1/participants/{id}/keys", op), "id", BadInputSession.KeyParticipant)))
            { RouteParameters = ["id"] },
            new("participant key revocation", "DELETE", "/api/v1/participants/{id}/keys/{keyId}", op, municipality, [],
                (s, n) => Task.FromResult(Routed(Routed(Request("DELETE", "/api/v1/participants/{id}/keys/{keyId}", op), "id", BadInputSession.KeyParticipant), "keyId", Guid.NewGuid().ToString("N"))))
            { RouteParameters = ["id"] },
            new("dead letters", "GET", "/api/v1/operator/dead-letters", op, municipality, [],
                (s, n) => Task.FromResult(Request("GET", "/api/v1/operator/dead-letters", op)))
            { NumericQuery = ["limit"] },
            new("dead letter", "GET", "/api/v1/operator/dead-letters/{id}", op, municipality, [],
                (s, n) => Task.FromResult(Routed(Request("GET", "/api/v1/operator/dead-letters/{id}", op), "id", Guid.NewGuid().ToString())))
            { RouteParameters = ["id"] },
            new("dead letter removal", "DELETE", "/api/v1/operator/dead-letters/{id}", op, municipality, [],
                (s, n) => Task.FromResult(Routed(Request("DELETE", "/api/v1/operator/dead-letters/{id}", op), "id", Guid.NewGuid().ToString())))
            { RouteParameters = ["id"] },
            new("dead letter replay", "POST", "/api/v1/operator/dead-letters/{id}/replay", op, municipality, [],
                (s, n) => Task.FromResult(Routed(Request("POST", "/api/v1/operator/dead-letters/{id}/replay", op), "id", Guid.NewGuid().ToString())))
            { RouteParameters = ["id"] },
            new("dead letters replay", "POST", "/api/v1/operator/dead-letters/replay", op, municipality, [],
                (s, n) => Task.FromResult(Request("POST", "/api/v1/operator/dead-letters/replay", op))),
            new("citizen challenge", "POST", "/api/v1/me/challenges", null, null, [],
                (s, n) => Task.FromResult(Request("POST", "/api/v1/me/challenges", null))),
            new("citizen access log", "POST", "/api/v1/me/access-log", null, null,
                [F("challengeId", FieldKind.Reference), F("certificate", FieldKind.Base64), F("signature", FieldKind.Base64)],
                async (s, n) =>
                {
                    var (challengeId, certificate, signature) = await s.ProofAsync(s.Card, citizen: true);
                    return Request("POST", "/api/v1/me/access-log", null, new JsonObject { ["challengeId"] = challengeId, ["certificate"] = certificate, ["signature"] = signature });
                }),
        };
        return operations;
    }

    private static BadInputOperation Feed(string name, string path, string key, string wrongKey) =>
        new(name, "GET", $"/api/v1/municipalities/{{code}}/{path}", key, wrongKey, [],
            (s, n) =>
            {
                var request = Routed(Request("GET", $"/api/v1/municipalities/{{code}}/{path}", key), "code", Chiyoda);
                request.Query.AddRange(["after=0", "limit=10"]);
                return Task.FromResult(request);
            })
        { RouteParameters = ["code"], NumericQuery = ["after", "limit"] };

    private static BadInputRequest Routed(BadInputRequest request, string parameter, string value)
    {
        request.Route[parameter] = Uri.EscapeDataString(value);
        return request;
    }

    /// <summary>A one-row CSV in the certificate layout the hub documents (and its tests use).</summary>
    public static string CertificateCsv(string myNumber, string historyKey) =>
        "orgSpecificCertificateTypeId,myNumber,basicFiveInfo.name,basicFiveInfo.nameKana,basicFiveInfo.address,basicFiveInfo.dateOfBirth,basicFiveInfo.sex,isNotDisclosed,"
        + "medicalSubsidyInsurerNumber,certificationName,medicalSubsidyRecipientNumber,designatedMedicalInstitutions,isAlwaysReimbursement,maxCopaymentAmount.monthlyYen,"
        + "validFrom,validTo,historyKey,isDeleted,certificationDetail\n"
        + $"KODOMO01,{myNumber},山田 花子,ヤマダ ハナコ,東京都千代田区千代田1-1,2019-04-01,2,0,{TestData.LocalPayer},子ども医療費受給者証,LOCAL-0001,1310123458,0,2500,"
        + $"2026-04-01,2027-03-31,{historyKey},0,負担割合=0割\n";
}
