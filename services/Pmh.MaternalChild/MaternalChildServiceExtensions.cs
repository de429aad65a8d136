using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Pmh.Hosting;
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
        if (!hub.Selection.Contains(ServiceName))
        {
            return hub;
        }

        hub.AddServiceDatabase(DatabaseName, typeof(MaternalChildServiceExtensions).Assembly);
        hub.Services.AddSingleton<MaternalChildStore>();
        return hub.AddConsumers(bus =>
        {
            bus.AddConsumer<RegisterPregnanciesConsumer, RegisterPregnanciesConsumerDefinition>();
            bus.AddConsumer<RegisterChildrenConsumer, RegisterChildrenConsumerDefinition>();
            bus.AddConsumer<RedeemVoucherConsumer>();
            bus.AddConsumer<RecordInfantCheckupConsumer>();
            bus.AddConsumer<CheckMaternalChildEntitlementsConsumer>();
            bus.AddConsumer<GetMaternalChildFeedConsumer>();
        });
    }
}
