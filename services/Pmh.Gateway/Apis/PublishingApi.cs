using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Pmh.Contracts.Identifiers;
using Pmh.Gateway.Participants;
using Pmh.Gateway.Publishing;
using Pmh.Gateway.Storage;

namespace Pmh.Gateway.Apis;

/// <summary>Municipalities publishing recipient data, and reading back what became of a batch.</summary>
public static class PublishingApi
{
    public static RouteGroupBuilder MapPublishingApi(this RouteGroupBuilder api)
    {
        api.MapPost("/municipalities/{code}/subsidy-certificates", PublishSubsidyCertificatesAsync)
            .RequireAuthorization(GatewayPolicies.Municipality)
            .WithName("PublishSubsidyCertificates");
        api.MapGet("/batches/{batchId}", GetBatchAsync)
            .RequireAuthorization(GatewayPolicies.Municipality)
            .WithName("GetBatch");
        return api;
    }

    private static Task<IResult> PublishSubsidyCertificatesAsync(
        string code,
        [FromQuery] string? batchId,
        HttpContext http,
        BatchPublisher publisher,
        SubsidyCertificates kind,
        GatewayOptions options,
        CancellationToken cancellationToken) =>
        PublishAsync(code, batchId, http, publisher, kind, SubsidyBatchReader.ReadCsv, options, cancellationToken);

    /// <summary>
    /// Publishing of any kind of municipal batch: the municipality's own code only, a body within the size limit,
    /// JSON or CSV, then the batch semantics of <see cref="BatchPublisher"/>.
    /// </summary>
    public static async Task<IResult> PublishAsync<TRow, TItem>(
        string code,
        string? batchId,
        HttpContext http,
        BatchPublisher publisher,
        IBatchKind<TRow, TItem> kind,
        Func<ReadOnlyMemory<byte>, string?, SubmittedBatch<TRow>>? readCsv,
        GatewayOptions options,
        CancellationToken cancellationToken)
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

        ReadOnlyMemory<byte> body;
        try
        {
            body = await RequestBody.ReadAsync(http, options.MaxBodyBytes, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestBody.TooLargeException e)
        {
            return ApiProblems.Status(
                StatusCodes.Status413PayloadTooLarge,
                "Body too large",
                $"The body must be at most {e.Limit} bytes (Pmh:Gateway:MaxBodyBytes); split the batch.");
        }

        SubmittedBatch<TRow> submitted;
        try
        {
            var mediaType = http.Request.ContentType?.Split(';')[0].Trim().ToLowerInvariant();
            if (mediaType is "application/json" or null or "")
            {
                submitted = BatchReader.ReadJson<TRow>(body, kind.RowsField);
            }
            else if (mediaType == "text/csv" && readCsv is not null)
            {
                submitted = readCsv(body, batchId);
            }
            else
            {
                return ApiProblems.Field(
                    StatusCodes.Status415UnsupportedMediaType,
                    "Content-Type",
                    readCsv is null ? "must be application/json" : "must be application/json or text/csv",
                    "Unsupported media type");
            }

            if (submitted.BatchId is null && batchId is not null)
            {
                submitted = submitted with { BatchId = batchId };
            }
        }
        catch (MalformedBatchException e)
        {
            return ApiProblems.Field(StatusCodes.Status400BadRequest, e.Field, e.Reason, "Malformed batch");
        }

        var outcome = await publisher.PublishAsync(kind, participant, municipality, submitted, cancellationToken).ConfigureAwait(false);
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

    private static async Task<IResult> GetBatchAsync(string batchId, HttpContext http, BatchStore batches, CancellationToken cancellationToken)
    {
        var participant = Participant.From(http.User)!;
        var batch = await batches.GetAsync(participant.Code, batchId, cancellationToken).ConfigureAwait(false);
        return batch is null
            ? ApiProblems.Status(StatusCodes.Status404NotFound, "No such batch", $"Municipality {participant.Code} has no batch '{batchId}'.")
            : TypedResults.Ok(BatchResponse.From(batch));
    }
}
