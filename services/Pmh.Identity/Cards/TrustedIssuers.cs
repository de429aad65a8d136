using System.Security.Cryptography.X509Certificates;
using Pmh.Hosting;

namespace Pmh.Identity.Cards;

/// <summary>The issuer CA certificates card certificates must chain to, loaded once from PEM files.</summary>
public sealed class TrustedIssuers
{
    public TrustedIssuers(IEnumerable<X509Certificate2> certificates)
    {
        Certificates = new X509Certificate2Collection(certificates.ToArray());
    }

    public X509Certificate2Collection Certificates { get; }

    public static TrustedIssuers FromFiles(IEnumerable<string> paths)
    {
        var certificates = new List<X509Certificate2>();
        foreach (var path in paths.Where(p => !string.IsNullOrWhiteSpace(p)))
        {
            if (!File.Exists(path))
            {
                throw new PmhConfigurationException($"Pmh:Identity:TrustedIssuers: no file at {path}.");
            }

            var collection = new X509Certificate2Collection();
            try
            {
                collection.ImportFromPemFile(path);
            }
            catch (System.Security.Cryptography.CryptographicException e)
            {
                throw new PmhConfigurationException($"Pmh:Identity:TrustedIssuers: {path} holds a damaged certificate ({e.Message}).");
            }

            if (collection.Count == 0)
            {
                throw new PmhConfigurationException($"Pmh:Identity:TrustedIssuers: {path} holds no PEM certificate.");
            }

            certificates.AddRange(collection);
        }

        return new TrustedIssuers(certificates);
    }
}
