using System.Collections.Concurrent;
using System.Data;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Logging;
using Pmh.Audit.Storage;
using Pmh.Contracts.Audit;
using Pmh.Contracts.MaternalChild;
using Pmh.Contracts.Subsidy;
using Pmh.Contracts.Vaccination;
using Pmh.Gateway.Apis;
using Pmh.Hosting.Privacy;
using Pmh.Identity.Cards;
using Pmh.MaternalChild.Domain;
using Pmh.MaternalChild.Reception;
using Pmh.Modules.Reception;
using Pmh.Subsidy.Domain;
using Pmh.Subsidy.Reception;
using Pmh.Vaccination.Domain;
using Pmh.Vaccination.Reception;

namespace Pmh.Benchmarks;

/// <summary>
/// The raw reception baseline's server (the <c>rawserver</c> command, started as a child process by
/// <see cref="RawReception"/>): a reception check's irreducible work with nothing of the hub's machinery — no bus, no
/// services resolved from a container, no Dapper, no resilience pipeline, no authentication or authorization
/// middleware, no validators. Kestrel with two plain request delegates; the same SQL statements as the hub, word for
/// word, on the hub's own SQLite files (its PRAGMAs; one open connection per worker, statements prepared once on it);
/// the same signature verification with the card's key parsed and chained once and cached by thumbprint; the three
/// lookups as direct calls in parallel; the check saved and the audit record committed to the gateway's outbox before
/// the answer, and a pump that appends each outbox row to the audit chain (inbox, head, entry) and marks it
/// dispatched, as the hub's dispatcher and audit consumer do. What it shares with the hub is data, not machinery: the
/// contracts and view records (so that the answer's JSON is the hub's), and the pure domain rules that compute the
/// answer (subsidy eligibility, the vaccination schedule, maternal-child entitlements, the audit hash chain).
/// </summary>
internal sealed class RawReceptionServer : IDisposable
{
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    private static readonly TimeSpan ChallengeLifetime = TimeSpan.FromSeconds(60); // IdentityOptions.ChallengeLifetime

    private static readonly TimeSpan CheckLifetime = TimeSpan.FromHours(12); // ReceptionOptions.CheckLifetime

    private const int OutboxBatch = 32; // OutboxOptions.BatchSize

    private const string AuditInbox = "audit-access-recorded"; // AccessRecordedConsumer.InboxName

    private readonly Sessions _gateway;
    private readonly Sessions _identity;
    private readonly Sessions _subsidy;
    private readonly Sessions _vaccination;
    private readonly Sessions _maternalChild;
    private readonly Sessions _audit;
    private readonly X509Certificate2Collection _trusted = [];
    private readonly ConcurrentDictionary<string, CardFacts?> _cards = new(StringComparer.Ordinal);
    private readonly PersonKeys _personKeys;
    private readonly RoutineSchedule _schedule = RoutineSchedule.Default;
    private readonly SemaphoreSlim _outboxSignal = new(0);

    private RawReceptionServer(string dataFolder)
    {
        Sessions Open(string name) => new(Path.Combine(dataFolder, name + ".db"));
        _gateway = Open("gateway");
        _identity = Open("identity");
        _subsidy = Open("subsidy");
        _vaccination = Open("vaccination");
        _maternalChild = Open("maternalchild");
        _audit = Open("audit");
        _trusted.ImportFromPemFile(Path.Combine(dataFolder, "benchmark-issuer-ca.pem"));

        // The hub the files come from runs in Development without Pmh:HubSecret: the development secret.
        _personKeys = new PersonKeys(HubSecret.FromConfiguration(
            new ConfigurationBuilder().Build(), new HostingEnvironment { EnvironmentName = Environments.Development }));
    }

