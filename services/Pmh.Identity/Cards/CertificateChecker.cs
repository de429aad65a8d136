using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Caching.Memory;
using Pmh.Contracts.Identity;

namespace Pmh.Identity.Cards;

/// <summary>
/// What is known of a card certificate once parsed and chained, with its public key: cached, since it does not
/// change.
/// </summary>
public sealed record CertificateFacts(
    string Thumbprint,
    string Issuer,
    string SerialNumber,
    bool ChainsToTrustedIssuer,
    bool IsCardCertificate,
    DateTimeOffset ValidFrom,
    DateTimeOffset ValidTo,
    CardPublicKey PublicKey);

/// <summary>A card's RSA public key, parsed once; verifications on one key take turns (the card is at one desk).</summary>
public sealed class CardPublicKey(RSA key)
{
    public int KeySize => key.KeySize;

    public bool Verifies(byte[] data, byte[] signature)
    {
        lock (key)
        {
            return key.VerifyData(data, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        }
    }
}

/// <summary>The outcome of checking a certificate at a moment: its facts, or a rejection reason.</summary>
public sealed record CertificateCheck(CertificateFacts? Facts, string? Rejection);

/// <summary>
/// Parses a card certificate, chains it to a trusted issuer CA and checks its validity at a given time. A
/// certificate is parsed and chained once, and what that found (with the parsed public key) is cached by the
/// certificate's SHA-256, so that a known card costs a hash and a lookup; the time check runs every call, against the
/// chain's narrowest validity window, so that caching never extends a certificate's life.
/// </summary>
public sealed class CertificateChecker(TrustedIssuers trusted, IMemoryCache cache)
{
    public CertificateCheck Check(byte[] der, DateTimeOffset now)
    {
        var thumbprint = Convert.ToHexString(SHA256.HashData(der));
        if (!cache.TryGetValue(thumbprint, out CertificateFacts? facts) || facts is null)
        {
            facts = Parse(thumbprint, der);
            if (facts is null)
            {
                return new CertificateCheck(null, CardRejectionReasons.Malformed);
            }

            using var entry = cache.CreateEntry(thumbprint);
            entry.Size = 1;
            entry.SlidingExpiration = TimeSpan.FromHours(1);
            entry.Value = facts;
        }

        if (!facts.ChainsToTrustedIssuer)
        {
            return new CertificateCheck(facts, CardRejectionReasons.UnknownIssuer);
        }

        if (!facts.IsCardCertificate)
        {
            return new CertificateCheck(facts, CardRejectionReasons.NotACardCertificate);
        }

        if (now < facts.ValidFrom || now > facts.ValidTo)
        {
            return new CertificateCheck(facts, CardRejectionReasons.Expired);
        }

        return new CertificateCheck(facts, null);
    }

    private CertificateFacts? Parse(string thumbprint, byte[] der)
    {
        X509Certificate2 certificate;
        try
        {
            certificate = X509CertificateLoader.LoadCertificate(der);
        }
        catch (CryptographicException)
        {
            return null;
        }

        using (certificate)
        {
            // A certificate that loads but whose fields do not decode (a malformed validity date or public key, found
            // by the fuzzer) is malformed, not a 500.
            RSA? key = null;
            try
            {
                // Only the exact DER of one certificate: PEM text or trailing bytes would give the same card another
                // thumbprint, and with it a second registration.
                if (!certificate.RawData.AsSpan().SequenceEqual(der) || (key = certificate.GetRSAPublicKey()) is null || key.KeySize < 2048)
                {
                    key?.Dispose();
                    return null;
                }

                return Chain(thumbprint, certificate, new CardPublicKey(key));
            }
            catch (CryptographicException)
            {
                key?.Dispose();
                return null;
            }
        }
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

    private CertificateFacts Chain(string thumbprint, X509Certificate2 certificate, CardPublicKey publicKey)
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
        return new CertificateFacts(thumbprint, issuer, serial, trustedChain, IsCardCertificate(certificate), validFrom, validTo, publicKey);
    }

    /// <summary>
    /// A card's authentication certificate is an end-entity certificate for signing: no basicConstraints CA:TRUE,
    /// and a keyUsage that includes digitalSignature. A CA certificate (even one the trusted issuer signed) or a
    /// certificate without that key usage is no card, whatever it chains to.
    /// </summary>
    public static bool IsCardCertificate(X509Certificate2 certificate)
    {
        var isCa = certificate.Extensions.OfType<X509BasicConstraintsExtension>().Any(b => b.CertificateAuthority);
        var usage = certificate.Extensions.OfType<X509KeyUsageExtension>().FirstOrDefault();
        return !isCa && usage is not null && usage.KeyUsages.HasFlag(X509KeyUsageFlags.DigitalSignature)
            && !usage.KeyUsages.HasFlag(X509KeyUsageFlags.KeyCertSign);
    }

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;
}
