using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Routing;
using Pmh.Gateway.Storage;
using Pmh.Modules;
using Pmh.Modules.Batches;
using Pmh.Modules.Http;
using Pmh.Modules.Participants;

namespace Pmh.Pages.Pages.Municipality;

/// <summary>
/// <c>/municipality</c>: the upload form for every kind of batch the hub registered (each kind's <see cref="IBatchKind{TRow, TItem}"/>;
/// the page names none), the municipality's batches newest first, and its feeds.
/// </summary>
[Authorize(Policy = GatewayPolicies.Municipality)]
public sealed class IndexModel(IEnumerable<IRegisteredBatchKind> kinds, BatchStore batches, EndpointDataSource endpoints) : PageModel
{
    public const int HistoryLimit = 50;

    public IReadOnlyList<IRegisteredBatchKind> Kinds { get; } = [.. kinds];

    public IReadOnlyList<BatchSummary> History { get; private set; } = [];

    public IReadOnlyList<MunicipalFeedSource> Feeds { get; private set; } = [];

    public string Code { get; private set; } = "";

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Code = Participant.From(User)!.Code;
        History = await batches.ListAsync(Code, HistoryLimit, cancellationToken).ConfigureAwait(false);
        Feeds = MunicipalPages.Feeds(endpoints);
    }

    public IRegisteredBatchKind? KindOf(string kind) => Kinds.FirstOrDefault(k => k.Kind == kind);
}

/// <summary>What the municipality pages share.</summary>
public static class MunicipalPages
{
    /// <summary>Every municipal feed a kind put on its feed endpoint, in the order they were mapped.</summary>
    public static IReadOnlyList<MunicipalFeedSource> Feeds(EndpointDataSource endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        return [.. endpoints.Endpoints.Select(e => e.Metadata.GetMetadata<MunicipalFeedSource>()).OfType<MunicipalFeedSource>().Distinct()];
    }

    /// <summary>The page of one batch.</summary>
    public static string BatchPath(string batchId) => "/municipality/batches/" + Uri.EscapeDataString(batchId);
}
