using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Pmh.Modules.Batches;

namespace Pmh.Gateway.OpenApi;

/// <summary>
/// What the generated document cannot see by itself: the bodies handlers read themselves (<see cref="DocumentedBody"/>),
/// the rows field of each kind of batch, the API key as a bearer scheme, and the 401 and 429 every request can meet.
/// </summary>
public static class GatewayOpenApi
{
    public const string BearerScheme = "Bearer";
    private const string ProblemJson = "application/problem+json";

    public static void Configure(OpenApiOptions options)
    {
        options.AddDocumentTransformer((document, _, _) =>
        {
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>(StringComparer.Ordinal);
            document.Components.SecuritySchemes[BearerScheme] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                In = ParameterLocation.Header,
                Name = "Authorization",
                Description = "The participant's API key: `Authorization: Bearer <key>`.",
            };
            return Task.CompletedTask;
        });
        options.AddOperationTransformer(TransformAsync);
    }

    private static async Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var metadata = context.Description.ActionDescriptor.EndpointMetadata;
        if (metadata.OfType<DocumentedBody>().LastOrDefault() is { } body)
        {
            operation.RequestBody = new OpenApiRequestBody
            {
                Required = true,
                Content = await BodyContentAsync(body, metadata.OfType<DocumentedBatchRows>().LastOrDefault(), context, cancellationToken).ConfigureAwait(false),
            };
        }

        operation.Responses ??= new OpenApiResponses();
        var anonymous = metadata.OfType<IAllowAnonymous>().Any();
        if (!anonymous)
        {
            operation.Security ??= [];
            operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(BearerScheme, context.Document)] = [] });
            await AddProblemAsync(operation, context, StatusCodes.Status401Unauthorized, "No valid API key or client certificate.", cancellationToken).ConfigureAwait(false);
        }

        await AddProblemAsync(operation, context, StatusCodes.Status429TooManyRequests, "Rate limit exceeded; see Retry-After.", cancellationToken).ConfigureAwait(false);
    }

    private static async Task<Dictionary<string, OpenApiMediaType>> BodyContentAsync(
        DocumentedBody body, DocumentedBatchRows? rows, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var content = new Dictionary<string, OpenApiMediaType>(StringComparer.Ordinal);
        foreach (var contentType in body.ContentTypes)
        {
            IOpenApiSchema schema = contentType switch
            {
                "text/csv" => new OpenApiSchema { Type = JsonSchemaType.String, Description = "CSV with a header row; one row per line." },
                _ when rows is not null && body.Type.IsGenericType && body.Type.GetGenericTypeDefinition() == typeof(BatchUploadDocument<>) =>
                    await BatchSchemaAsync(body.Type.GetGenericArguments()[0], rows.RowsField, context, cancellationToken).ConfigureAwait(false),
                _ => await context.GetOrCreateSchemaAsync(body.Type, null, cancellationToken).ConfigureAwait(false),
            };
            content[contentType] = new OpenApiMediaType { Schema = schema };
        }

        return content;
    }

    /// <summary><c>{"batchId": "...", "&lt;rowsField&gt;": [row, ...]}</c>, under the kind's own name for its rows.</summary>
    private static async Task<IOpenApiSchema> BatchSchemaAsync(Type rowType, string rowsField, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var row = await context.GetOrCreateSchemaAsync(rowType, null, cancellationToken).ConfigureAwait(false);
        return new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Required = new HashSet<string>(StringComparer.Ordinal) { rowsField },
            Properties = new Dictionary<string, IOpenApiSchema>(StringComparer.Ordinal)
            {
                ["batchId"] = new OpenApiSchema
                {
                    Type = JsonSchemaType.String | JsonSchemaType.Null,
                    Description = "The municipality's id for the batch (or the batchId query parameter); a new one is made when absent.",
                },
                [rowsField] = new OpenApiSchema { Type = JsonSchemaType.Array, Items = row },
            },
        };
    }

    private static async Task AddProblemAsync(
        OpenApiOperation operation, OpenApiOperationTransformerContext context, int status, string description, CancellationToken cancellationToken)
    {
        var key = status.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (operation.Responses!.ContainsKey(key))
        {
            return;
        }

        var schema = await context.GetOrCreateSchemaAsync(typeof(ProblemDetails), null, cancellationToken).ConfigureAwait(false);
        operation.Responses[key] = new OpenApiResponse
        {
            Description = description,
            Content = new Dictionary<string, OpenApiMediaType>(StringComparer.Ordinal) { [ProblemJson] = new OpenApiMediaType { Schema = schema } },
        };
    }
}
