using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Pmh.Contracts.Identity;
using Pmh.Hosting;
using Pmh.Identity.Cards;
using Pmh.Identity.Consumers;
using Pmh.Identity.Simulator;
using Pmh.Identity.Storage;
using Pmh.Testing;

namespace Pmh.Identity.Tests.Consumers;

/// <summary>The identity service's consumers on MassTransit's test harness, over a SQLite database.</summary>
public sealed class IdentityConsumerTests : IAsyncLifetime
{
    private const string Desk = "clinic";
    private static readonly DateOnly BirthDate = new(2019, 4, 1);

    private readonly TestDatabase _database = TestDatabase.Create(
        StorageProvider.Sqlite, IdentityServiceExtensions.DatabaseName, typeof(IdentityServiceExtensions).Assembly);

    private readonly FakeTimeProvider _time = new(IdentityCards.Now);
    private ServiceProvider _provider = null!;
    private ITestHarness _harness = null!;

    public async Task InitializeAsync()
    {
        // What AddIdentityService registers, with the test CA trusted and a fake clock.
        _provider = new ServiceCollection()
            .AddKeyedSingleton(IdentityServiceExtensions.DatabaseName, _database.Database)
            .AddSingleton<TimeProvider>(_time)
            .AddSingleton(new IdentityOptions())
            .AddSingleton(new TrustedIssuers([X509CertificateLoader.LoadCertificate(IdentityCards.Trusted.IssuerCa.RawData)]))
            .AddSingleton(sp => new CertificateChecker(
                sp.GetRequiredService<TrustedIssuers>(), new MemoryCache(new MemoryCacheOptions { SizeLimit = 1000 })))
            .AddSingleton<IdentityStore>()
            .AddSingleton<CardholderVerifier>()
            .AddMassTransitTestHarness(bus =>
            {
                bus.SetKebabCaseEndpointNameFormatter();
                bus.AddConsumer<IssueChallengeConsumer>();
                bus.AddConsumer<VerifyCardholderConsumer>();
                bus.AddConsumer<RegisterCardConsumer>();
                bus.AddConsumer<RevokeCardConsumer>();
            })
            .BuildServiceProvider(true);
        _harness = _provider.GetRequiredService<ITestHarness>();
        await _harness.Start();
    }

    public async Task DisposeAsync()
    {
        await _harness.Stop();
        await _provider.DisposeAsync();
        _database.Dispose();
    }

    // --- IssueChallenge ---

    [Fact]
    public async Task A_challenge_is_32_random_bytes_expiring_one_challenge_lifetime_from_now()
    {
        var issued = await ChallengeAsync();

        Assert.Equal(32, issued.Nonce.Length);
        Assert.Equal(IdentityCards.Now + TimeSpan.FromSeconds(60), issued.ExpiresAt);
        var stored = await _provider.GetRequiredService<IdentityStore>().FindChallengeAsync(issued.ChallengeId, default);
        Assert.Equal((Desk, issued.ExpiresAt, (DateTimeOffset?)null), (stored!.ParticipantId, stored.ExpiresAt, stored.UsedAt));
        Assert.Equal(issued.Nonce, stored.Nonce);
    }

    [Fact]
    public async Task Two_challenges_have_different_ids_and_nonces()
    {
        var first = await ChallengeAsync();
        var second = await ChallengeAsync();

        Assert.NotEqual(first.ChallengeId, second.ChallengeId);
        Assert.NotEqual(first.Nonce, second.Nonce);
    }

    // --- RegisterCard ---

    [Fact]
    public async Task A_good_card_is_registered_with_its_issuer_serial_number_and_not_after()
    {
        var card = IdentityCards.Alice;

        var registered = Assert.IsType<CardRegistered>(await RegisterAsync(card.CertificateDer));

        Assert.Equal(TestCards.IssuerName, registered.Issuer);
        Assert.Equal(CertificateChecker.NormalizeSerial(card.Certificate.SerialNumber), registered.SerialNumber);
        Assert.Equal(new DateTimeOffset(card.Certificate.NotAfter.ToUniversalTime()), registered.NotAfter);
    }

    [Fact]
    public async Task The_same_certificate_registered_twice_is_refused_as_already_registered()
    {
        Assert.IsType<CardRegistered>(await RegisterAsync(IdentityCards.Alice.CertificateDer));

        var refused = Assert.IsType<CardRegistrationRefused>(await RegisterAsync(IdentityCards.Alice.CertificateDer, "pk-someone-else"));

        Assert.Equal(CardRegistrationRefused.AlreadyRegistered, refused.Reason);
    }

