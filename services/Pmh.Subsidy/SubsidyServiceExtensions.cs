using MassTransit;
using Pmh.Contracts.Subsidy;
using Pmh.Hosting;
using Pmh.Modules;
using Pmh.Subsidy.Apis;
using Pmh.Subsidy.Publishing;
using Pmh.Subsidy.Reception;
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
        // What the gateway composes, where this process runs it: the uploads and co-payments, the reception part.
        hub.AddBatchKind<SubsidyCertificates, SubsidyCertificateRow, SubsidyCertificate, PublishSubsidyCertificates>()
            .AddReceptionLookup<SubsidyReceptionLookup>()
            .AddDeskSection<Pages.SubsidyDeskSection>()
            .AddApi(ServiceName, api => api.MapSubsidyApi());
        if (!hub.Selection.Contains(ServiceName))
        {
            return hub;
        }

        hub.AddStagedBatches<PublishSubsidyCertificates, SubsidyBatchParts>();
        hub.AddServiceDatabase(DatabaseName, typeof(SubsidyServiceExtensions).Assembly);
        hub.Services.AddSingleton<SubsidyCertificateStore>();
        hub.Services.AddSingleton<CopaymentLedger>();
        return hub.AddConsumers(bus =>
        {
            bus.AddConsumer<CheckSubsidyEligibilityConsumer>();
            bus.AddConsumer<RecordCopaymentConsumer>();
            bus.AddConsumer<CorrectCopaymentConsumer>();
        });
    }
}
