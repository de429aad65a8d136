using Microsoft.AspNetCore.Builder;

namespace Pmh.Modules.Http;

/// <summary>
/// The request body an endpoint reads itself (leniently, so that a bad value is named by field), for the OpenAPI
/// document only. Unlike <c>Accepts</c> it takes no part in routing: a body of another media type still reaches the
/// handler and gets the hub's own 415 problem details.
/// </summary>
public sealed record DocumentedBody(Type Type, IReadOnlyList<string> ContentTypes);

public static class DocumentedBodyExtensions
{
    public static TBuilder WithBody<TBody, TBuilder>(this TBuilder builder, params string[] contentTypes)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new DocumentedBody(typeof(TBody), contentTypes.Length == 0 ? ["application/json"] : contentTypes));
}
