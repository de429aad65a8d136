using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Microsoft.Extensions.Caching.Memory;
using Pmh.Contracts.Identity;
using Pmh.Identity.Cards;
using Pmh.Identity.Simulator;
using Pmh.Testing;

namespace Pmh.Identity.Tests.Cards;

/// <summary>Parsing, chaining and the validity window of card certificates, with no storage involved.</summary>
public sealed class CertificateCheckerTests
{
    // A CA valid for one year (until two months after "now") and a card of it valid for five years: CertificateRequest
    // refuses to outlive its issuer, so the card is signed through a signature generator, as a careless CA could.
    private static readonly Lazy<(X509Certificate2 Ca, byte[] Card)> LazyShortLivedCa = new(() =>
    {
        var ca = CardReaderSimulator.CreateIssuerCa("CN=Short Lived Card Issuer CA, O=PMH Hub Tests, C=JP", IdentityCards.Now.AddMonths(-10), years: 1);
        using var caKey = ca.GetRSAPrivateKey()!;
        using var cardKey = RSA.Create(2048);
        var request = new CertificateRequest("CN=outlives its CA", cardKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        using var card = request.Create(
            ca.SubjectName, X509SignatureGenerator.CreateForRSA(caKey, RSASignaturePadding.Pkcs1), IdentityCards.Now.AddMonths(-1), IdentityCards.Now.AddYears(5), [0x01, 0x02]);
        return (ca, card.RawData);
    });

    private readonly CertificateChecker _checker = IdentityCards.Checker();

    [Fact]
    public void A_good_card_is_accepted_with_its_facts()
    {
        var card = IdentityCards.Alice;

        var check = _checker.Check(card.CertificateDer, IdentityCards.Now);

        Assert.Null(check.Rejection);
        var facts = check.Facts!;
        Assert.True(facts.ChainsToTrustedIssuer);
        Assert.Equal(Convert.ToHexString(SHA256.HashData(card.CertificateDer)), facts.Thumbprint);
        Assert.Equal(TestCards.IssuerName, facts.Issuer);
        Assert.Equal(card.Certificate.SerialNumber.TrimStart('0'), facts.SerialNumber);
        Assert.Equal(new DateTimeOffset(card.Certificate.NotAfter.ToUniversalTime()), facts.ValidTo);
    }

    [Fact]
    public void Bytes_that_are_no_certificate_are_malformed()
    {
        var check = _checker.Check([0x30, 0x82, 0x01, 0x00, 0xde, 0xad, 0xbe, 0xef], IdentityCards.Now);

        Assert.Equal(CardRejectionReasons.Malformed, check.Rejection);
        Assert.Null(check.Facts);
    }

    [Fact]
    public void A_known_card_checked_again_gives_the_same_facts_and_its_key_still_verifies_its_signatures()
    {
        var card = IdentityCards.Alice;
        var nonce = "a nonce"u8.ToArray();

        var first = _checker.Check(card.CertificateDer, IdentityCards.Now);
        var again = _checker.Check(card.CertificateDer, IdentityCards.Now);

        Assert.Same(first.Facts, again.Facts);
        Assert.True(again.Facts!.PublicKey.Verifies(nonce, card.Sign(nonce)));
        Assert.False(again.Facts.PublicKey.Verifies(nonce, IdentityCards.Untrusted.Sign(nonce)));
        Assert.Equal(2048, again.Facts.PublicKey.KeySize);
    }

    [Fact]
    public void A_cached_card_is_expired_once_its_not_after_passes()
    {
        var card = IdentityCards.Alice;
        Assert.Null(_checker.Check(card.CertificateDer, IdentityCards.Now).Rejection);

        var afterwards = new DateTimeOffset(card.Certificate.NotAfter.ToUniversalTime()).AddSeconds(1);

        Assert.Equal(CardRejectionReasons.Expired, _checker.Check(card.CertificateDer, afterwards).Rejection);
    }

    [Fact]
    public void A_certificate_over_a_1024_bit_rsa_key_is_malformed_even_from_the_trusted_issuer()
    {
        Assert.Equal(CardRejectionReasons.Malformed, _checker.Check(IdentityCards.WeakRsaCertificate, IdentityCards.Now).Rejection);
    }

    [Fact]
    public void A_certificate_over_an_ec_key_is_malformed_even_from_the_trusted_issuer()
    {
        Assert.Equal(CardRejectionReasons.Malformed, _checker.Check(IdentityCards.EcdsaCertificate, IdentityCards.Now).Rejection);
    }

    [Fact]
    public void A_card_of_an_untrusted_issuer_is_of_an_unknown_issuer()
    {
        var check = _checker.Check(IdentityCards.Untrusted.CertificateDer, IdentityCards.Now);

        Assert.Equal(CardRejectionReasons.UnknownIssuer, check.Rejection);
    }

    [Fact]
    public void A_card_of_a_ca_that_copies_the_trusted_issuers_name_is_of_an_unknown_issuer()
    {
        Assert.Equal(IdentityCards.Trusted.IssuerCa.SubjectName.RawData, IdentityCards.ImpostorCa.SubjectName.RawData);

        var check = _checker.Check(IdentityCards.Impostor.CertificateDer, IdentityCards.Now);

        Assert.Equal(CardRejectionReasons.UnknownIssuer, check.Rejection);
    }

    [Fact]
    public void The_trusted_ca_certificate_itself_presented_as_a_card_is_of_an_unknown_issuer()
    {
        var check = _checker.Check(IdentityCards.Trusted.IssuerCa.RawData, IdentityCards.Now);

        Assert.Equal(CardRejectionReasons.UnknownIssuer, check.Rejection);
    }

    [Fact]
    public void A_ca_certificate_signed_by_the_trusted_issuer_is_not_a_card_certificate()
    {
        var check = _checker.Check(IdentityCards.SubCa.CertificateDer, IdentityCards.Now);

        Assert.True(check.Facts!.ChainsToTrustedIssuer);
        Assert.Equal(CardRejectionReasons.NotACardCertificate, check.Rejection);
    }

    [Fact]
    public void A_certificate_without_the_digital_signature_key_usage_is_not_a_card_certificate()
    {
        Assert.Equal(CardRejectionReasons.NotACardCertificate, _checker.Check(IdentityCards.EnciphermentOnly.CertificateDer, IdentityCards.Now).Rejection);
    }

    [Fact]
    public void A_card_past_its_not_after_is_expired()
    {
        Assert.Equal(CardRejectionReasons.Expired, _checker.Check(IdentityCards.Expired.CertificateDer, IdentityCards.Now).Rejection);
    }

    [Fact]
    public void A_card_before_its_not_before_is_expired()
    {
        Assert.Equal(CardRejectionReasons.Expired, _checker.Check(IdentityCards.NotYetValid.CertificateDer, IdentityCards.Now).Rejection);
    }

    [Fact]
    public void A_card_is_good_up_to_its_not_after_and_expired_a_second_later()
    {
        var notAfter = new DateTimeOffset(IdentityCards.Alice.Certificate.NotAfter.ToUniversalTime());

        Assert.Null(_checker.Check(IdentityCards.Alice.CertificateDer, notAfter).Rejection);
        Assert.Equal(CardRejectionReasons.Expired, _checker.Check(IdentityCards.Alice.CertificateDer, notAfter.AddSeconds(1)).Rejection);
    }

    [Fact]
    public void A_cached_chain_never_extends_a_cards_validity()
    {
        var der = IdentityCards.Alice.CertificateDer;
        Assert.Null(_checker.Check(der, IdentityCards.Now).Rejection);

        var later = new DateTimeOffset(IdentityCards.Alice.Certificate.NotAfter.ToUniversalTime()).AddMinutes(1);

        Assert.Equal(CardRejectionReasons.Expired, _checker.Check(der, later).Rejection);
    }

    [Fact]
    public void A_cached_rejection_for_time_does_not_outlive_the_moment_it_was_made()
    {
        var der = IdentityCards.NotYetValid.CertificateDer;
        Assert.Equal(CardRejectionReasons.Expired, _checker.Check(der, IdentityCards.Now).Rejection);

        Assert.Null(_checker.Check(der, IdentityCards.Now.AddDays(2)).Rejection);
    }

    [Fact]
    public void A_card_that_outlives_its_ca_expires_with_the_ca()
    {
        var (ca, card) = LazyShortLivedCa.Value;
        var checker = new CertificateChecker(
            new TrustedIssuers([X509CertificateLoader.LoadCertificate(ca.RawData)]),
            new MemoryCache(new MemoryCacheOptions { SizeLimit = 10 }));
        var caNotAfter = new DateTimeOffset(ca.NotAfter.ToUniversalTime());

        Assert.Null(checker.Check(card, IdentityCards.Now).Rejection);
        Assert.Equal(CardRejectionReasons.Expired, checker.Check(card, caNotAfter.AddSeconds(1)).Rejection);
    }

    [Theory]
    [InlineData("01:23:AB", "123AB")]
    [InlineData("00 00 12 34", "1234")]
    [InlineData("0x00abcdef", "ABCDEF")]
    [InlineData("ABCDEF", "ABCDEF")]
    [InlineData("00:00", "0")]
    public void A_serial_number_is_normalised_to_upper_case_hex_without_leading_zeros(string given, string normalised)
    {
        Assert.Equal(normalised, CertificateChecker.NormalizeSerial(given));
    }

    [Theory]
    [InlineData("CN=PMH Test Card Issuer CA, O=PMH Hub Tests, C=JP")]
    [InlineData("CN=PMH Test Card Issuer CA,O=PMH Hub Tests,C=JP")]
    [InlineData("CN=PMH Test Card Issuer CA ,  O=PMH Hub Tests , C=JP")]
    [InlineData("CN = PMH Test Card Issuer CA, O = PMH Hub Tests, C = JP")]
    [InlineData("  CN=PMH Test Card Issuer CA, O=PMH Hub Tests, C=JP")]
    public void An_issuer_name_with_other_spacing_normalises_to_the_name_in_the_certificate(string given)
    {
        Assert.Equal(IdentityCards.Alice.Certificate.IssuerName.Name, CertificateChecker.NormalizeIssuer(given));
    }

    [Fact]
    public void An_issuer_that_is_no_distinguished_name_normalises_to_null()
    {
        Assert.Null(CertificateChecker.NormalizeIssuer("not a name"));
    }

    [Theory]
    [InlineData("pem")]
    [InlineData("trailing byte")]
    public void The_same_certificate_in_another_encoding_has_the_same_thumbprint_or_is_malformed(string encoding)
    {
        var der = IdentityCards.Alice.CertificateDer;
        var other = encoding == "pem" ? Encoding.ASCII.GetBytes(IdentityCards.Alice.CertificatePem()) : [.. der, 0x00];

        var original = _checker.Check(der, IdentityCards.Now);
        var variant = _checker.Check(other, IdentityCards.Now);

        if (variant.Rejection != CardRejectionReasons.Malformed)
        {
            Assert.Equal(original.Facts!.Thumbprint, variant.Facts!.Thumbprint);
        }
    }
}
