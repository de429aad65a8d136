using MassTransit;
using Pmh.Hosting;
using Pmh.Subsidy.Consumers;
using Pmh.Subsidy.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Pmh.Subsidy;

public static class SubsidyServiceExtensions
{
    public const string ServiceName = "subsidy";
    public const string DatabaseName = "Subsidy";

    /// <summary>
    /// The subsidy service: certificates (受給者証) published by municipalities, their revisions, and eligibility on
    /// a service date. Its own database (<c>ConnectionStrings:Subsidy</c>), its consumers on the hub's bus.
    /// </summary>
    public static PmhHubBuilder AddSubsidyService(this PmhHubBuilder hub)
    {
        if (!hub.Selection.Contains(ServiceName))
        {
            return hub;
        }

        hub.AddServiceDatabase(DatabaseName, typeof(SubsidyServiceExtensions).Assembly);
        hub.Services.AddSingleton<SubsidyCertificateStore>();
        hub.Services.AddSingleton<CopaymentLedger>();
        return hub.AddConsumers(bus =>
        {
            bus.AddConsumer<PublishSubsidyCertificatesConsumer, PublishSubsidyCertificatesConsumerDefinition>();
            bus.AddConsumer<CheckSubsidyEligibilityConsumer, CheckSubsidyEligibilityConsumerDefinition>();
            bus.AddConsumer<RecordCopaymentConsumer, RecordCopaymentConsumerDefinition>();
            bus.AddConsumer<CorrectCopaymentConsumer>();
        });
    }
}