    [Theory]
    [InlineData("pem")]
    [InlineData("trailing byte")]
    public async Task The_same_certificate_in_another_encoding_cannot_be_registered_to_a_second_person(string encoding)
    {
        var card = IdentityCards.Alice;
        Assert.IsType<CardRegistered>(await RegisterAsync(card.CertificateDer, "pk-alice"));
        var other = encoding == "pem" ? Encoding.ASCII.GetBytes(card.CertificatePem()) : [.. card.CertificateDer, 0x00];

        var answer = await RegisterAsync(other, "pk-mallory");

        Assert.IsType<CardRegistrationRefused>(answer);
    }

    [Fact]
    public async Task A_card_of_an_untrusted_issuer_is_refused_as_of_an_unknown_issuer()
    {
        var refused = Assert.IsType<CardRegistrationRefused>(await RegisterAsync(IdentityCards.Untrusted.CertificateDer));

        Assert.Equal(CardRejectionReasons.UnknownIssuer, refused.Reason);
    }

    [Fact]
    public async Task A_card_of_a_ca_copying_the_trusted_issuers_name_is_refused_as_of_an_unknown_issuer()
    {
        var refused = Assert.IsType<CardRegistrationRefused>(await RegisterAsync(IdentityCards.Impostor.CertificateDer));

        Assert.Equal(CardRejectionReasons.UnknownIssuer, refused.Reason);
    }

    [Fact]
    public async Task An_expired_card_is_refused_as_expired()
    {
        var refused = Assert.IsType<CardRegistrationRefused>(await RegisterAsync(IdentityCards.Expired.CertificateDer));

        Assert.Equal(CardRejectionReasons.Expired, refused.Reason);
    }

    [Fact]
    public async Task A_ca_certificate_of_the_trusted_issuer_is_refused_as_not_a_card_certificate_and_nothing_is_registered()
    {
        var subCa = IdentityCards.SubCa;

        var refused = Assert.IsType<CardRegistrationRefused>(await RegisterAsync(subCa.CertificateDer));

        Assert.Equal(CardRejectionReasons.NotACardCertificate, refused.Reason);
        Assert.Null(await _provider.GetRequiredService<IdentityStore>().FindCardAsync(Convert.ToHexString(SHA256.HashData(subCa.CertificateDer)), default));
    }

    [Fact]
    public async Task A_ca_certificate_registered_before_the_rule_existed_is_still_rejected_at_verification()
    {
        var subCa = IdentityCards.SubCa;
        var thumbprint = Convert.ToHexString(SHA256.HashData(subCa.CertificateDer));
        var (issuer, serial) = CertificateChecker.IssuerAndSerial(subCa.Certificate);
        await _provider.GetRequiredService<IdentityStore>().TryRegisterAsync(
            thumbprint, issuer, serial, "pk-sub-ca", BirthDate, IdentityCards.Now.AddYears(1), IdentityCards.Now, default);
        var challenge = await ChallengeAsync();

        var rejected = Assert.IsType<CardholderRejected>(await VerifyAsync(challenge, subCa, subCa.Sign(challenge.Nonce)));

        Assert.Equal(CardRejectionReasons.NotACardCertificate, rejected.Reason);
    }

    [Fact]
    public async Task Garbage_instead_of_a_certificate_is_refused_as_malformed()
    {
        var refused = Assert.IsType<CardRegistrationRefused>(await RegisterAsync(RandomNumberGenerator.GetBytes(300)));

        Assert.Equal(CardRejectionReasons.Malformed, refused.Reason);
    }

    // --- VerifyCardholder ---

    [Fact]
    public async Task A_registered_card_signing_its_challenge_is_answered_with_the_person_key_and_birth_date()
    {
        var card = IdentityCards.Alice;
        await RegisterAsync(card.CertificateDer, "pk-alice");
        var challenge = await ChallengeAsync();

        var verified = Assert.IsType<CardholderVerified>(await VerifyAsync(challenge, card, card.Sign(challenge.Nonce)));

        Assert.Equal(("pk-alice", BirthDate), (verified.PersonKey, verified.BirthDate));
    }

    [Fact]
    public async Task A_card_never_registered_is_answered_with_the_rejection_reason()
    {
        var challenge = await ChallengeAsync();

        var rejected = Assert.IsType<CardholderRejected>(await VerifyAsync(challenge, IdentityCards.Bob, IdentityCards.Bob.Sign(challenge.Nonce)));

        Assert.Equal(CardRejectionReasons.UnregisteredCard, rejected.Reason);
    }

    [Fact]
    public async Task A_challenge_answered_after_its_lifetime_is_rejected_as_expired()
    {
        var card = IdentityCards.Alice;
        await RegisterAsync(card.CertificateDer);
        var challenge = await ChallengeAsync();
        _time.Advance(TimeSpan.FromSeconds(60));

        var rejected = Assert.IsType<CardholderRejected>(await VerifyAsync(challenge, card, card.Sign(challenge.Nonce)));

        Assert.Equal(CardRejectionReasons.ChallengeExpired, rejected.Reason);
    }

