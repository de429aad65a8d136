using MassTransit;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Pmh.Contracts.Batches;
using Pmh.Hosting;
using Pmh.Hosting.Messaging;
using Pmh.Modules.Batches;
using Pmh.Modules.Pages;
using Pmh.Modules.Reception;

namespace Pmh.Modules;

/// <summary>The endpoints one module maps under <c>/api/v1</c> in the process that runs the gateway.</summary>
public sealed record ApiModule(string Name, Func<RouteGroupBuilder, RouteGroupBuilder> Map);

/// <summary>
/// How a kind of data plugs into the hub. A kind's registration (<c>AddVaccinationService()</c>) adds, where this
/// process runs the gateway, what the gateway composes — its endpoints, its batch kinds, its reception lookup — and,
/// where it runs the kind's own service, its storage and consumers. The gateway names no kind.
/// </summary>
public static class HubModuleExtensions
{
    /// <summary>The service name of the gateway in <c>--services</c>.</summary>
    public const string GatewayService = "gateway";

    /// <summary>Whether this process runs the gateway (and so must know every kind's endpoints and lookups).</summary>
    public static bool RunsGateway(this PmhHubBuilder hub) => hub.Selection.Contains(GatewayService);

    /// <summary>Maps <paramref name="map"/>'s endpoints under <c>/api/v1</c> when this process runs the gateway.</summary>
    public static PmhHubBuilder AddApi(this PmhHubBuilder hub, string name, Func<RouteGroupBuilder, RouteGroupBuilder> map)
    {
        if (hub.RunsGateway())
        {
            hub.Services.AddSingleton(new ApiModule(name, map));
        }

        return hub;
    }

    /// <summary>
    /// Adds a kind of data to the reception check: its lookup is asked, in parallel with the others, whenever the
    /// patient consented to its kind. This one registration is all a new kind needs.
    /// </summary>
    public static PmhHubBuilder AddReceptionLookup<TLookup>(this PmhHubBuilder hub) where TLookup : class, IReceptionLookup
    {
        if (hub.RunsGateway())
        {
            hub.Services.AddScoped<IReceptionLookup, TLookup>();
        }

        return hub;
    }

    /// <summary>Adds a kind's section of the desk page (its part of the aggregate and its record forms).</summary>
    public static PmhHubBuilder AddDeskSection<TSection>(this PmhHubBuilder hub) where TSection : class, IDeskSection
    {
        if (hub.RunsGateway())
        {
            hub.Services.AddScoped<IDeskSection, TSection>();
        }

        return hub;
    }

    /// <summary>
    /// Adds a kind's own Razor pages to the hub's pages, where this process runs the gateway: the kind's project is a
    /// Razor class library and <paramref name="assembly"/> becomes an application part, so the pages shell names no
    /// kind, and the kind's pages share the shell's layout, sign-in, language and security headers (and call the same
    /// handlers as the kind's API endpoints). <paramref name="links"/> are what the faces' start pages show to them.
    /// </summary>
    public static PmhHubBuilder AddModulePages(this PmhHubBuilder hub, System.Reflection.Assembly assembly, params PageLink[] links)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        ArgumentNullException.ThrowIfNull(links);
        if (hub.RunsGateway())
        {
            hub.Services.AddMvcCore().AddApplicationPart(assembly);
            foreach (var link in links)
            {
                hub.Services.AddSingleton(link);
            }
        }

        return hub;
    }

    /// <summary>
    /// Adds a kind of municipal batch to the gateway: the kind itself (for its upload endpoint, see
    /// <see cref="BatchEndpoints.MapBatchUpload{TKind, TRow, TItem}"/>) and the handler that marks a batch failed when
    /// a part of it ends in its service's error queue.
    /// </summary>
    public static PmhHubBuilder AddBatchKind<TKind, TRow, TItem, TPart>(this PmhHubBuilder hub)
        where TKind : class, IBatchKind<TRow, TItem>
        where TRow : class
        where TPart : class, IMunicipalBatchPart
    {
        if (!hub.RunsGateway())
        {
            return hub;
        }

        hub.Services.AddSingleton<TKind>();
        // The municipality page lists the registered kinds through this (it names none).
        hub.Services.AddSingleton<IRegisteredBatchKind>(sp => new RegisteredBatchKind<TRow, TItem>(sp.GetRequiredService<TKind>()));
        // The gateway sends the kind's parts: their queue is declared from here too (see RabbitMqCommandQueues).
        hub.Services.AddSingleton(sp => new CommandQueue(sp.GetRequiredService<TKind>().Destination.AbsolutePath));
        return hub.AddConsumers(bus => bus.AddConsumer<BatchPartFaultConsumer<TPart>>());
    }

    /// <summary>
    /// Adds, to a kind's own service, the staging of its batch parts: <typeparamref name="TStager"/> stages each part
    /// in the service's storage and the one generic consumer publishes <see cref="MunicipalBatchApplied"/>.
    /// Call it from within the service's registration (where the service runs).
    /// </summary>
    public static PmhHubBuilder AddStagedBatches<TPart, TStager>(this PmhHubBuilder hub)
        where TPart : class, IMunicipalBatchPart
        where TStager : class, IBatchPartStager<TPart>, IBatchQueue
    {
        hub.Services.AddSingleton<IBatchPartStager<TPart>, TStager>();
        return hub.AddConsumers(bus => bus.AddConsumer<StageBatchPartConsumer<TPart>, StageBatchPartConsumerDefinition<TPart, TStager>>());
    }
}
