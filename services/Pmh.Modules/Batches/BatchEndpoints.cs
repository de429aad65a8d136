using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Pmh.Modules.Http;

namespace Pmh.Modules.Batches;

public static class BatchEndpoints
{
    /// <summary>
    /// <c>POST /municipalities/{code}/{kind}</c>: a municipality's upload of one kind of batch, for the municipality's
    /// own code only, handled by the gateway's <see cref="IBatchUploads"/>.
    /// </summary>
    public static RouteHandlerBuilder MapBatchUpload<TKind, TRow, TItem>(this RouteGroupBuilder api, string operationName)
        where TKind : class, IBatchKind<TRow, TItem>
        where TRow : class
    {
        var kind = ((IEndpointRouteBuilder)api).ServiceProvider.GetRequiredService<TKind>();
        var builder = api.MapPost(
                $"/municipalities/{{code}}/{kind.Kind}",
                (string code, [FromQuery] string? batchId, HttpContext http, IBatchUploads uploads, CancellationToken cancellationToken) =>
                    uploads.UploadAsync(kind, code, batchId, http, cancellationToken))
            .RequireAuthorization(GatewayPolicies.Municipality)
            .WithName(operationName)
            .WithBody<BatchUploadDocument<TRow>, RouteHandlerBuilder>(kind.AcceptsCsv ? ["application/json", "text/csv"] : ["application/json"])
            .WithMetadata(new DocumentedBatchRows(kind.RowsField))
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        // A national file takes longer than any API deadline to send; the batch itself has its own deadline.
        builder.WithMetadata(new Microsoft.AspNetCore.Http.Timeouts.DisableRequestTimeoutAttribute());
        return builder;
    }
}

/// <summary>
/// The JSON of an upload as documented: a batch id and the rows (under the kind's rows field, e.g.
/// <c>certificates</c> or <c>records</c>; the real registration API's bare array of rows is taken too).
/// </summary>
public sealed record BatchUploadDocument<TRow>(string? BatchId, IReadOnlyList<TRow> Rows);

/// <summary>For the OpenAPI document only: the real name of a <see cref="BatchUploadDocument{TRow}"/>'s rows array.</summary>
public sealed record DocumentedBatchRows(string RowsField);
