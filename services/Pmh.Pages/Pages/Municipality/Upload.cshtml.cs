using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Timeouts;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Pmh.Modules;
using Pmh.Modules.Batches;
using Pmh.Modules.Pages;
using Pmh.Modules.Participants;
using Pmh.Pages.Shell;

namespace Pmh.Pages.Pages.Municipality;

/// <summary>
/// <c>POST /municipality/upload</c>: a municipal file handed to the very same <see cref="IBatchUploads"/> as the API's
/// upload endpoint (the municipality's own code, the size limit, JSON or CSV, every row validated, idempotent by batch
/// id). Two ways in, both with the anti-forgery token: the page's script sends the file's bytes as the body (kind and
/// batch id in the query, the token in the <c>RequestVerificationToken</c> header) and gets the API's answer as it is,
/// 202 with the batch or the problem; without script the form posts the file as multipart, and a 202 leads to the
/// batch's page. Like the API's upload it has no request deadline (a large file takes longer to send).
/// </summary>
[Authorize(Policy = GatewayPolicies.Municipality)]
[DisableRequestTimeout]
[DisableRequestSizeLimit]
[RequestFormLimits(MultipartBodyLengthLimit = 128L * 1024 * 1024)]
public sealed class UploadModel(IEnumerable<IRegisteredBatchKind> kinds, IBatchUploads uploads) : PageModel
{
    public LocalText? Refusal { get; private set; }

    public IReadOnlyList<string> Reasons { get; private set; } = [];

    public IActionResult OnGet() => LocalRedirect("/municipality");

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var participant = Participant.From(User)!;
        if (!Request.HasFormContentType)
        {
            // The script: the body is the file itself.
            var scripted = kinds.FirstOrDefault(k => k.Kind == Request.Query["kind"].ToString());
            if (scripted is null)
            {
                return new HttpResultAction(Modules.Http.ApiProblems.Field(
                    StatusCodes.Status400BadRequest, "kind", $"must be one of {string.Join(", ", kinds.Select(k => k.Kind))}", "Unknown kind"));
            }

            var batchId = Request.Query["batchId"].ToString();
            return new HttpResultAction(HandlerResults.Unwrap(await scripted.UploadAsync(
                uploads, participant.Code, batchId.Length == 0 ? null : batchId, HttpContext, cancellationToken).ConfigureAwait(false)));
        }

        var form = await Request.ReadFormAsync(cancellationToken).ConfigureAwait(false);
        var kind = kinds.FirstOrDefault(k => k.Kind == form["kind"].ToString());
        var file = form.Files.GetFile("file");
        if (kind is null || file is null || file.Length == 0)
        {
            Refusal = kind is null ? MunicipalityTexts.UnknownKind : MunicipalityTexts.NoFile;
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            return Page();
        }

        // The upload handler reads the request's body and Content-Type: here they are the file's.
        await using var content = file.OpenReadStream();
        Request.Body = content;
        Request.ContentLength = file.Length;
        Request.ContentType = MediaTypeOf(file.FileName, file.ContentType);
        var id = form["batchId"].ToString().Trim();
        var result = HandlerResults.Unwrap(await kind.UploadAsync(uploads, participant.Code, id.Length == 0 ? null : id, HttpContext, cancellationToken).ConfigureAwait(false));
        switch (result)
        {
            case Accepted<BatchResponse> { Value: { } batch }:
                return LocalRedirect(MunicipalPages.BatchPath(batch.BatchId));
            case ProblemHttpResult problem:
                Refusal = MunicipalityTexts.RefusalOf(problem.StatusCode);
                Reasons = HandlerResults.Lines(problem);
                Response.StatusCode = problem.StatusCode;
                return Page();
            default:
                throw new InvalidOperationException($"Unexpected upload result {result.GetType().Name}");
        }
    }

    /// <summary>The media type a file is sent as: by its extension (browsers differ on .csv), else what the browser said.</summary>
    public static string MediaTypeOf(string fileName, string? browserType)
    {
        ArgumentNullException.ThrowIfNull(fileName);
        return Path.GetExtension(fileName).ToUpperInvariant() switch
        {
            ".CSV" => "text/csv",
            ".JSON" => "application/json",
            _ => string.IsNullOrEmpty(browserType) ? "application/octet-stream" : browserType,
        };
    }
}
