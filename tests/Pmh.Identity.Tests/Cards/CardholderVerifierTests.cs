using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Dapper;
using Microsoft.Extensions.Time.Testing;
using Pmh.Contracts.Identity;
using Pmh.Hosting;
using Pmh.Identity.Cards;
using Pmh.Identity.Simulator;
using Pmh.Identity.Storage;
using Pmh.Testing;

namespace Pmh.Identity.Tests.Cards;

/// <summary>
/// The verification of a cardholder at reception, with real cryptography and real storage: SQLite always, PostgreSQL
/// when the test server answers. Every rejection reason, and the single use of a challenge under concurrency.
/// </summary>
public abstract class CardholderVerifierTests : IDisposable
{
    private const string Desk = "clinic";
    private const string AlicesKey = "pk-alice-3Yq8wLr0bT2xZ5mN7cV1";
    private static readonly DateOnly AlicesBirthDate = new(2019, 4, 1);
    private static readonly TimeSpan Lifetime = new IdentityOptions().ChallengeLifetime;

    private readonly Lazy<TestDatabase> _database;
    private readonly FakeTimeProvider _time = new(IdentityCards.Now);
    private readonly CertificateChecker _checker = IdentityCards.Checker();
    private IdentityStore _store = null!;
    private CardholderVerifier _verifier = null!;

    protected CardholderVerifierTests(StorageProvider provider)
    {
        _database = new Lazy<TestDatabase>(() => TestDatabase.Create(provider, IdentityServiceExtensions.DatabaseName, typeof(IdentityServiceExtensions).Assembly));
    }

    protected abstract string? WhyNotAvailable { get; }

    private static SimulatedCard Alice => IdentityCards.Alice;

    private static SimulatedCard Bob => IdentityCards.Bob;

    private void Start()
    {
        Skip.If(WhyNotAvailable is not null, WhyNotAvailable);
        _store = new IdentityStore(_database.Value.Database);
        _verifier = new CardholderVerifier(_checker, _store, _time);
    }

    // --- verified ---

    [SkippableFact]
    public async Task A_registered_card_signing_its_challenge_is_verified_with_its_person_key_and_birth_date()
    {
        Start();
        await RegisterAsync(Alice);
        var challenge = await IssueAsync();

        var verification = await VerifyAsync(challenge, Alice.CertificateDer, Alice.Sign(challenge.Nonce));

        Assert.Null(verification.Rejection);
        Assert.Equal(new RegisteredCard(AlicesKey, AlicesBirthDate), verification.Card);
    }

    [SkippableFact]
    public async Task Each_card_is_verified_as_its_own_person()
    {
        Start();
        await RegisterAsync(Alice);
        await RegisterAsync(Bob, "pk-bob", new DateOnly(1980, 12, 31));

        var alice = await IssueAsync();
        var bob = await IssueAsync();

        Assert.Equal(AlicesKey, (await VerifyAsync(alice, Alice.CertificateDer, Alice.Sign(alice.Nonce))).Card?.PersonKey);
        Assert.Equal(new RegisteredCard("pk-bob", new DateOnly(1980, 12, 31)), (await VerifyAsync(bob, Bob.CertificateDer, Bob.Sign(bob.Nonce))).Card);
    }

    // --- malformed ---

    [SkippableFact]
    public async Task Garbage_instead_of_a_certificate_is_malformed()
    {
        Start();
        var challenge = await IssueAsync();

        Assert.Equal(CardRejectionReasons.Malformed, await RejectionAsync(challenge, RandomNumberGenerator.GetBytes(600), Alice.Sign(challenge.Nonce)));
    }

    [SkippableFact]
    public async Task An_empty_certificate_is_malformed()
    {
        Start();
        var challenge = await IssueAsync();

        Assert.Equal(CardRejectionReasons.Malformed, await RejectionAsync(challenge, [], Alice.Sign(challenge.Nonce)));
    }

    [SkippableFact]
    public async Task An_empty_signature_is_malformed_and_leaves_the_challenge_usable()
    {
        Start();
        await RegisterAsync(Alice);
        var challenge = await IssueAsync();

        Assert.Equal(CardRejectionReasons.Malformed, await RejectionAsync(challenge, Alice.CertificateDer, []));
        Assert.Null((await VerifyAsync(challenge, Alice.CertificateDer, Alice.Sign(challenge.Nonce))).Rejection);
    }

