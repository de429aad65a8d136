using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Routing;
using Pmh.Modules.Pages;
using Pmh.Modules;
using Pmh.Modules.Http;
using Pmh.Modules.Participants;
using Pmh.Pages.Shell;

namespace Pmh.Pages.Pages.Municipality;

/// <summary>
/// <c>/municipality/feeds/{name}?after=N</c>: a page of one of the kinds' municipal feeds from a cursor, read as the
/// API reads it (<see cref="MunicipalFeedSource"/>: the municipality's own feed only). The events are shown as a table
/// of their fields (nested ones as <c>result.weightKg</c>); the page names no kind.
/// </summary>
[Authorize(Policy = GatewayPolicies.Municipality)]
public sealed class FeedModel(EndpointDataSource endpoints) : PageModel
{
    public const int PageSize = 100;

    public MunicipalFeedSource? Feed { get; private set; }

    public long After { get; private set; }

    public long Next { get; private set; }

    public IReadOnlyList<string> Columns { get; private set; } = [];

    public IReadOnlyList<IReadOnlyDictionary<string, string>> Rows { get; private set; } = [];

    public IReadOnlyList<string> Refusal { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(string name, long? after, CancellationToken cancellationToken)
    {
        Feed = MunicipalPages.Feeds(endpoints).FirstOrDefault(f => f.Name == name);
        if (Feed is null)
        {
            Response.StatusCode = StatusCodes.Status404NotFound;
            return Page();
        }

        After = after ?? 0;
        var (page, problem) = await Feed.ReadPageAsync(Participant.From(User)!.Code, after, PageSize, HttpContext, cancellationToken).ConfigureAwait(false);
        if (problem is not null)
        {
            Refusal = HandlerResults.Lines(problem);
            Response.StatusCode = problem.StatusCode;
            return Page();
        }

        Next = page!.Next;
        var rows = page.Events.Select(Flatten).ToList();
        Columns = [.. rows.SelectMany(r => r.Keys).Distinct(StringComparer.Ordinal)];
        Rows = rows;
        return Page();
    }

    /// <summary>An event's fields as text, nested objects' fields under <c>parent.child</c>.</summary>
    public static IReadOnlyDictionary<string, string> Flatten(object feedEvent)
    {
        var cells = new Dictionary<string, string>(StringComparer.Ordinal);
        void Add(string prefix, JsonNode? node)
        {
            switch (node)
            {
                case JsonObject o:
                    foreach (var (key, value) in o)
                    {
                        Add(prefix.Length == 0 ? key : $"{prefix}.{key}", value);
                    }

                    break;
                case null:
                    cells[prefix] = "";
                    break;
                case JsonValue v when v.TryGetValue<DateTimeOffset>(out var at) && v.GetValueKind() == JsonValueKind.String && v.ToString().Contains('T', StringComparison.Ordinal):
                    cells[prefix] = HandlerResults.JapanTime(at);
                    break;
                case JsonValue v:
                    cells[prefix] = v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : v.ToJsonString();
                    break;
                default:
                    cells[prefix] = node.ToJsonString();
                    break;
            }
        }

        Add("", JsonSerializer.SerializeToNode(feedEvent, feedEvent.GetType(), JsonSerializerOptions.Web));
        return cells;
    }

    public static string Cursor(long value) => value.ToString(CultureInfo.InvariantCulture);
}
