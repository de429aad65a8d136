using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace Pmh.Hosting.Privacy;

/// <summary>
/// The hub secret (<c>Pmh:HubSecret</c>, base64 of at least 32 random bytes) that keys person keys. In Development
/// a well-known development secret stands in when none is set; anywhere else the hub refuses to start without a
/// real one, because person keys made under a public secret can be recomputed from any My Number.
/// </summary>
public sealed class HubSecret
{
    public const string ConfigurationKey = "Pmh:HubSecret";

    /// <summary>Public, therefore worthless outside Development: <c>pmh-development-secret-not-for-production!!</c>.</summary>
    public const string DevelopmentSecret = "cG1oLWRldmVsb3BtZW50LXNlY3JldC1ub3QtZm9yLXByb2R1Y3Rpb24hIQ==";

    private HubSecret(byte[] bytes, bool isDevelopmentSecret)
    {
        Bytes = bytes;
        IsDevelopmentSecret = isDevelopmentSecret;
    }

    internal byte[] Bytes { get; }

    public bool IsDevelopmentSecret { get; }

    public static HubSecret FromConfiguration(IConfiguration configuration, IHostEnvironment environment)
    {
        var configured = configuration[ConfigurationKey];
        if (string.IsNullOrWhiteSpace(configured))
        {
            if (environment.IsDevelopment())
            {
                return new HubSecret(Convert.FromBase64String(DevelopmentSecret), isDevelopmentSecret: true);
            }

            throw new PmhConfigurationException(
                $"{ConfigurationKey} is not set. Outside Development the hub needs its own secret: base64 of at least 32 random bytes " +
                "(for example `openssl rand -base64 32`), set as the environment variable Pmh__HubSecret.");
        }

        byte[] bytes;
        try
        {
            bytes = Convert.FromBase64String(configured.Trim());
        }
        catch (FormatException)
        {
            throw new PmhConfigurationException($"{ConfigurationKey} must be base64 of at least 32 random bytes.");
        }

        if (bytes.Length < 32)
        {
            throw new PmhConfigurationException($"{ConfigurationKey} must be at least 32 bytes; it is {bytes.Length}.");
        }

        var isDevelopmentSecret = configured.Trim() == DevelopmentSecret;
        if (isDevelopmentSecret && !environment.IsDevelopment())
        {
            throw new PmhConfigurationException($"{ConfigurationKey} is the public development secret; set a real one outside Development.");
        }

        return new HubSecret(bytes, isDevelopmentSecret);
    }
}