    [SkippableTheory]
    [InlineData("rsa-1024")]
    [InlineData("ecdsa-p256")]
    public async Task A_card_of_the_trusted_issuer_over_a_weak_or_non_rsa_key_is_malformed(string key)
    {
        Start();
        var certificate = key == "rsa-1024" ? IdentityCards.WeakRsaCertificate : IdentityCards.EcdsaCertificate;
        var challenge = await IssueAsync();

        Assert.Equal(CardRejectionReasons.Malformed, await RejectionAsync(challenge, certificate, new byte[256]));
    }

    // --- unknownIssuer ---

    [SkippableFact]
    public async Task A_card_of_an_untrusted_issuer_is_refused_as_of_an_unknown_issuer_even_if_registered()
    {
        Start();
        var card = IdentityCards.Untrusted;
        await ForceRegisterAsync(card);
        var challenge = await IssueAsync();

        Assert.Equal(CardRejectionReasons.UnknownIssuer, await RejectionAsync(challenge, card.CertificateDer, card.Sign(challenge.Nonce)));
    }

    [SkippableFact]
    public async Task A_card_of_a_ca_with_exactly_the_trusted_issuers_name_is_refused_as_of_an_unknown_issuer()
    {
        Start();
        var card = IdentityCards.Impostor;
        Assert.Equal(Alice.Certificate.IssuerName.RawData, card.Certificate.IssuerName.RawData);
        await ForceRegisterAsync(card);
        var challenge = await IssueAsync();

        Assert.Equal(CardRejectionReasons.UnknownIssuer, await RejectionAsync(challenge, card.CertificateDer, card.Sign(challenge.Nonce)));
    }

    [SkippableFact]
    public async Task The_trusted_ca_certificate_presented_as_a_card_is_refused_as_of_an_unknown_issuer()
    {
        Start();
        var ca = IdentityCards.Trusted.IssuerCa;
        using var caKey = ca.GetRSAPrivateKey()!;
        using var publicCa = X509CertificateLoader.LoadCertificate(ca.RawData);
        using var caCard = new SimulatedCard(publicCa.CopyWithPrivateKey(caKey));
        await ForceRegisterAsync(caCard);
        var challenge = await IssueAsync();

        Assert.Equal(CardRejectionReasons.UnknownIssuer, await RejectionAsync(challenge, caCard.CertificateDer, caCard.Sign(challenge.Nonce)));
    }

    // --- expired ---

    [SkippableFact]
    public async Task A_card_past_its_not_after_is_expired_even_if_registered()
    {
        Start();
        var card = IdentityCards.Expired;
        await ForceRegisterAsync(card);
        var challenge = await IssueAsync();

        Assert.Equal(CardRejectionReasons.Expired, await RejectionAsync(challenge, card.CertificateDer, card.Sign(challenge.Nonce)));
    }

    [SkippableFact]
    public async Task A_card_not_yet_valid_is_expired_even_if_registered()
    {
        Start();
        var card = IdentityCards.NotYetValid;
        await ForceRegisterAsync(card);
        var challenge = await IssueAsync();

        Assert.Equal(CardRejectionReasons.Expired, await RejectionAsync(challenge, card.CertificateDer, card.Sign(challenge.Nonce)));
    }

    [SkippableFact]
    public async Task A_card_verified_once_is_expired_once_time_passes_its_not_after_despite_the_cached_chain()
    {
        Start();
        await RegisterAsync(Alice);
        var first = await IssueAsync();
        Assert.Null((await VerifyAsync(first, Alice.CertificateDer, Alice.Sign(first.Nonce))).Rejection);

        _time.SetUtcNow(new DateTimeOffset(Alice.Certificate.NotAfter.ToUniversalTime()).AddSeconds(1));
        var second = await IssueAsync();

        Assert.Equal(CardRejectionReasons.Expired, await RejectionAsync(second, Alice.CertificateDer, Alice.Sign(second.Nonce)));
    }

    // --- revoked ---

