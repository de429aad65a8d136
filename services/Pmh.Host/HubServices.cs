using Pmh.Audit;
using Pmh.Gateway;
using Pmh.Hosting;
using Pmh.Identity;
using Pmh.MaternalChild;
using Pmh.Subsidy;
using Pmh.Vaccination;

namespace Pmh.Host;

/// <summary>
/// Every service of the hub, once: its name in <c>--services</c>, its database (<c>ConnectionStrings:{Database}</c>)
/// and its registration. The host, the test factory and the benchmarks all read this list; a new kind of data is one
/// new project and one line here.
/// </summary>
public static class HubServices
{
    public sealed record Service(string Name, string Database, Func<PmhHubBuilder, PmhHubBuilder> Add);

    public static readonly IReadOnlyList<Service> All =
    [
        new(GatewayServiceExtensions.ServiceName, GatewayServiceExtensions.DatabaseName, hub => hub.AddGatewayService()),
        new(IdentityServiceExtensions.ServiceName, IdentityServiceExtensions.DatabaseName, hub => hub.AddIdentityService()),
        new(SubsidyServiceExtensions.ServiceName, SubsidyServiceExtensions.DatabaseName, hub => hub.AddSubsidyService()),
        new(VaccinationServiceExtensions.ServiceName, VaccinationServiceExtensions.DatabaseName, hub => hub.AddVaccinationService()),
        new(MaternalChildServiceExtensions.ServiceName, MaternalChildServiceExtensions.DatabaseName, hub => hub.AddMaternalChildService()),
        new(AuditServiceExtensions.ServiceName, AuditServiceExtensions.DatabaseName, hub => hub.AddAuditService()),
    ];

    public static readonly IReadOnlyList<string> Names = All.Select(s => s.Name).ToList();

    public static readonly IReadOnlyList<string> Databases = All.Select(s => s.Database).ToList();

    /// <summary>Adds every service of the list (each registers only what this process's selection runs).</summary>
    public static PmhHubBuilder AddHubServices(this PmhHubBuilder hub)
    {
        foreach (var service in All)
        {
            service.Add(hub);
        }

        return hub;
    }
}
