using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Pmh.Contracts.Identifiers;
using Pmh.Gateway.Publishing;
using Pmh.Gateway.Storage;
using Pmh.Modules;
using Pmh.Modules.Batches;
using Pmh.Modules.Http;
using Pmh.Modules.Participants;

namespace Pmh.Gateway.Apis;

/// <summary>Municipalities reading back what became of a batch of any kind.</summary>
public static class PublishingApi
{
    public static RouteGroupBuilder MapPublishingApi(this RouteGroupBuilder api)
    {
        api.MapGet("/batches/{batchId}", GetBatchAsync)
            .RequireAuthorization(GatewayPolicies.Municipality)
            .WithName("GetBatch")
            .Produces<BatchResponse>(StatusCodes.Status200OK, "application/json")
            .Produces<string>(StatusCodes.Status200OK, "text/csv")
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapGet("/batches/{batchId}/rejections", GetRejectionsAsync)
            .RequireAuthorization(GatewayPolicies.Municipality)
            .WithName("GetBatchRejections")
            .Produces<string>(StatusCodes.Status200OK, "text/csv")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return api;
    }

    /// <summary>
    /// <c>GET /batches/{batchId}</c>: the caller's own municipality's batch as JSON (the municipality page reads it so
    /// too); with <c>Accept: text/csv</c> its rejected rows as CSV (as <c>/rejections</c>).
    /// </summary>
    public static async Task<Results<Ok<BatchResponse>, FileContentHttpResult, ProblemHttpResult>> GetBatchAsync(
        string batchId, HttpContext http, BatchStore batches, CancellationToken cancellationToken)
    {
        var participant = Participant.From(http.User)!;
        var batch = await batches.GetAsync(participant.Code, batchId, cancellationToken).ConfigureAwait(false);
        if (batch is null)
        {
            return ApiProblems.Status(StatusCodes.Status404NotFound, "No such batch", $"Municipality {participant.Code} has no batch '{batchId}'.");
        }

        if (WantsCsv(http.Request))
        {
            return RejectionsFile(batch);
        }

        return TypedResults.Ok(BatchResponse.From(batch));
    }

    /// <summary>Whether the Accept header prefers <c>text/csv</c> to JSON.</summary>
    private static bool WantsCsv(HttpRequest request)
    {
        var accept = Microsoft.Net.Http.Headers.MediaTypeHeaderValue.ParseList(request.Headers.Accept.Select(a => a ?? "").ToList());
        var csv = accept.Where(a => a.MediaType.Equals("text/csv", StringComparison.OrdinalIgnoreCase)).Select(a => a.Quality ?? 1).DefaultIfEmpty(0).Max();
        var json = accept.Where(a => a.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase) || a.MediaType.Equals("*/*", StringComparison.Ordinal))
            .Select(a => a.Quality ?? 1).DefaultIfEmpty(0).Max();
        return csv > 0 && csv >= json;
    }

    private static FileContentHttpResult RejectionsFile(BatchRecord batch)
    {
        var csv = System.Text.Encoding.UTF8.GetPreamble().Concat(System.Text.Encoding.UTF8.GetBytes(RejectionsCsv.Write(batch.Rejections))).ToArray();
        return TypedResults.File(csv, "text/csv; charset=utf-8", $"{SafeFileName(batch.BatchId)}-rejections.csv");
    }

    /// <summary>
    /// The batch's rejected rows as CSV (row, field, reason) to open in a spreadsheet: UTF-8 with a byte order mark (so
    /// that spreadsheets read it as UTF-8), formula-like cells neutralised, no My Number.
    /// </summary>
    public static async Task<Results<FileContentHttpResult, ProblemHttpResult>> GetRejectionsAsync(
        string batchId, HttpContext http, BatchStore batches, CancellationToken cancellationToken)
    {
        var participant = Participant.From(http.User)!;
        var batch = await batches.GetAsync(participant.Code, batchId, cancellationToken).ConfigureAwait(false);
        if (batch is null)
        {
            return ApiProblems.Status(StatusCodes.Status404NotFound, "No such batch", $"Municipality {participant.Code} has no batch '{batchId}'.");
        }

        return RejectionsFile(batch);
    }

    private static string SafeFileName(string batchId) =>
        new(batchId.Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' ? c : '_').ToArray());
}