    [SkippableFact]
    public async Task A_card_revoked_by_issuer_and_serial_number_is_revoked()
    {
        Start();
        await RegisterAsync(Alice);
        var (issuer, serial) = CertificateChecker.IssuerAndSerial(Alice.Certificate);

        Assert.True(await _store.RevokeAsync(issuer, serial, _time.GetUtcNow(), default));
        var challenge = await IssueAsync();

        Assert.Equal(CardRejectionReasons.Revoked, await RejectionAsync(challenge, Alice.CertificateDer, Alice.Sign(challenge.Nonce)));
    }

    [SkippableFact]
    public async Task A_card_revoked_by_its_certificate_is_revoked()
    {
        Start();
        await RegisterAsync(Alice);
        using var presented = X509CertificateLoader.LoadCertificate(Alice.CertificateDer);
        var (issuer, serial) = CertificateChecker.IssuerAndSerial(presented);
        await _store.RevokeAsync(issuer, serial, _time.GetUtcNow(), default);
        var challenge = await IssueAsync();

        Assert.Equal(CardRejectionReasons.Revoked, await RejectionAsync(challenge, Alice.CertificateDer, Alice.Sign(challenge.Nonce)));
    }

    [SkippableFact]
    public async Task A_revocation_recorded_before_the_card_is_registered_still_revokes_it()
    {
        Start();
        var (issuer, serial) = CertificateChecker.IssuerAndSerial(Alice.Certificate);
        Assert.False(await _store.RevokeAsync(issuer, serial, _time.GetUtcNow(), default));
        await RegisterAsync(Alice);
        var challenge = await IssueAsync();

        Assert.Equal(CardRejectionReasons.Revoked, await RejectionAsync(challenge, Alice.CertificateDer, Alice.Sign(challenge.Nonce)));
    }

    [SkippableFact]
    public async Task A_revocation_naming_the_issuer_with_other_spacing_still_revokes_the_card()
    {
        Start();
        await RegisterAsync(Alice);
        var issuer = CertificateChecker.NormalizeIssuer("CN=PMH Test Card Issuer CA,O=PMH Hub Tests,C=JP")!;
        var serial = CertificateChecker.NormalizeSerial(Alice.Certificate.SerialNumber);

        Assert.True(await _store.RevokeAsync(issuer, serial, _time.GetUtcNow(), default), "the revocation should find the registered card");
        var challenge = await IssueAsync();

        Assert.Equal(CardRejectionReasons.Revoked, await RejectionAsync(challenge, Alice.CertificateDer, Alice.Sign(challenge.Nonce)));
    }

    [SkippableFact]
    public async Task A_revocation_giving_the_serial_number_in_lower_case_with_leading_zeros_and_colons_still_revokes_the_card()
    {
        Start();
        await RegisterAsync(Alice);
        var hex = "0000" + Alice.Certificate.SerialNumber.ToLowerInvariant();
        var colons = string.Join(':', Enumerable.Range(0, hex.Length / 2).Select(i => hex.Substring(i * 2, 2)));
        var issuer = CertificateChecker.NormalizeIssuer(TestCards.IssuerName)!;

        Assert.True(await _store.RevokeAsync(issuer, CertificateChecker.NormalizeSerial(colons), _time.GetUtcNow(), default));
        var challenge = await IssueAsync();

        Assert.Equal(CardRejectionReasons.Revoked, await RejectionAsync(challenge, Alice.CertificateDer, Alice.Sign(challenge.Nonce)));
    }

    [SkippableFact]
    public async Task Revoking_one_card_leaves_another_card_of_the_same_issuer_verified()
    {
        Start();
        await RegisterAsync(Alice);
        await RegisterAsync(Bob, "pk-bob");
        var (issuer, serial) = CertificateChecker.IssuerAndSerial(Bob.Certificate);
        await _store.RevokeAsync(issuer, serial, _time.GetUtcNow(), default);
        var challenge = await IssueAsync();

        Assert.Null((await VerifyAsync(challenge, Alice.CertificateDer, Alice.Sign(challenge.Nonce))).Rejection);
    }

    // --- unregisteredCard ---

    [SkippableFact]
    public async Task A_good_card_never_registered_is_an_unregistered_card()
    {
        Start();
        await RegisterAsync(Bob, "pk-bob");
        var challenge = await IssueAsync();

        Assert.Equal(CardRejectionReasons.UnregisteredCard, await RejectionAsync(challenge, Alice.CertificateDer, Alice.Sign(challenge.Nonce)));
    }

