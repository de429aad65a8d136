using MassTransit;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Pmh.Hosting;
using Pmh.Identity.Cards;
using Pmh.Identity.Consumers;
using Pmh.Identity.Storage;

namespace Pmh.Identity;

public static class IdentityServiceExtensions
{
    public const string ServiceName = "identity";
    public const string DatabaseName = "Identity";

    /// <summary>
    /// The identity service: the card registry (certificates registered to person keys, revocations), challenges,
    /// and the verification of a cardholder at reception. Its own database, its consumers on the hub's bus.
    /// </summary>
    public static PmhHubBuilder AddIdentityService(this PmhHubBuilder hub)
    {
        if (!hub.Selection.Contains(ServiceName))
        {
            return hub;
        }

        var options = hub.Configuration.GetSection("Pmh:Identity").Get<IdentityOptions>() ?? new IdentityOptions();
        hub.AddServiceDatabase(DatabaseName, typeof(IdentityServiceExtensions).Assembly);
        hub.Services.AddSingleton(options);
        hub.Services.AddSingleton(TrustedIssuers.FromFiles(options.TrustedIssuers));
        hub.Services.AddSingleton(sp => new CertificateChecker(
            sp.GetRequiredService<TrustedIssuers>(),
            new MemoryCache(new MemoryCacheOptions { SizeLimit = options.ChainCacheSize })));
        hub.Services.AddSingleton<IdentityStore>();
        hub.Services.AddSingleton<CardholderVerifier>();
        hub.Services.AddHostedService<ChallengePurger>();
        return hub.AddConsumers(bus =>
        {
            bus.AddConsumer<IssueChallengeConsumer>();
            bus.AddConsumer<VerifyCardholderConsumer>();
            bus.AddConsumer<RegisterCardConsumer>();
            bus.AddConsumer<RevokeCardConsumer>();
        });
    }
}