    /// <summary>Serves on loopback <paramref name="port"/> until the process is ended.</summary>
    public static async Task<int> RunAsync(string dataFolder, int port)
    {
        foreach (var name in new[] { "gateway", "identity", "subsidy", "vaccination", "maternalchild", "audit" })
        {
            if (!File.Exists(Path.Combine(dataFolder, name + ".db")))
            {
                await Console.Error.WriteLineAsync($"rawserver: no {name}.db in {dataFolder}").ConfigureAwait(false);
                return 2;
            }
        }

        using var server = new RawReceptionServer(dataFolder);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, port));
        var app = builder.Build();
        app.MapGet("/health", () => "ok");
        app.MapPost("/api/v1/reception/challenges", server.ChallengeAsync);
        app.MapPost("/api/v1/reception/checks", server.CheckAsync);
        var pump = Task.Run(() => server.PumpOutboxAsync(app.Lifetime.ApplicationStopping));
        await app.RunAsync().ConfigureAwait(false);
        await pump.ConfigureAwait(false);
        return 0;
    }

    // ---- the two requests --------------------------------------------------------------------------------------

    private async Task ChallengeAsync(HttpContext http)
    {
        if (Authenticate(http) is not { } participant)
        {
            return;
        }

        var challengeId = Guid.NewGuid();
        var nonce = RandomNumberGenerator.GetBytes(32);
        var expiresAt = DateTimeOffset.UtcNow + ChallengeLifetime;
        using (var identity = _identity.Rent())
        {
            // IdentityStore.SaveChallengeAsync
            identity.Run(Sql.SaveChallenge, challengeId.ToString("N"), participant.Id, Convert.ToBase64String(nonce), expiresAt.ToUnixTimeMilliseconds());
        }

        await WriteJsonAsync(http, new Challenge(challengeId, Convert.ToBase64String(nonce), expiresAt)).ConfigureAwait(false);
    }

    private async Task CheckAsync(HttpContext http)
    {
        if (Authenticate(http) is not { } participant)
        {
            return;
        }

        ReceptionCheckRequest? request;
        try
        {
            request = await JsonSerializer.DeserializeAsync<ReceptionCheckRequest>(http.Request.Body, Web, http.RequestAborted).ConfigureAwait(false);
        }
        catch (JsonException)
        {
            request = null;
        }

        if (request is not { Consent: { } consent } || !Guid.TryParse(request.ChallengeId, out var challengeId)
            || !DateOnly.TryParseExact(request.ServiceDate, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var serviceDate)
            || !TryBase64(request.Certificate, out var certificate) || !TryBase64(request.Signature, out var signature))
        {
            http.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        var started = Stopwatch.GetTimestamp();
        var (card, rejection) = Verify(challengeId, participant.Id, certificate, signature);
        if (card is null)
        {
            Record(participant, null, consent.Where(c => c.Value).Select(c => c.Key).ToList(), AccessOutcomes.CardRejected, rejection);
            http.Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            await WriteJsonAsync(http, new { reason = rejection }).ConfigureAwait(false);
            return;
        }

        var verification = Stopwatch.GetElapsedTime(started);
        bool Consented(string kind) => consent.TryGetValue(kind, out var yes) && yes;

        // In parallel, as the gateway asks its lookups: two on the thread pool, one on this thread.
        var subsidy = Task.Run(() => Timed(Consented("subsidy"), () => Subsidy(card.PersonKey, serviceDate)));
        var vaccination = Task.Run(() => Timed(Consented("vaccination"), () => Vaccination(card.PersonKey, card.BirthDate, serviceDate)));
        var maternalChild = Timed(Consented("maternalChild"), () => MaternalChild(card.PersonKey, serviceDate));
        await Task.WhenAll(subsidy, vaccination).ConfigureAwait(false);
        var lookups = Stopwatch.GetElapsedTime(started) - verification;

        var parts = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["subsidy"] = subsidy.Result.Status,
            ["vaccination"] = vaccination.Result.Status,
            ["maternalChild"] = maternalChild.Status,
        };
        var now = DateTimeOffset.UtcNow;
        var checkId = Guid.NewGuid();
        var personRef = _personKeys.InstitutionReference(card.PersonKey, participant.Code);
        using (var gateway = _gateway.Rent())
        {
            // ReceptionCheckStore.SaveAsync
            gateway.Run(
                Sql.SaveCheck,
                checkId.ToString("N"), participant.Id, participant.Code, card.PersonKey, personRef, DayNumber(card.BirthDate), DayNumber(serviceDate),
                JsonSerializer.Serialize(parts), now.ToUnixTimeMilliseconds(), (now + CheckLifetime).ToUnixTimeMilliseconds());
        }

        // ReceptionApi.AuditAsync: what was disclosed, and what the patient did not consent to.
        var disclosed = parts.Where(p => p.Value == ReceptionParts.Provided).Select(p => p.Key).ToList();
        var notConsented = parts.Where(p => p.Value == ReceptionParts.NotConsented).Select(p => p.Key).ToList();
        Record(participant, card.PersonKey, disclosed, AccessOutcomes.Disclosed, checkId.ToString());
        if (notConsented.Count > 0)
        {
            Record(participant, card.PersonKey, notConsented, AccessOutcomes.NotConsented, checkId.ToString());
        }

        http.Response.Headers["Server-Timing"] = string.Create(
            CultureInfo.InvariantCulture,
            $"verify;dur={verification.TotalMilliseconds:F1}, lookups;dur={lookups.TotalMilliseconds:F1}, lookup-subsidy;dur={subsidy.Result.Took.TotalMilliseconds:F1}, lookup-vaccination;dur={vaccination.Result.Took.TotalMilliseconds:F1}, lookup-maternalChild;dur={maternalChild.Took.TotalMilliseconds:F1}");
        await WriteJsonAsync(http, new Answer(
            checkId,
            serviceDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            now + CheckLifetime,
            new Person(personRef, card.BirthDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
            subsidy.Result.Part,
            vaccination.Result.Part,
            maternalChild.Part)).ConfigureAwait(false);
    }

    /// <summary>The bearer key, hashed and looked up as <c>ParticipantStore.FindByKeyAsync</c> does; 401/403 written when it fails.</summary>
    private Participant? Authenticate(HttpContext http)
    {
        string? header = http.Request.Headers.Authorization;
        if (header is null || !header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            http.Response.StatusCode = StatusCodes.Status401Unauthorized;
            return null;
        }

        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(header["Bearer ".Length..].Trim())));
        Participant? participant = null;
        using (var gateway = _gateway.Rent())
        {
            using var reader = gateway.Query(Sql.ParticipantByKey, hash);
            if (reader.Read())
            {
                participant = new Participant(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3));
            }
        }

        if (participant is null)
        {
            http.Response.StatusCode = StatusCodes.Status401Unauthorized;
            return null;
        }

        if (participant.Role is not ("MedicalInstitution" or "Pharmacy"))
        {
            http.Response.StatusCode = StatusCodes.Status403Forbidden;
            return null;
        }

        return participant;
    }

    // ---- the identity service's verification (CardholderVerifier, CertificateChecker, IdentityStore) ----------------

    private (RegisteredCard? Card, string? Rejection) Verify(Guid challengeId, string participantId, byte[] certificate, byte[] signature)
    {
        var now = DateTimeOffset.UtcNow;
        var thumbprint = Convert.ToHexString(SHA256.HashData(certificate));
        if (!_cards.TryGetValue(thumbprint, out var facts))
        {
            facts = _cards.GetOrAdd(thumbprint, Parse(thumbprint, certificate));
        }

        if (facts is null)
        {
            return (null, "malformed");
        }

        if (!facts.Trusted || !facts.IsCard || now < facts.ValidFrom || now > facts.ValidTo)
        {
            return (null, !facts.Trusted ? "unknownIssuer" : !facts.IsCard ? "notACardCertificate" : "expired");
        }

        using var identity = _identity.Rent();
        if (identity.Scalar(Sql.IsRevoked, facts.Issuer, facts.SerialNumber) > 0)
        {
            return (null, "revoked");
        }

        RegisteredCard card;
        using (var reader = identity.Query(Sql.FindCard, thumbprint))
        {
            if (!reader.Read())
            {
                return (null, "unregisteredCard");
            }

            card = new RegisteredCard(reader.GetString(0), FromDayNumber(reader.GetInt64(1)));
        }

        string nonce;
        long expiresAt;
        bool used;
        using (var reader = identity.Query(Sql.FindChallenge, challengeId.ToString("N")))
        {
            if (!reader.Read() || reader.GetString(0) != participantId)
            {
                return (null, "challengeExpired");
            }

            nonce = reader.GetString(1);
            expiresAt = reader.GetInt64(2);
            used = !reader.IsDBNull(3);
        }

        if (expiresAt <= now.ToUnixTimeMilliseconds())
        {
            return (null, "challengeExpired");
        }

        if (used)
        {
            return (null, "challengeReused");
        }

        bool verifies;
        lock (facts.Key)
        {
            verifies = facts.Key.VerifyData(Convert.FromBase64String(nonce), signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        }

        var consumed = identity.Run(Sql.ConsumeChallenge, now.ToUnixTimeMilliseconds(), challengeId.ToString("N")) == 1;
        return !verifies ? (null, "badSignature") : consumed ? (card, null) : (null, "challengeReused");
    }

    private CardFacts? Parse(string thumbprint, byte[] der)
    {
        try
        {
            using var certificate = X509CertificateLoader.LoadCertificate(der);
            var key = certificate.GetRSAPublicKey();
            if (key is null || key.KeySize < 2048 || !certificate.RawData.AsSpan().SequenceEqual(der))
            {
                key?.Dispose();
                return null;
            }

            using var chain = new X509Chain();
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.AddRange(_trusted);
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            chain.ChainPolicy.DisableCertificateDownloads = true;
            chain.ChainPolicy.VerificationFlags = X509VerificationFlags.IgnoreNotTimeValid | X509VerificationFlags.IgnoreCtlNotTimeValid;
            var trusted = chain.Build(certificate) && chain.ChainElements.Count >= 2;
            var validFrom = chain.ChainElements.Select(e => new DateTimeOffset(e.Certificate.NotBefore.ToUniversalTime())).Append(new DateTimeOffset(certificate.NotBefore.ToUniversalTime())).Max();
            var validTo = chain.ChainElements.Select(e => new DateTimeOffset(e.Certificate.NotAfter.ToUniversalTime())).Append(new DateTimeOffset(certificate.NotAfter.ToUniversalTime())).Min();
            var (issuer, serial) = CertificateChecker.IssuerAndSerial(certificate);
            return new CardFacts(thumbprint, issuer, serial, trusted, CertificateChecker.IsCardCertificate(certificate), validFrom, validTo, key);
        }
        catch (CryptographicException)
        {
            return null;
        }
    }

    // ---- the three lookups, as their consumers and stores do them ---------------------------------------------------

    /// <summary>CheckSubsidyEligibilityConsumer: the person's current certificates, those eligible on the date, the month's ledger of each capped one.</summary>
    private SubsidyPart Subsidy(string personKey, DateOnly serviceDate)
    {
        using var subsidy = _subsidy.Rent();
        var current = new List<SubsidyCertificate>();
        using (var reader = subsidy.Query(Sql.CurrentCertificates, personKey))
        {
            while (reader.Read())
            {
                current.Add(JsonSerializer.Deserialize<SubsidyCertificate>(reader.GetString(0), Web)!);
            }
        }

        var eligible = SubsidyRules.EligibleOn(current, serviceDate);
        var month = CopaymentRules.MonthOf(serviceDate);
        var views = new List<SubsidyCertificateView>(eligible.Count);
        foreach (var c in eligible)
        {
            CopaymentMonth? ledger = null;
            if (c.MaxCopaymentAmount is { } cap)
            {
                var total = (int)(subsidy.Scalar(Sql.LedgerMonth, c.MunicipalityCode, c.HistoryKey, month) ?? 0);
                ledger = new CopaymentMonth(c.MunicipalityCode, c.HistoryKey, month, total, cap.MonthlyYen, CopaymentRules.Remaining(total, cap.MonthlyYen));
            }

            views.Add(SubsidyCertificateView.From(c, ledger));
        }

        return new SubsidyPart(ReceptionParts.Provided, views);
    }

    /// <summary>CheckVaccinationHistoryConsumer: every dose, newest first, and the routine schedule evaluated on the date.</summary>
    private VaccinationPart Vaccination(string personKey, DateOnly birthDate, DateOnly serviceDate)
    {
        var doses = new List<DoseView>();
        using (var vaccination = _vaccination.Rent())
        {
            using var reader = vaccination.Query(Sql.VaccinationHistory, personKey);
            while (reader.Read())
            {
                doses.Add(new DoseView(
                    reader.GetString(0), reader.GetString(3), (int)reader.GetInt64(4), FromDayNumber(reader.GetInt64(5)),
                    reader.IsDBNull(6) ? null : reader.GetString(6), reader.IsDBNull(7) ? null : reader.GetString(7), reader.GetString(8)));
            }
        }

        var eligibility = _schedule.Evaluate(birthDate, serviceDate, doses.Select(d => new GivenDose(d.Vaccine, d.DoseNumber, d.Date)))
            .Select(e => new VaccinationEligibilityItem(
                e.Series, e.Name, e.Programme, JsonNamingPolicy.CamelCase.ConvertName(e.Status.ToString()), e.NextDose, e.DueFrom, e.DueUntil))
            .ToList();
        var questionnaires = new List<PendingQuestionnaire>();
        using (var vaccination = _vaccination.Rent())
        {
            using var reader = vaccination.Query(Sql.PendingQuestionnaires, personKey, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
            while (reader.Read())
            {
                questionnaires.Add(new PendingQuestionnaire(
                    reader.GetString(0), reader.GetString(1), (int)reader.GetInt64(2), reader.GetString(3), reader.GetString(4),
                    JsonSerializer.Deserialize<Dictionary<string, string>>(reader.GetString(5), Web) ?? [],
                    JsonSerializer.Deserialize<List<string>>(reader.GetString(6), Web) ?? [],
                    DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(7)),
                    DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(8))));
            }
        }

        return new VaccinationPart(ReceptionParts.Provided, doses, eligibility, _schedule.VersionOn(serviceDate), questionnaires);
    }

    /// <summary>MaternalChildStore.EntitlementsAsync and its consumer: pregnancies and their voucher uses, the youngest child's checkups.</summary>
    private MaternalChildPart MaternalChild(string personKey, DateOnly serviceDate)
    {
        using var store = _maternalChild.Rent();
        var pregnancies = new List<PregnancyFacts>();
        using (var reader = store.Query(Sql.Pregnancies, personKey))
        {
            while (reader.Read())
            {
                pregnancies.Add(new PregnancyFacts(
                    reader.GetString(0), FromDayNumber(reader.GetInt64(5)), FromDayNumber(reader.GetInt64(4)), reader.IsDBNull(6) ? null : FromDayNumber(reader.GetInt64(6))));
            }
        }

        var uses = new List<VoucherUse>();
        if (pregnancies.Count > 0)
        {
            // Dapper expands "IN @Ids" into one parameter per id: the same statement for the same count.
            using var reader = store.Query(Sql.VoucherUses(pregnancies.Count), [.. pregnancies.Select(p => (object?)p.RecordId)]);
            while (reader.Read())
            {
                uses.Add(new VoucherUse(reader.GetString(0), (int)reader.GetInt64(1), FromDayNumber(reader.GetInt64(2))));
            }
        }

        IReadOnlyList<InfantCheckupEntitlement> checkups = [];
        if (store.Scalar(Sql.YoungestChild, personKey) is { } birth)
        {
            var done = new List<(string Checkup, long Date)>();
            using (var reader = store.Query(Sql.InfantCheckups, personKey))
            {
                while (reader.Read())
                {
                    done.Add((reader.GetString(0), reader.GetInt64(1)));
                }
            }

            checkups = MaternalChildRules.InfantCheckups(
                FromDayNumber(birth), serviceDate, done.GroupBy(c => c.Checkup).ToDictionary(g => g.Key, g => FromDayNumber(g.Min(c => c.Date)), StringComparer.Ordinal));
        }

        static string Camel(string name) => JsonNamingPolicy.CamelCase.ConvertName(name);
        var vouchers = MaternalChildRules.Vouchers(pregnancies, uses, serviceDate)
            .Select(p => new PregnancyVouchers(
                p.RecordId, p.DueDate, p.IsOpen, p.Total, p.Used, p.Left,
                p.Vouchers.Select(v => new Voucher(v.VoucherId, v.Number, Camel(v.Status.ToString()), v.UsedOn)).ToList()))
            .ToList();
        return new MaternalChildPart(
            ReceptionParts.Provided,
            vouchers,
            checkups.Select(c => new InfantCheckup(c.Checkup, c.Name, c.WindowFrom, c.WindowUntil, Camel(c.Status.ToString()), c.DoneOn)).ToList());
    }

    private static (IPart Part, string Status, TimeSpan Took) Timed(bool consented, Func<IPart> lookup)
    {
        if (!consented)
        {
            return (new NotConsentedPart(ReceptionParts.NotConsented), ReceptionParts.NotConsented, TimeSpan.Zero);
        }

        var started = Stopwatch.GetTimestamp();
        var part = lookup();
        return (part, part.Status, Stopwatch.GetElapsedTime(started));
    }

    // ---- the audit: the gateway's outbox, the dispatcher, the audit service's chain ---------------------------------

    /// <summary>AccessAudit.RecordAsync: the event committed to the gateway's outbox (BEGIN IMMEDIATE, as ServiceDatabase.InTransactionAsync) before the answer.</summary>
    private void Record(Participant participant, string? personKey, List<string> kinds, string outcome, string? detail)
    {
        var recorded = new AccessRecorded
        {
            EventId = Guid.NewGuid(),
            OccurredAt = DateTimeOffset.UtcNow,
            ParticipantId = participant.Id,
            ParticipantName = participant.Name,
            ParticipantRole = participant.Role,
            ParticipantCode = participant.Code,
            PersonKey = personKey,
            Kinds = kinds,
            Purpose = "receptionCheck",
            Outcome = outcome,
            Detail = detail,
        };
        using (var gateway = _gateway.Rent())
        {
            using var transaction = gateway.Connection.BeginTransaction(IsolationLevel.Serializable);
            gateway.Run(
                transaction,
                Sql.OutboxInsert,
                recorded.EventId.ToString("D"), "publish", null, "Pmh.Contracts.Audit.AccessRecorded, Pmh.Contracts",
                JsonSerializer.Serialize(recorded, Web), null, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
            transaction.Commit();
        }

        _outboxSignal.Release();
    }

    /// <summary>OutboxDispatcher's loop: woken by each commit, polling every second besides; a full batch is followed at once by the next.</summary>
    private async Task PumpOutboxAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                while (DispatchPending() >= OutboxBatch)
                {
                }

                await _outboxSignal.WaitAsync(TimeSpan.FromSeconds(1), stopping).ConfigureAwait(false);
                while (_outboxSignal.Wait(0))
                {
                }
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                break;
            }
        }
    }

    private int DispatchPending()
    {
        using var gateway = _gateway.Rent();
        var rows = new List<(long Sequence, string MessageId, string Body)>();
        using (var reader = gateway.Query(Sql.OutboxPending, OutboxBatch))
        {
            while (reader.Read())
            {
                rows.Add((reader.GetInt64(0), reader.GetString(1), reader.GetString(5)));
            }
        }

        if (rows.Count == 0)
        {
            return 0;
        }

        foreach (var row in rows)
        {
            // What the audit service's consumer gets from the bus, handed over directly.
            Append(JsonSerializer.Deserialize<AccessRecorded>(row.Body, Web)!, Guid.Parse(row.MessageId));
        }

        gateway.Run(Sql.OutboxDispatched(rows.Count), [DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), .. rows.Select(r => (object?)r.Sequence)]);
        return rows.Count;
    }

    /// <summary>AuditStore.AppendAsync with its inbox: one transaction, the head locked first, the entry linked to it.</summary>
    private void Append(AccessRecorded e, Guid messageId)
    {
        using var audit = _audit.Rent();
        using var transaction = audit.Connection.BeginTransaction(IsolationLevel.Serializable);
        var eventId = e.EventId.ToString("D");
        if (audit.Run(transaction, Sql.InboxAccept, AuditInbox, messageId.ToString("D"), DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()) == 0
            || audit.Scalar(transaction, Sql.AuditSequenceOf, eventId) is not null)
        {
            transaction.Commit();
            return;
        }

        audit.Run(transaction, Sql.AuditLockHead);
        long lastSequence;
        string lastHash;
        using (var reader = audit.Query(transaction, Sql.AuditHead))
        {
            reader.Read();
            lastSequence = reader.GetInt64(0);
            lastHash = reader.GetString(1);
        }

        var entry = new AuditChainEntry
        {
            Sequence = lastSequence + 1,
            EventId = eventId,
            OccurredAt = e.OccurredAt.ToUnixTimeMilliseconds(),
            ParticipantId = e.ParticipantId,
            ParticipantName = e.ParticipantName,
            ParticipantRole = e.ParticipantRole,
            ParticipantCode = e.ParticipantCode,
            PersonKey = e.PersonKey,
            Kinds = JsonSerializer.Serialize(e.Kinds),
            Purpose = e.Purpose,
            Outcome = e.Outcome,
            Detail = e.Detail,
            RecordedAt = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
        };
        AuditChain.Link(lastHash, entry);
        if (audit.Run(
                transaction,
                Sql.AuditInsert,
                entry.Sequence, entry.EventId, entry.OccurredAt, entry.ParticipantId, entry.ParticipantName, entry.ParticipantRole, entry.ParticipantCode,
                entry.PersonKey, entry.Kinds, entry.Purpose, entry.Outcome, entry.Detail, entry.RecordedAt, entry.PrevHash, entry.Hash) > 0)
        {
            audit.Run(transaction, Sql.AuditSetHead, entry.Sequence, entry.Hash);
        }

        transaction.Commit();
    }

    // ---- plumbing ----------------------------------------------------------------------------------------------

    private static async Task WriteJsonAsync<T>(HttpContext http, T value)
    {
        http.Response.ContentType = "application/json; charset=utf-8";
        await JsonSerializer.SerializeAsync(http.Response.Body, value, Web, http.RequestAborted).ConfigureAwait(false);
    }

    private static bool TryBase64(string? text, out byte[] bytes)
    {
        bytes = [];
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        try
        {
            bytes = Convert.FromBase64String(text);
            return bytes.Length > 0;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private static int DayNumber(DateOnly d) => (d.Year * 10000) + (d.Month * 100) + d.Day;

    private static DateOnly FromDayNumber(long n) => new((int)(n / 10000), (int)(n / 100 % 100), (int)(n % 100));

    public void Dispose()
    {
        foreach (var sessions in new[] { _gateway, _identity, _subsidy, _vaccination, _maternalChild, _audit })
        {
            sessions.Dispose();
        }

        foreach (var facts in _cards.Values)
        {
            facts?.Key.Dispose();
        }

        _outboxSignal.Dispose();
    }

    private sealed record Participant(string Id, string Name, string Role, string Code);

    private sealed record RegisteredCard(string PersonKey, DateOnly BirthDate);

    private sealed record CardFacts(
        string Thumbprint, string Issuer, string SerialNumber, bool Trusted, bool IsCard, DateTimeOffset ValidFrom, DateTimeOffset ValidTo, RSA Key);

    private sealed record Challenge(Guid ChallengeId, string Nonce, DateTimeOffset ExpiresAt);

    private sealed record Person(string Ref, string BirthDate);

    /// <summary>The hub's answer, field for field (ReceptionCheckService): each part its status first, then the view's fields.</summary>
    private sealed record Answer(Guid CheckId, string ServiceDate, DateTimeOffset ExpiresAt, Person Person, object Subsidy, object Vaccination, object MaternalChild);

    private interface IPart
    {
        string Status { get; }
    }

    private sealed record NotConsentedPart(string Status) : IPart;

    private sealed record SubsidyPart(string Status, IReadOnlyList<SubsidyCertificateView> Certificates) : IPart;

    private sealed record VaccinationPart(string Status, IReadOnlyList<DoseView> Doses, IReadOnlyList<VaccinationEligibilityItem> Eligibility, string ScheduleVersion, IReadOnlyList<PendingQuestionnaire> Questionnaires) : IPart;

    private sealed record MaternalChildPart(string Status, IReadOnlyList<PregnancyVouchers> Pregnancies, IReadOnlyList<InfantCheckup> InfantCheckups) : IPart;

    /// <summary>A statement with its parameter names, in the order they are given.</summary>
    private sealed record Statement(string Text, params string[] Parameters);

    /// <summary>The hub's statements, word for word, with where each comes from.</summary>
    private static class Sql
    {
        // ParticipantStore.FindByKeyAsync
        public static readonly Statement ParticipantByKey = new("""
            SELECT p.participant_id AS Id, p.name AS Name, p.role AS Role, p.code AS Code FROM participant_keys k JOIN participants p ON p.participant_id = k.participant_id
            WHERE k.key_hash = @KeyHash AND k.revoked_at IS NULL
            """, "@KeyHash");

        // IdentityStore
        public static readonly Statement SaveChallenge = new("""
            INSERT INTO identity_challenges (challenge_id, participant_id, nonce, expires_at, used_at)
            VALUES (@ChallengeId, @ParticipantId, @Nonce, @ExpiresAt, NULL)
            """, "@ChallengeId", "@ParticipantId", "@Nonce", "@ExpiresAt");

        public static readonly Statement IsRevoked = new(
            "SELECT COUNT(*) FROM identity_revocations WHERE issuer = @Issuer AND serial_number = @SerialNumber", "@Issuer", "@SerialNumber");

        public static readonly Statement FindCard = new(
            "SELECT person_key AS PersonKey, birth_date AS BirthDate FROM identity_cards WHERE thumbprint = @Thumbprint", "@Thumbprint");

        public static readonly Statement FindChallenge = new(
            "SELECT participant_id AS ParticipantId, nonce AS Nonce, expires_at AS ExpiresAt, used_at AS UsedAt FROM identity_challenges WHERE challenge_id = @ChallengeId",
            "@ChallengeId");

        public static readonly Statement ConsumeChallenge = new("""
            UPDATE identity_challenges SET used_at = @Now
            WHERE challenge_id = @ChallengeId AND used_at IS NULL AND expires_at > @Now
            """, "@Now", "@ChallengeId");

        // SubsidyCertificateStore.CurrentForPersonAsync, CopaymentLedger.LedgersAsync
        public static readonly Statement CurrentCertificates = new("SELECT data FROM subsidy_certificates WHERE person_key = @PersonKey", "@PersonKey");

        public static readonly Statement LedgerMonth = new(
            "SELECT total_yen FROM copayment_months WHERE municipality_code = @M AND history_key = @H AND month = @Month", "@M", "@H", "@Month");

        // VaccinationStore.HistoryAsync
        public static readonly Statement VaccinationHistory = new("""
            SELECT record_id AS RecordId, municipality_code AS MunicipalityCode, person_key AS PersonKey, vaccine AS Vaccine,
                   dose_number AS DoseNumber, dose_date AS DoseDate, lot_number AS LotNumber, institution_code AS InstitutionCode,
                   programme AS Programme, local_person_id AS LocalPersonId
            FROM vaccination_records WHERE person_key = @PersonKey
            ORDER BY dose_date DESC, dose_number DESC, record_id
            """, "@PersonKey");

        // QuestionnaireStore.PendingAsync
        public static readonly Statement PendingQuestionnaires = new("""
            SELECT questionnaire_id AS QuestionnaireId, vaccine AS Vaccine, dose_number AS DoseNumber, definition_version AS Definition,
                   answered_by AS AnsweredBy, answers AS Answers, attention AS Attention, submitted_at AS SubmittedAt, valid_until AS ValidUntil
            FROM vaccination_questionnaires
            WHERE person_key = @PersonKey AND used_record_id IS NULL AND valid_until > @Now
            ORDER BY submitted_at DESC, questionnaire_id
            """, "@PersonKey", "@Now");

        // MaternalChildStore.EntitlementsAsync
        public static readonly Statement Pregnancies = new("""
            SELECT record_id AS RecordId, person_key AS PersonKey, municipality_code AS MunicipalityCode, local_person_id AS LocalPersonId,
                   due_date AS DueDate, registered_on AS RegisteredOn, ended_on AS EndedOn
            FROM mc_pregnancies WHERE person_key = @PersonKey ORDER BY registered_on
            """, "@PersonKey");

        private static readonly ConcurrentDictionary<int, Statement> Uses = new();

        public static Statement VoucherUses(int count) => Uses.GetOrAdd(count, n => new(
            $"SELECT pregnancy_record_id, voucher_number, used_on FROM mc_voucher_uses WHERE pregnancy_record_id IN ({string.Join(",", Enumerable.Range(1, n).Select(i => $"@Ids{i}"))})",
            [.. Enumerable.Range(1, n).Select(i => $"@Ids{i}")]));

        public static readonly Statement YoungestChild = new("SELECT birth_date FROM mc_children WHERE person_key = @PersonKey ORDER BY birth_date DESC", "@PersonKey");

        public static readonly Statement InfantCheckups = new(
            "SELECT checkup, checkup_date FROM mc_checkups WHERE person_key = @PersonKey AND kind = 'infant'", "@PersonKey");

        // ReceptionCheckStore.SaveAsync
        public static readonly Statement SaveCheck = new("""
            INSERT INTO reception_checks
                (check_id, participant_id, institution_code, person_key, person_ref, birth_date, service_date, parts, created_at, expires_at)
            VALUES (@CheckId, @ParticipantId, @InstitutionCode, @PersonKey, @PersonRef, @BirthDate, @ServiceDate, @Parts, @CreatedAt, @ExpiresAt)
            """, "@CheckId", "@ParticipantId", "@InstitutionCode", "@PersonKey", "@PersonRef", "@BirthDate", "@ServiceDate", "@Parts", "@CreatedAt", "@ExpiresAt");

        // OutboxWriter.InsertSql
        public static readonly Statement OutboxInsert = new(
            Pmh.Hosting.Outbox.OutboxWriter.InsertSql, "@MessageId", "@Kind", "@Destination", "@MessageType", "@Body", "@Headers", "@CreatedAt");

        // OutboxDispatcher (SQLite)
        public static readonly Statement OutboxPending = new(Pmh.Hosting.Outbox.OutboxDispatcher.PendingSql(Pmh.Hosting.StorageProvider.Sqlite), "@Limit");

        private static readonly ConcurrentDictionary<int, Statement> Dispatched = new();

        public static Statement OutboxDispatched(int count) => Dispatched.GetOrAdd(count, n => new(
            $"UPDATE outbox_messages SET dispatched_at = @Now, attempts = attempts + 1 WHERE sequence IN ({string.Join(",", Enumerable.Range(1, n).Select(i => $"@Sequences{i}"))})",
            ["@Now", .. Enumerable.Range(1, n).Select(i => $"@Sequences{i}")]));

        // Inbox.TryAcceptAsync, AuditStore.AppendAsync
        public static readonly Statement InboxAccept = new("""
            INSERT INTO inbox_messages (consumer, message_id, processed_at) VALUES (@Consumer, @MessageId, @ProcessedAt)
            ON CONFLICT (consumer, message_id) DO NOTHING
            """, "@Consumer", "@MessageId", "@ProcessedAt");

        public static readonly Statement AuditSequenceOf = new("SELECT sequence FROM audit_entries WHERE event_id = @EventId", "@EventId");

        public static readonly Statement AuditLockHead = new("UPDATE audit_head SET last_sequence = last_sequence WHERE id = 1");

        public static readonly Statement AuditHead = new("SELECT last_sequence AS LastSequence, last_hash AS LastHash FROM audit_head WHERE id = 1");

        public static readonly Statement AuditInsert = new("""
            INSERT INTO audit_entries (sequence, event_id, occurred_at, participant_id, participant_name, participant_role, participant_code, person_key,
                kinds, purpose, outcome, detail, recorded_at, prev_hash, hash)
            VALUES (@Sequence, @EventId, @OccurredAt, @ParticipantId, @ParticipantName, @ParticipantRole, @ParticipantCode, @PersonKey,
                @Kinds, @Purpose, @Outcome, @Detail, @RecordedAt, @PrevHash, @Hash) ON CONFLICT (event_id) DO NOTHING
            """, "@Sequence", "@EventId", "@OccurredAt", "@ParticipantId", "@ParticipantName", "@ParticipantRole", "@ParticipantCode", "@PersonKey",
            "@Kinds", "@Purpose", "@Outcome", "@Detail", "@RecordedAt", "@PrevHash", "@Hash");

        public static readonly Statement AuditSetHead = new(
            "UPDATE audit_head SET last_sequence = @Sequence, last_hash = @Hash WHERE id = 1", "@Sequence", "@Hash");
    }

    /// <summary>
    /// One database file's open connections, each with its statements prepared once: a worker rents one, runs its
    /// statements, returns it. The connection string and per-connection PRAGMAs are the hub's (PmhHubBuilder,
    /// ServiceDatabase.OpenAsync; the migrator has set WAL on the file).
    /// </summary>
    private sealed class Sessions(string file) : IDisposable
    {
        private readonly ConcurrentBag<Session> _idle = [];
        private readonly ConcurrentBag<Session> _all = [];

        public Lease Rent()
        {
            if (!_idle.TryTake(out var session))
            {
                session = new Session(file);
                _all.Add(session);
            }

            return new Lease(this, session);
        }

        public void Dispose()
        {
            foreach (var session in _all)
            {
                session.Dispose();
            }
        }

        public readonly struct Lease(Sessions owner, Session session) : IDisposable
        {
            public SqliteConnection Connection => session.Connection;

            public int Run(Statement statement, params ReadOnlySpan<object?> values) => session.Bind(statement, null, values).ExecuteNonQuery();

            public int Run(SqliteTransaction transaction, Statement statement, params ReadOnlySpan<object?> values) =>
                session.Bind(statement, transaction, values).ExecuteNonQuery();

            public long? Scalar(Statement statement, params ReadOnlySpan<object?> values) => AsLong(session.Bind(statement, null, values).ExecuteScalar());

            public long? Scalar(SqliteTransaction transaction, Statement statement, params ReadOnlySpan<object?> values) =>
                AsLong(session.Bind(statement, transaction, values).ExecuteScalar());

            public SqliteDataReader Query(Statement statement, params ReadOnlySpan<object?> values) => session.Bind(statement, null, values).ExecuteReader();

            public SqliteDataReader Query(SqliteTransaction transaction, Statement statement, params ReadOnlySpan<object?> values) =>
                session.Bind(statement, transaction, values).ExecuteReader();

            public void Dispose() => owner._idle.Add(session);

            private static long? AsLong(object? value) => value is null or DBNull ? null : Convert.ToInt64(value, CultureInfo.InvariantCulture);
        }
    }

    private sealed class Session : IDisposable
    {
        private readonly Dictionary<Statement, SqliteCommand> _commands = new(ReferenceEqualityComparer.Instance);

        public Session(string file)
        {
            Connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = file, Pooling = true, DefaultTimeout = 30 }.ToString());
            Connection.Open();
            using var pragma = Connection.CreateCommand();
            pragma.CommandText = "PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 10000";
            pragma.ExecuteNonQuery();
        }

        public SqliteConnection Connection { get; }

        public SqliteCommand Bind(Statement statement, SqliteTransaction? transaction, ReadOnlySpan<object?> values)
        {
            if (!_commands.TryGetValue(statement, out var command))
            {
                command = Connection.CreateCommand();
                command.CommandText = statement.Text;
                foreach (var name in statement.Parameters)
                {
                    command.Parameters.Add(new SqliteParameter(name, DBNull.Value));
                }

                command.Prepare();
                _commands[statement] = command;
            }

            command.Transaction = transaction;
            for (var i = 0; i < values.Length; i++)
            {
                command.Parameters[i].Value = values[i] ?? DBNull.Value;
            }

            return command;
        }

        public void Dispose()
        {
            foreach (var command in _commands.Values)
            {
                command.Dispose();
            }

            Connection.Dispose();
        }
    }
}