    // --- badSignature ---

    [SkippableFact]
    public async Task A_signature_over_another_nonce_is_a_bad_signature()
    {
        Start();
        await RegisterAsync(Alice);
        var challenge = await IssueAsync();

        Assert.Equal(CardRejectionReasons.BadSignature, await RejectionAsync(challenge, Alice.CertificateDer, Alice.Sign(RandomNumberGenerator.GetBytes(32))));
    }

    [SkippableFact]
    public async Task A_signature_by_another_cards_key_is_a_bad_signature()
    {
        Start();
        await RegisterAsync(Alice);
        await RegisterAsync(Bob, "pk-bob");
        var challenge = await IssueAsync();

        Assert.Equal(CardRejectionReasons.BadSignature, await RejectionAsync(challenge, Alice.CertificateDer, Bob.Sign(challenge.Nonce)));
    }

    [SkippableFact]
    public async Task A_bad_signature_burns_the_challenge_so_that_a_good_one_after_it_is_refused()
    {
        Start();
        await RegisterAsync(Alice);
        var challenge = await IssueAsync();
        Assert.Equal(CardRejectionReasons.BadSignature, await RejectionAsync(challenge, Alice.CertificateDer, Bob.Sign(challenge.Nonce)));

        Assert.Equal(CardRejectionReasons.ChallengeReused, await RejectionAsync(challenge, Alice.CertificateDer, Alice.Sign(challenge.Nonce)));
        Assert.NotNull((await _store.FindChallengeAsync(challenge.ChallengeId, default))!.UsedAt);
    }

    // --- challengeExpired ---

    [SkippableFact]
    public async Task A_challenge_answered_just_before_its_lifetime_ends_is_accepted()
    {
        Start();
        await RegisterAsync(Alice);
        var challenge = await IssueAsync();

        _time.Advance(Lifetime - TimeSpan.FromMilliseconds(1));

        Assert.Null((await VerifyAsync(challenge, Alice.CertificateDer, Alice.Sign(challenge.Nonce))).Rejection);
    }

    [SkippableFact]
    public async Task A_challenge_answered_once_its_lifetime_has_passed_is_expired()
    {
        Start();
        await RegisterAsync(Alice);
        var challenge = await IssueAsync();

        _time.Advance(Lifetime);

        Assert.Equal(CardRejectionReasons.ChallengeExpired, await RejectionAsync(challenge, Alice.CertificateDer, Alice.Sign(challenge.Nonce)));
    }

    [SkippableFact]
    public async Task An_unknown_challenge_is_expired()
    {
        Start();
        await RegisterAsync(Alice);
        var never = new StoredChallenge(Guid.NewGuid(), Desk, RandomNumberGenerator.GetBytes(32), _time.GetUtcNow() + Lifetime, null);

        Assert.Equal(CardRejectionReasons.ChallengeExpired, await RejectionAsync(never, Alice.CertificateDer, Alice.Sign(never.Nonce)));
    }

    [SkippableFact]
    public async Task A_challenge_issued_to_another_participant_is_expired_and_stays_usable_by_its_own()
    {
        Start();
        await RegisterAsync(Alice);
        var challenge = await IssueAsync("pharmacy");

        Assert.Equal(CardRejectionReasons.ChallengeExpired, await RejectionAsync(challenge, Alice.CertificateDer, Alice.Sign(challenge.Nonce), participant: Desk));
        Assert.Null((await VerifyAsync(challenge, Alice.CertificateDer, Alice.Sign(challenge.Nonce), participant: "pharmacy")).Rejection);
    }

    // --- challengeReused ---

    [SkippableFact]
    public async Task A_challenge_used_once_is_refused_the_second_time()
    {
        Start();
        await RegisterAsync(Alice);
        var challenge = await IssueAsync();
        var signature = Alice.Sign(challenge.Nonce);
        Assert.Null((await VerifyAsync(challenge, Alice.CertificateDer, signature)).Rejection);

        Assert.Equal(CardRejectionReasons.ChallengeReused, await RejectionAsync(challenge, Alice.CertificateDer, signature));
    }

