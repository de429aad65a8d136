using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Caching.Memory;
using Pmh.Contracts.Identity;

namespace Pmh.Identity.Cards;

/// <summary>What is known of a card certificate once parsed and chained: cached, since it does not change.</summary>
public sealed record CertificateFacts(
    string Thumbprint,
    string Issuer,
    string SerialNumber,
    bool ChainsToTrustedIssuer,
    DateTimeOffset ValidFrom,
    DateTimeOffset ValidTo);

/// <summary>The outcome of checking a certificate at a moment: its facts, or a rejection reason.</summary>
public sealed record CertificateCheck(CertificateFacts? Facts, string? Rejection, X509Certificate2? Certificate);

/// <summary>
/// Parses a card certificate, chains it to a trusted issuer CA and checks its validity at a given time. A chain is
/// built once per certificate and its result cached by the certificate's SHA-256; the time check runs every call,
/// against the chain's narrowest validity window, so that caching never extends a certificate's life.
/// </summary>
public sealed class CertificateChecker(TrustedIssuers trusted, IMemoryCache cache)
{
    public CertificateCheck Check(byte[] der, DateTimeOffset now)
    {
        X509Certificate2 certificate;
        try
        {
            certificate = X509CertificateLoader.LoadCertificate(der);
        }
        catch (CryptographicException)
        {
            return new CertificateCheck(null, CardRejectionReasons.Malformed, null);
        }

        // Only the exact DER of one certificate: PEM text or trailing bytes would give the same card another
        // thumbprint, and with it a second registration.
        if (!certificate.RawData.AsSpan().SequenceEqual(der) || certificate.GetRSAPublicKey() is not { } key || key.KeySize < 2048)
        {
            certificate.Dispose();
            return new CertificateCheck(null, CardRejectionReasons.Malformed, null);
        }

        key.Dispose();
        var thumbprint = Convert.ToHexString(SHA256.HashData(der));
        var facts = cache.GetOrCreate(thumbprint, entry =>
        {
            entry.Size = 1;
            entry.SlidingExpiration = TimeSpan.FromHours(1);
            return Chain(thumbprint, certificate);
        })!;

        if (!facts.ChainsToTrustedIssuer)
        {
            return new CertificateCheck(facts, CardRejectionReasons.UnknownIssuer, certificate);
        }

        if (now < facts.ValidFrom || now > facts.ValidTo)
        {
            return new CertificateCheck(facts, CardRejectionReasons.Expired, certificate);
        }

        return new CertificateCheck(facts, null, certificate);
    }

    /// <summary>Issuer DN and serial number, normalised the way revocations are stored.</summary>
    public static (string Issuer, string SerialNumber) IssuerAndSerial(X509Certificate2 certificate) =>
        (certificate.IssuerName.Name, NormalizeSerial(certificate.SerialNumber));

    public static string NormalizeSerial(string serial)
    {
        var hex = new string(serial.Where(Uri.IsHexDigit).ToArray()).ToUpperInvariant().TrimStart('0');
        return hex.Length == 0 ? "0" : hex;
    }

    /// <summary>A distinguished name as .NET formats it, so "CN=a, O=b" and "CN=a,O=b" name the same issuer.</summary>
    public static string? NormalizeIssuer(string issuer)
    {
        try
        {
            // Re-read from its encoding: .NET keeps a parsed name's text as typed, the encoding gives the canonical form.
            return new X500DistinguishedName(new X500DistinguishedName(issuer).RawData).Name;
        }
        catch (CryptographicException)
        {
            return null;
        }
    }

    private CertificateFacts Chain(string thumbprint, X509Certificate2 certificate)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(trusted.Certificates);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck; // the hub keeps its own revocation list
        chain.ChainPolicy.DisableCertificateDownloads = true;
        // Time is checked on every call against the window below, never frozen into the cache.
        chain.ChainPolicy.VerificationFlags = X509VerificationFlags.IgnoreNotTimeValid | X509VerificationFlags.IgnoreCtlNotTimeValid;

        var trustedChain = chain.Build(certificate) && chain.ChainElements.Count >= 2;
        var validFrom = new DateTimeOffset(certificate.NotBefore.ToUniversalTime());
        var validTo = new DateTimeOffset(certificate.NotAfter.ToUniversalTime());
        foreach (var element in chain.ChainElements)
        {
            validFrom = Max(validFrom, new DateTimeOffset(element.Certificate.NotBefore.ToUniversalTime()));
            validTo = Min(validTo, new DateTimeOffset(element.Certificate.NotAfter.ToUniversalTime()));
        }

        var (issuer, serial) = IssuerAndSerial(certificate);
        return new CertificateFacts(thumbprint, issuer, serial, trustedChain, validFrom, validTo);
    }

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;
}
