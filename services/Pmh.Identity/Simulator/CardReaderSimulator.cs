using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Pmh.Identity.Simulator;

/// <summary>
/// A card issuer and card reader in software, for tests, the demo and the benchmarks: it makes issuer CAs, issues
/// card key pairs with authentication certificates (RSA 2048) and signs challenges as a card does after the
/// holder's PIN or face check (PKCS#1 v1.5, SHA-256).
/// </summary>
public static class CardReaderSimulator
{
    /// <summary>A self-signed issuer CA valid for <paramref name="years"/> from <paramref name="from"/>.</summary>
    public static X509Certificate2 CreateIssuerCa(string distinguishedName, DateTimeOffset from, int years = 10)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest(distinguishedName, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        return request.CreateSelfSigned(from, from.AddYears(years));
    }

    /// <summary>Issues a card: a new key pair and its authentication certificate signed by <paramref name="issuer"/>.</summary>
    public static SimulatedCard IssueCard(X509Certificate2 issuer, string holder, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest($"CN={holder}", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F; // a positive serial number
        using var certificate = request.Create(issuer, notBefore, notAfter, serial);
        return new SimulatedCard(certificate.CopyWithPrivateKey(key));
    }
}

/// <summary>A card in software: its certificate (with the private key, which a real card never reveals) and signing.</summary>
public sealed class SimulatedCard(X509Certificate2 certificate) : IDisposable
{
    private readonly Lazy<RSA> _key = new(() => certificate.GetRSAPrivateKey()!);

    public X509Certificate2 Certificate { get; } = certificate;

    /// <summary>The certificate as the reader sends it (DER).</summary>
    public byte[] CertificateDer => Certificate.RawData;

    /// <summary>Signs as the card's chip does: one signature at a time.</summary>
    public byte[] Sign(byte[] nonce)
    {
        lock (_key)
        {
            return _key.Value.SignData(nonce, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        }
    }

    public string CertificatePem() => Certificate.ExportCertificatePem();

    public string PrivateKeyPem()
    {
        using var key = Certificate.GetRSAPrivateKey()!;
        return key.ExportPkcs8PrivateKeyPem();
    }

    public static SimulatedCard FromPem(string certificatePem, string privateKeyPem) =>
        new(X509Certificate2.CreateFromPem(certificatePem, privateKeyPem));

    public void Dispose()
    {
        if (_key.IsValueCreated)
        {
            _key.Value.Dispose();
        }

        Certificate.Dispose();
    }
}