    [SkippableFact]
    public async Task Of_many_verifications_of_one_challenge_at_the_same_moment_exactly_one_is_verified()
    {
        Start();
        await RegisterAsync(Alice);
        var challenge = await IssueAsync();
        var signature = Alice.Sign(challenge.Nonce);
        var request = Request(challenge, Alice.CertificateDer, signature, Desk);
        using var go = new ManualResetEventSlim();

        var attempts = Enumerable.Range(0, 24)
            .Select(_ => Task.Run(async () =>
            {
                go.Wait();
                return await _verifier.VerifyAsync(request, default);
            }))
            .ToArray();
        go.Set();
        var outcomes = await Task.WhenAll(attempts);

        Assert.Single(outcomes, o => o.Card is not null);
        Assert.All(outcomes.Where(o => o.Card is null), o => Assert.Equal(CardRejectionReasons.ChallengeReused, o.Rejection));
    }

    [SkippableFact]
    public async Task A_challenge_is_consumed_by_exactly_one_of_many_simultaneous_attempts_in_storage()
    {
        Start();
        var challenge = await IssueAsync();
        using var go = new ManualResetEventSlim();

        var attempts = Enumerable.Range(0, 24)
            .Select(_ => Task.Run(async () =>
            {
                go.Wait();
                return await _store.TryConsumeChallengeAsync(challenge.ChallengeId, _time.GetUtcNow(), default);
            }))
            .ToArray();
        go.Set();
        var consumed = await Task.WhenAll(attempts);

        Assert.Single(consumed, c => c);
        Assert.False(await _store.TryConsumeChallengeAsync(challenge.ChallengeId, _time.GetUtcNow(), default));
    }

    [SkippableFact]
    public async Task An_expired_challenge_cannot_be_consumed_in_storage()
    {
        Start();
        var challenge = await IssueAsync();

        Assert.False(await _store.TryConsumeChallengeAsync(challenge.ChallengeId, challenge.ExpiresAt, default));
        Assert.Null((await _store.FindChallengeAsync(challenge.ChallengeId, default))!.UsedAt);
    }

    // --- registration and storage ---

    [SkippableFact]
    public async Task The_same_certificate_registered_twice_is_refused_the_second_time_and_keeps_its_first_person()
    {
        Start();
        Assert.True(await RegisterAsync(Alice));

        Assert.False(await RegisterAsync(Alice, "pk-someone-else", new DateOnly(1970, 1, 1)));

        var challenge = await IssueAsync();
        Assert.Equal(new RegisteredCard(AlicesKey, AlicesBirthDate), (await VerifyAsync(challenge, Alice.CertificateDer, Alice.Sign(challenge.Nonce))).Card);
    }

