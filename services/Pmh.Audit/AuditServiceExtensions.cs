using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Pmh.Audit.Consumers;
using Pmh.Audit.Storage;
using Pmh.Hosting;

namespace Pmh.Audit;

public static class AuditServiceExtensions
{
    public const string ServiceName = "audit";
    public const string DatabaseName = "Audit";

    /// <summary>The audit service: every access and refusal, append-only, hash-chained, readable by the person concerned.</summary>
    public static PmhHubBuilder AddAuditService(this PmhHubBuilder hub)
    {
        if (!hub.Selection.Contains(ServiceName))
        {
            return hub;
        }

        hub.AddServiceDatabase(DatabaseName, typeof(AuditServiceExtensions).Assembly);
        hub.Services.AddSingleton<AuditStore>();
        return hub.AddConsumers(bus =>
        {
            bus.AddConsumer<AccessRecordedConsumer>();
            bus.AddConsumer<GetAccessLogConsumer>();
            bus.AddConsumer<VerifyAuditChainConsumer>();
        });
    }
}
