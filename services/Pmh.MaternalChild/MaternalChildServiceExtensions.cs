using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Pmh.Contracts.MaternalChild;
using Pmh.Hosting;
using Pmh.MaternalChild.Apis;
using Pmh.MaternalChild.Publishing;
using Pmh.MaternalChild.Reception;
using Pmh.Modules;
using Pmh.MaternalChild.Consumers;
using Pmh.MaternalChild.Storage;

namespace Pmh.MaternalChild;

public static class MaternalChildServiceExtensions
{
    public const string ServiceName = "maternal-child";
    public const string DatabaseName = "MaternalChild";

    /// <summary>
    /// The maternal-child health service: pregnancies and their 14 checkup vouchers, children and their infant
    /// checkups, voucher use exactly once, checkup results and each municipality's feed of them.
    /// </summary>
    public static PmhHubBuilder AddMaternalChildService(this PmhHubBuilder hub)
    {
        // What the gateway composes, where this process runs it: the uploads, vouchers, checkups and feed; the reception part.
        hub.AddBatchKind<Pregnancies, PregnancyRow, PregnancyRecord, RegisterPregnancies>()
            .AddBatchKind<Children, ChildRow, ChildRecord, RegisterChildren>()
            .AddReceptionLookup<MaternalChildReceptionLookup>()
            .AddDeskSection<Pages.MaternalChildDeskSection>()
            .AddApi(ServiceName, api => api.MapMaternalChildApi());
        if (!hub.Selection.Contains(ServiceName))
        {
            return hub;
        }

        hub.AddStagedBatches<RegisterPregnancies, PregnancyBatchParts>()
            .AddStagedBatches<RegisterChildren, ChildBatchParts>();
        hub.AddServiceDatabase(DatabaseName, typeof(MaternalChildServiceExtensions).Assembly);
        hub.Services.AddSingleton<MaternalChildStore>();
        return hub.AddConsumers(bus =>
        {
            bus.AddConsumer<RedeemVoucherConsumer>();
            bus.AddConsumer<RecordInfantCheckupConsumer>();
            bus.AddConsumer<CheckMaternalChildEntitlementsConsumer>();
            bus.AddConsumer<GetMaternalChildFeedConsumer>();
            bus.AddConsumer<FindPregnancyRecordsConsumer>();
        });
    }
}
