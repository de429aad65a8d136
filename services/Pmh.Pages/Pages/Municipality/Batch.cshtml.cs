using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Pmh.Modules.Pages;
using Pmh.Gateway.Apis;
using Pmh.Gateway.Storage;
using Pmh.Modules;
using Pmh.Modules.Batches;
using Pmh.Pages.Shell;

namespace Pmh.Pages.Pages.Municipality;

/// <summary>
/// <c>/municipality/batches/{batchId}</c>: one batch of the signed-in municipality — status, counts, the refused rows
/// — read by the API's own handler (<see cref="PublishingApi.GetBatchAsync"/>: another municipality's batch is not
/// found). <c>?handler=Status</c> answers the API's JSON (the upload script polls it); <c>?handler=Rejections</c> the
/// API's rejections CSV.
/// </summary>
[Authorize(Policy = GatewayPolicies.Municipality)]
public sealed class BatchModel(BatchStore batches, IEnumerable<IRegisteredBatchKind> kinds, PageText text) : PageModel
{
    public BatchResponse? Batch { get; private set; }

    public string BatchId { get; private set; } = "";

    public string KindTitle(string kind) => kinds.FirstOrDefault(k => k.Kind == kind) is { } k ? text[k.Title] : kind;

    public async Task<IActionResult> OnGetAsync(string batchId, CancellationToken cancellationToken)
    {
        BatchId = batchId;
        switch (HandlerResults.Unwrap((await PublishingApi.GetBatchAsync(batchId, HttpContext, batches, cancellationToken).ConfigureAwait(false)).Result))
        {
            case Ok<BatchResponse> { Value: { } batch }:
                Batch = batch;
                break;
            default:
                Response.StatusCode = StatusCodes.Status404NotFound;
                break;
        }

        return Page();
    }

    public async Task<IActionResult> OnGetStatusAsync(string batchId, CancellationToken cancellationToken)
    {
        Response.Headers.CacheControl = "no-store";
        return new HttpResultAction((await PublishingApi.GetBatchAsync(batchId, HttpContext, batches, cancellationToken).ConfigureAwait(false)).Result);
    }

    public async Task<IActionResult> OnGetRejectionsAsync(string batchId, CancellationToken cancellationToken) =>
        new HttpResultAction((await PublishingApi.GetRejectionsAsync(batchId, HttpContext, batches, cancellationToken).ConfigureAwait(false)).Result);
}