    [Fact]
    public async Task A_challenge_answered_twice_is_rejected_as_reused_the_second_time()
    {
        var card = IdentityCards.Alice;
        await RegisterAsync(card.CertificateDer);
        var challenge = await ChallengeAsync();
        var signature = card.Sign(challenge.Nonce);
        Assert.IsType<CardholderVerified>(await VerifyAsync(challenge, card, signature));

        var rejected = Assert.IsType<CardholderRejected>(await VerifyAsync(challenge, card, signature));

        Assert.Equal(CardRejectionReasons.ChallengeReused, rejected.Reason);
    }

    // --- RevokeCard ---

    [Fact]
    public async Task Revoking_a_registered_card_by_its_certificate_says_it_was_registered_and_its_holder_is_rejected()
    {
        var card = IdentityCards.Alice;
        await RegisterAsync(card.CertificateDer);

        var revoked = await RevokeAsync(new RevokeCard { Certificate = card.CertificateDer });

        Assert.Equal((TestCards.IssuerName, CertificateChecker.NormalizeSerial(card.Certificate.SerialNumber), true), (revoked.Issuer, revoked.SerialNumber, revoked.WasRegistered));
        var challenge = await ChallengeAsync();
        var rejected = Assert.IsType<CardholderRejected>(await VerifyAsync(challenge, card, card.Sign(challenge.Nonce)));
        Assert.Equal(CardRejectionReasons.Revoked, rejected.Reason);
    }

    [Fact]
    public async Task Revoking_an_unregistered_card_by_issuer_and_serial_says_it_was_not_registered_and_revokes_it_ahead()
    {
        var card = IdentityCards.Bob;

        var revoked = await RevokeAsync(new RevokeCard { Issuer = TestCards.IssuerName, SerialNumber = card.Certificate.SerialNumber.ToLowerInvariant() });

        Assert.False(revoked.WasRegistered);
        Assert.IsType<CardRegistered>(await RegisterAsync(card.CertificateDer));
        var challenge = await ChallengeAsync();
        var rejected = Assert.IsType<CardholderRejected>(await VerifyAsync(challenge, card, card.Sign(challenge.Nonce)));
        Assert.Equal(CardRejectionReasons.Revoked, rejected.Reason);
    }

    [Fact]
    public async Task Revoking_twice_is_the_same_as_revoking_once()
    {
        await RegisterAsync(IdentityCards.Alice.CertificateDer);

        var first = await RevokeAsync(new RevokeCard { Certificate = IdentityCards.Alice.CertificateDer });
        var second = await RevokeAsync(new RevokeCard { Certificate = IdentityCards.Alice.CertificateDer });

        Assert.Equal(first, second);
    }

    [Fact]
    public async Task Revoking_by_an_issuer_name_written_without_spaces_finds_the_registered_card()
    {
        var card = IdentityCards.Alice;
        await RegisterAsync(card.CertificateDer);

        var revoked = await RevokeAsync(new RevokeCard
        {
            Issuer = "CN=PMH Test Card Issuer CA,O=PMH Hub Tests,C=JP",
            SerialNumber = card.Certificate.SerialNumber,
        });

        Assert.True(revoked.WasRegistered, $"the revocation was recorded for issuer '{revoked.Issuer}', the card's issuer is '{TestCards.IssuerName}'");
    }

    // --- helpers ---

    private async Task<ChallengeIssued> ChallengeAsync() =>
        (await _harness.GetRequestClient<IssueChallenge>().GetResponse<ChallengeIssued>(new IssueChallenge { ParticipantId = Desk })).Message;

    private async Task<object> RegisterAsync(byte[] certificate, string personKey = "pk-alice") =>
        (await _harness.GetRequestClient<RegisterCard>().GetResponse<CardRegistered, CardRegistrationRefused>(
            new RegisterCard { Certificate = certificate, PersonKey = personKey, BirthDate = BirthDate })).Message;

    private async Task<object> VerifyAsync(ChallengeIssued challenge, SimulatedCard card, byte[] signature) =>
        (await _harness.GetRequestClient<VerifyCardholder>().GetResponse<CardholderVerified, CardholderRejected>(new VerifyCardholder
        {
            ChallengeId = challenge.ChallengeId,
            ParticipantId = Desk,
            Certificate = card.CertificateDer,
            Signature = signature,
        })).Message;

    private async Task<CardRevoked> RevokeAsync(RevokeCard request) =>
        (await _harness.GetRequestClient<RevokeCard>().GetResponse<CardRevoked>(request)).Message;
}