    [SkippableFact]
    public async Task A_registered_card_is_stored_with_the_person_key_given_and_nothing_else_of_the_person()
    {
        Start();
        var check = _checker.Check(Alice.CertificateDer, _time.GetUtcNow());
        await RegisterAsync(Alice);

        var rows = await RowsAsync("SELECT * FROM identity_cards");

        var row = Assert.Single(rows);
        var expected = new Dictionary<string, string>
        {
            ["thumbprint"] = check.Facts!.Thumbprint,
            ["issuer"] = TestCards.IssuerName,
            ["serial_number"] = check.Facts.SerialNumber,
            ["person_key"] = AlicesKey,
            ["birth_date"] = "20190401",
            ["not_after"] = check.Facts.ValidTo.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture),
            ["registered_at"] = IdentityCards.Now.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture),
        };
        Assert.Equal(expected.OrderBy(p => p.Key), row.OrderBy(p => p.Key));
    }

    [SkippableFact]
    public async Task Verifying_stores_nothing_of_the_person_beyond_the_registration()
    {
        Start();
        await RegisterAsync(Alice);
        var challenge = await IssueAsync();
        await VerifyAsync(challenge, Alice.CertificateDer, Alice.Sign(challenge.Nonce));
        var (issuer, serial) = CertificateChecker.IssuerAndSerial(Bob.Certificate);
        await _store.RevokeAsync(issuer, serial, _time.GetUtcNow(), default);

        var cells = (await RowsAsync("SELECT * FROM identity_challenges"))
            .Concat(await RowsAsync("SELECT * FROM identity_revocations"))
            .SelectMany(r => r.Values);

        Assert.DoesNotContain(cells, v => v.Contains(AlicesKey, StringComparison.Ordinal) || v.Contains("alice", StringComparison.OrdinalIgnoreCase));
    }

    [SkippableFact]
    public async Task Purging_removes_only_the_challenges_that_expired_before_the_cut_off()
    {
        Start();
        var old = await IssueAsync();
        _time.Advance(TimeSpan.FromHours(2));
        var fresh = await IssueAsync();

        Assert.Equal(1, await _store.PurgeChallengesAsync(_time.GetUtcNow() - TimeSpan.FromHours(1), default));

        Assert.Null(await _store.FindChallengeAsync(old.ChallengeId, default));
        Assert.NotNull(await _store.FindChallengeAsync(fresh.ChallengeId, default));
    }

    // --- helpers ---

    /// <summary>Registers a card the way the registration consumer does: with the facts of an accepted check.</summary>
    private async Task<bool> RegisterAsync(SimulatedCard card, string personKey = AlicesKey, DateOnly? birthDate = null)
    {
        var now = _time.GetUtcNow();
        var check = _checker.Check(card.CertificateDer, now);
        Assert.Null(check.Rejection);
        var facts = check.Facts!;
        return await _store.TryRegisterAsync(
            facts.Thumbprint, facts.Issuer, facts.SerialNumber, personKey, birthDate ?? AlicesBirthDate, facts.ValidTo, now, default);
    }

    /// <summary>Registers a card the registration consumer would refuse, to show the verifier refuses it on its own.</summary>
    private async Task ForceRegisterAsync(SimulatedCard card)
    {
        await _store.TryRegisterAsync(
            Convert.ToHexString(SHA256.HashData(card.CertificateDer)),
            card.Certificate.IssuerName.Name,
            CertificateChecker.NormalizeSerial(card.Certificate.SerialNumber),
            AlicesKey,
            AlicesBirthDate,
            new DateTimeOffset(card.Certificate.NotAfter.ToUniversalTime()),
            _time.GetUtcNow(),
            default);
    }

    private async Task<StoredChallenge> IssueAsync(string participant = Desk)
    {
        var challenge = new StoredChallenge(Guid.NewGuid(), participant, RandomNumberGenerator.GetBytes(32), _time.GetUtcNow() + Lifetime, null);
        await _store.SaveChallengeAsync(challenge, default);
        return challenge;
    }

    private static VerifyCardholder Request(StoredChallenge challenge, byte[] certificate, byte[] signature, string participant) => new()
    {
        ChallengeId = challenge.ChallengeId,
        ParticipantId = participant,
        Certificate = certificate,
        Signature = signature,
    };

    private Task<Verification> VerifyAsync(StoredChallenge challenge, byte[] certificate, byte[] signature, string participant = Desk) =>
        _verifier.VerifyAsync(Request(challenge, certificate, signature, participant), default);

    private async Task<string?> RejectionAsync(StoredChallenge challenge, byte[] certificate, byte[] signature, string participant = Desk)
    {
        var verification = await VerifyAsync(challenge, certificate, signature, participant);
        Assert.Null(verification.Card);
        return verification.Rejection;
    }

    /// <summary>Every row of a query, each cell as invariant text by column name.</summary>
    private async Task<List<Dictionary<string, string>>> RowsAsync(string sql) =>
        await _database.Value.Database.RunAsync(
            async (connection, ct) =>
            {
                var rows = new List<Dictionary<string, string>>();
                await using var reader = await connection.ExecuteReaderAsync(new CommandDefinition(sql, cancellationToken: ct));
                while (await reader.ReadAsync(ct))
                {
                    rows.Add(Enumerable.Range(0, reader.FieldCount).ToDictionary(
                        reader.GetName,
                        i => Convert.ToString(reader.GetValue(i), CultureInfo.InvariantCulture) ?? ""));
                }

                return rows;
            },
            default);

    public void Dispose()
    {
        if (_database.IsValueCreated)
        {
            _database.Value.Dispose();
        }

        GC.SuppressFinalize(this);
    }
}

public sealed class SqliteCardholderVerifierTests() : CardholderVerifierTests(StorageProvider.Sqlite)
{
    protected override string? WhyNotAvailable => null;
}

public sealed class PostgresCardholderVerifierTests() : CardholderVerifierTests(StorageProvider.PostgreSql)
{
    protected override string? WhyNotAvailable => TestServers.WhyNoPostgres;
}
