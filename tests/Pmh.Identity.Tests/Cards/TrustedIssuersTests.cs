using Pmh.Hosting;
using Pmh.Identity.Cards;

namespace Pmh.Identity.Tests.Cards;

public sealed class TrustedIssuersTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "pmh-tests", Guid.NewGuid().ToString("N"));

    public TrustedIssuersTests() => Directory.CreateDirectory(_folder);

    [Fact]
    public void The_certificates_of_every_pem_file_are_trusted()
    {
        var ca = Path.Combine(_folder, "ca.pem");
        File.WriteAllText(ca, IdentityCards.Trusted.IssuerCa.ExportCertificatePem());

        var trusted = TrustedIssuers.FromFiles([ca, " "]);

        var certificate = Assert.Single(trusted.Certificates);
        Assert.Equal(IdentityCards.Trusted.IssuerCa.RawData, certificate.RawData);
        Assert.False(certificate.HasPrivateKey);
    }

    [Fact]
    public void A_missing_file_is_a_configuration_error_naming_the_path()
    {
        var missing = Path.Combine(_folder, "nowhere.pem");

        var error = Assert.Throws<PmhConfigurationException>(() => TrustedIssuers.FromFiles([missing]));

        Assert.Contains(missing, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("this is not a certificate\n")]
    [InlineData("")]
    [InlineData("-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE\n-----END PUBLIC KEY-----\n")]
    public void A_file_without_a_pem_certificate_is_a_configuration_error_naming_the_path(string content)
    {
        var path = Path.Combine(_folder, "empty.pem");
        File.WriteAllText(path, content);

        var error = Assert.Throws<PmhConfigurationException>(() => TrustedIssuers.FromFiles([path]));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_with_a_corrupt_pem_certificate_is_a_configuration_error_naming_the_path()
    {
        var path = Path.Combine(_folder, "corrupt.pem");
        File.WriteAllText(path, "-----BEGIN CERTIFICATE-----\nMIIBAAAAAAAA\n-----END CERTIFICATE-----\n");

        var error = Assert.Throws<PmhConfigurationException>(() => TrustedIssuers.FromFiles([path]));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
