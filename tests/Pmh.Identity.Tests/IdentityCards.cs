using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Caching.Memory;
using Pmh.Identity.Cards;
using Pmh.Identity.Simulator;
using Pmh.Testing;

namespace Pmh.Identity.Tests;

/// <summary>
/// The CAs and cards of the identity tests, made with real cryptography. RSA key generation is the slow part, so each
/// is made once per process, on first use, and shared: every test has its own database and its own chain cache, so
/// sharing a card never carries state from one test into another.
/// </summary>
internal static class IdentityCards
{
    /// <summary>"Now" of the tests: inside the validity of the trusted CA and of the good cards.</summary>
    public static readonly DateTimeOffset Now = new(2026, 4, 1, 9, 0, 0, TimeSpan.Zero);

    private static readonly Lazy<SimulatedCard> LazyAlice = new(() => Trusted.Issue("alice"));
    private static readonly Lazy<SimulatedCard> LazyBob = new(() => Trusted.Issue("bob"));
    private static readonly Lazy<SimulatedCard> LazyExpired = new(() => Trusted.Issue("expired", TestCards.Epoch.AddYears(-1), TestCards.Epoch.AddDays(-1)));
    private static readonly Lazy<SimulatedCard> LazyNotYetValid = new(() => Trusted.Issue("future", Now.AddDays(1), Now.AddYears(5)));

    private static readonly Lazy<X509Certificate2> LazyUntrustedCa = new(() =>
        CardReaderSimulator.CreateIssuerCa("CN=Some Other Card Issuer CA, O=Elsewhere, C=JP", TestCards.Epoch.AddYears(-1), years: 20));

    private static readonly Lazy<SimulatedCard> LazyUntrusted = new(() =>
        CardReaderSimulator.IssueCard(UntrustedCa, "mallory", TestCards.Epoch.AddYears(-1), TestCards.Epoch.AddYears(10)));

    // A CA made by someone else with exactly the name of the trusted one: only its key differs.
    private static readonly Lazy<X509Certificate2> LazyImpostorCa = new(() =>
        CardReaderSimulator.CreateIssuerCa(TestCards.IssuerName, TestCards.Epoch.AddYears(-1), years: 20));

    private static readonly Lazy<SimulatedCard> LazyImpostor = new(() =>
        CardReaderSimulator.IssueCard(ImpostorCa, "alice", TestCards.Epoch.AddYears(-1), TestCards.Epoch.AddYears(10)));

    private static readonly Lazy<byte[]> LazyWeakRsa = new(() =>
    {
        using var key = RSA.Create(1024);
        return IssueByTrustedCa(new CertificateRequest("CN=weak", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
    });

    private static readonly Lazy<byte[]> LazyEcdsa = new(() =>
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return IssueByTrustedCa(new CertificateRequest("CN=elliptic", key, HashAlgorithmName.SHA256));
    });

    // A CA certificate the trusted issuer signed (a sub-CA): it chains, but is no card.
    private static readonly Lazy<SimulatedCard> LazySubCa = new(() => IssueWithKey("CN=a sub CA", ca: true, X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.DigitalSignature));

    // An end-entity certificate of the trusted issuer whose key usage does not include digitalSignature.
    private static readonly Lazy<SimulatedCard> LazyEnciphermentOnly = new(() => IssueWithKey("CN=encipherment only", ca: false, X509KeyUsageFlags.KeyEncipherment));

    public static TestCards Trusted => TestCards.Shared;

    /// <summary>A CA certificate (basicConstraints CA:TRUE) signed by the trusted issuer, with its key.</summary>
    public static SimulatedCard SubCa => LazySubCa.Value;

    /// <summary>An end-entity certificate of the trusted issuer with keyUsage keyEncipherment only, with its key.</summary>
    public static SimulatedCard EnciphermentOnly => LazyEnciphermentOnly.Value;

    /// <summary>A good card of the trusted issuer, valid 2025–2036.</summary>
    public static SimulatedCard Alice => LazyAlice.Value;

    /// <summary>Another good card of the trusted issuer.</summary>
    public static SimulatedCard Bob => LazyBob.Value;

    /// <summary>A card of the trusted issuer whose validity ended before <see cref="Now"/>.</summary>
    public static SimulatedCard Expired => LazyExpired.Value;

    /// <summary>A card of the trusted issuer whose validity starts the day after <see cref="Now"/>.</summary>
    public static SimulatedCard NotYetValid => LazyNotYetValid.Value;

    public static X509Certificate2 UntrustedCa => LazyUntrustedCa.Value;

    /// <summary>A card of an issuer the hub does not trust.</summary>
    public static SimulatedCard Untrusted => LazyUntrusted.Value;

    public static X509Certificate2 ImpostorCa => LazyImpostorCa.Value;

    /// <summary>A card of a CA that carries the trusted CA's distinguished name but not its key.</summary>
    public static SimulatedCard Impostor => LazyImpostor.Value;

    /// <summary>A certificate (DER) of the trusted issuer over a 1024-bit RSA key.</summary>
    public static byte[] WeakRsaCertificate => LazyWeakRsa.Value;

    /// <summary>A certificate (DER) of the trusted issuer over an EC P-256 key.</summary>
    public static byte[] EcdsaCertificate => LazyEcdsa.Value;

    /// <summary>A certificate checker that trusts the test CA, as the service loads it: the public certificate only.</summary>
    public static CertificateChecker Checker() =>
        new(
            new TrustedIssuers([X509CertificateLoader.LoadCertificate(Trusted.IssuerCa.RawData)]),
            new MemoryCache(new MemoryCacheOptions { SizeLimit = 1000 }));

    private static SimulatedCard IssueWithKey(string subject, bool ca, X509KeyUsageFlags usage)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(ca, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(usage, true));
        var serial = RandomNumberGenerator.GetBytes(8);
        serial[0] &= 0x7F;
        using var certificate = request.Create(Trusted.IssuerCa, TestCards.Epoch.AddYears(-1), TestCards.Epoch.AddYears(10), serial);
        return new SimulatedCard(certificate.CopyWithPrivateKey(key));
    }

    private static byte[] IssueByTrustedCa(CertificateRequest request)
    {
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        var serial = RandomNumberGenerator.GetBytes(8);
        serial[0] &= 0x7F;
        // Signed with the CA's RSA key whatever the subject's key is.
        using var caKey = Trusted.IssuerCa.GetRSAPrivateKey()!;
        using var certificate = request.Create(
            Trusted.IssuerCa.SubjectName,
            X509SignatureGenerator.CreateForRSA(caKey, RSASignaturePadding.Pkcs1),
            TestCards.Epoch.AddYears(-1),
            TestCards.Epoch.AddYears(10),
            serial);
        return certificate.RawData;
    }
}