/// <summary>
/// Municipal uploads of any kind: the municipality's own code only, a body within the size limit, JSON or CSV, then
/// the batch semantics of <see cref="BatchPublisher"/>.
/// </summary>
public sealed class BatchUploads(BatchPublisher publisher, GatewayOptions options) : IBatchUploads
{
    public async Task<Results<Accepted<BatchResponse>, ProblemHttpResult>> UploadAsync<TRow, TItem>(
        IBatchKind<TRow, TItem> kind, string code, string? batchId, HttpContext http, CancellationToken cancellationToken)
        where TRow : class
    {
        if (!MunicipalityCode.TryParse(code, out var municipality, out var codeError))
        {
            return ApiProblems.Field(StatusCodes.Status400BadRequest, "code", codeError!, "Invalid municipality code");
        }

        var participant = Participant.From(http.User)!;
        if (participant.Code != municipality.Value)
        {
            return ApiProblems.Status(
                StatusCodes.Status403Forbidden,
                "Not your municipality",
                $"Participant {participant.Id} publishes only under its own municipality code {participant.Code}.");
        }

        // Streamed: the body is read, validated and spooled part by part as it arrives (no whole-body buffer); the row
        // limit bounds it, and a byte limit too when one is configured.
        var sizeFeature = http.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (sizeFeature is { IsReadOnly: false })
        {
            sizeFeature.MaxRequestBodySize = options.MaxBodyBytes;
        }

        if (options.MaxBodyBytes is { } limit && http.Request.ContentLength > limit)
        {
            return TooLarge(limit);
        }

        PublishOutcome outcome;
        try
        {
            var mediaType = http.Request.ContentType?.Split(';')[0].Trim().ToLowerInvariant();
            StreamedBatch<TRow> submitted;
            if (JsonBody.IsJson(mediaType))
            {
                submitted = StreamedJsonBatch.Read<TRow>(
                    new Utf8CheckedStream(http.Request.Body, options.MaxBodyBytes, refuseNul: false), kind.RowsField, cancellationToken);
            }
            else if (mediaType == "text/csv" && kind.AcceptsCsv)
            {
                BatchText.CheckCharset(Charset(http.Request.ContentType));
                submitted = kind.CsvLayout is { } layout
                    ? StreamedCsvBatch.Read(http.Request.Body, options.MaxBodyBytes, layout, cancellationToken)
                    : StreamedBatch<TRow>.From(kind.ReadCsv(await RequestBody.ReadAsync(http, options.MaxBodyBytes ?? 128L * 1024 * 1024, cancellationToken).ConfigureAwait(false), batchId));
            }
            else
            {
                return ApiProblems.Field(
                    StatusCodes.Status415UnsupportedMediaType,
                    "Content-Type",
                    kind.AcceptsCsv ? "must be application/json or text/csv" : "must be application/json",
                    "Unsupported media type");
            }

            outcome = await publisher.PublishAsync(kind, participant, municipality, submitted, batchId, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestBody.TooLargeException e)
        {
            return TooLarge(e.Limit);
        }
        catch (UnsupportedBatchEncodingException e)
        {
            return ApiProblems.Field(StatusCodes.Status415UnsupportedMediaType, e.Field, e.Reason, "Unsupported encoding");
        }
        catch (MalformedBatchException e)
        {
            return ApiProblems.Field(StatusCodes.Status400BadRequest, e.Field, e.Reason, "Malformed batch");
        }

        return outcome switch
        {
            PublishOutcome.Accepted accepted => TypedResults.Accepted(
                $"/api/v1/batches/{Uri.EscapeDataString(accepted.Batch.BatchId)}", BatchResponse.From(accepted.Batch)),
            PublishOutcome.Invalid invalid => ApiProblems.Fields(
                StatusCodes.Status422UnprocessableEntity, invalid.Errors, "The batch has no row that can be stored"),
            PublishOutcome.Conflict conflict => ApiProblems.Field(
                StatusCodes.Status409Conflict, "batchId", $"'{conflict.BatchId}' was already used for a batch with different content", "Batch id already used"),
            _ => throw new InvalidOperationException($"Unexpected outcome {outcome}"),
        };
    }

    private static ProblemHttpResult TooLarge(long limit) => ApiProblems.Status(
        StatusCodes.Status413PayloadTooLarge,
        "Body too large",
        $"The body must be at most {limit} bytes (Pmh:Gateway:MaxBodyBytes); split the batch.");

    /// <summary>The <c>charset</c> parameter of a Content-Type, if any (an unparsable header is read as having none).</summary>
    private static string? Charset(string? contentType) =>
        Microsoft.Net.Http.Headers.MediaTypeHeaderValue.TryParse(contentType, out var media) ? media.Charset.Value : null;
}
