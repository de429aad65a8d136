using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Authentication.Certificate;
using Microsoft.Extensions.DependencyInjection;
using Pmh.Hosting;

namespace Pmh.Gateway.Participants;

/// <summary>
/// Production authentication by client certificate (mutual TLS): the certificate must chain to one of the CAs in
/// <c>Pmh:Gateway:ClientCertificates:TrustedCas</c> and be registered to a participant by its SHA-256 thumbprint.
/// </summary>
public static class ClientCertificates
{
    public const string SchemeName = CertificateAuthenticationDefaults.AuthenticationScheme;

    public static X509Certificate2Collection LoadTrustedCas(IEnumerable<string> paths)
    {
        var cas = new X509Certificate2Collection();
        foreach (var path in paths.Where(p => !string.IsNullOrWhiteSpace(p)))
        {
            try
            {
                cas.ImportFromPemFile(path);
            }
            catch (Exception e) when (e is CryptographicException or IOException)
            {
                throw new PmhConfigurationException($"Pmh:Gateway:ClientCertificates:TrustedCas: cannot read {path} ({e.Message}).");
            }
        }

        return cas;
    }

    public static void Configure(CertificateAuthenticationOptions options, X509Certificate2Collection trustedCas)
    {
        options.AllowedCertificateTypes = CertificateTypes.Chained;
        options.ChainTrustValidationMode = X509ChainTrustMode.CustomRootTrust;
        options.CustomTrustStore = trustedCas;
        options.RevocationMode = X509RevocationMode.NoCheck;
        options.ValidateCertificateUse = false;
        options.Events = new CertificateAuthenticationEvents
        {
            // The handler's own challenge is 403; a refused credential is 401 everywhere else in the API.
            OnChallenge = context =>
            {
                context.HandleResponse();
                context.Response.StatusCode = Microsoft.AspNetCore.Http.StatusCodes.Status401Unauthorized;
                return Task.CompletedTask;
            },
            OnCertificateValidated = async context =>
            {
                var store = context.HttpContext.RequestServices.GetRequiredService<ParticipantStore>();
                var thumbprint = Convert.ToHexString(SHA256.HashData(context.ClientCertificate.RawData));
                var participant = await store.FindByCertificateAsync(thumbprint, context.HttpContext.RequestAborted).ConfigureAwait(false);
                if (participant is null)
                {
                    context.Fail("The client certificate is not registered to a participant.");
                    return;
                }

                context.Principal = participant.ToPrincipal(SchemeName);
                context.Success();
            },
        };
    }
}
