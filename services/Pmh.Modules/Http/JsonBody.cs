using System.Text.Json;
using FluentValidation;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Pmh.Modules.Http;

/// <summary>Reads a small JSON request body, turning a malformed one into a 400 that names the field.</summary>
public static class JsonBody
{
    // Numbers and booleans are read into text fields too, so the validator names a bad value's field and reason.
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web) { Converters = { new Batches.LenientStringConverter() } };

    /// <summary>Whether a <c>Content-Type</c> names JSON (<c>application/json</c> or <c>application/…+json</c>, any parameters).</summary>
    public static bool IsJson(string? contentType)
    {
        var mediaType = contentType?.Split(';')[0].Trim();
        return string.Equals(mediaType, "application/json", StringComparison.OrdinalIgnoreCase)
            || (mediaType is not null && mediaType.StartsWith("application/", StringComparison.OrdinalIgnoreCase) && mediaType.EndsWith("+json", StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>The 415 for a body that does not say it is JSON (a form post, XML, text, or no type at all).</summary>
    public static ProblemHttpResult UnsupportedMediaType(string expected = "must be application/json") =>
        ApiProblems.Field(StatusCodes.Status415UnsupportedMediaType, "Content-Type", expected, "Unsupported media type");

    public static async Task<(T? Value, ProblemHttpResult? Problem)> ReadAsync<T>(HttpRequest request, CancellationToken cancellationToken)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(request);

        // A body sent as a form or as text is not read as JSON, even when its bytes happen to parse.
        if (!IsJson(request.ContentType))
        {
            return (null, UnsupportedMediaType());
        }

        try
        {
            var value = await JsonSerializer.DeserializeAsync<T>(request.Body, Options, cancellationToken).ConfigureAwait(false);
            return value is null
                ? (null, ApiProblems.Field(StatusCodes.Status400BadRequest, "body", "is required as a JSON object", "Malformed request"))
                : (value, null);
        }
        catch (JsonException e)
        {
            var field = string.IsNullOrEmpty(e.Path) || e.Path == "$" ? "body" : e.Path.TrimStart('$').TrimStart('.');
            var reason = field == "body" ? "is not valid JSON" : "has the wrong type";
            return (null, ApiProblems.Field(StatusCodes.Status400BadRequest, field, reason, "Malformed request"));
        }
    }

    /// <summary>
    /// Reads the body and runs its validator: the request, or the problem that refuses it (400 naming the body's
    /// malformed field, or every field the validator refused and why). Every JSON endpoint reads its body this way.
    /// </summary>
    public static async Task<(T? Value, ProblemHttpResult? Problem)> ReadValidAsync<T>(
        HttpRequest request, IValidator<T> validator, string title, CancellationToken cancellationToken)
        where T : class
    {
        var (value, problem) = await ReadAsync<T>(request, cancellationToken).ConfigureAwait(false);
        if (problem is not null)
        {
            return (null, problem);
        }

        var validation = await validator.ValidateAsync(value!, cancellationToken).ConfigureAwait(false);
        return validation.IsValid
            ? (value, null)
            : (null, ApiProblems.Fields(StatusCodes.Status400BadRequest, Errors(validation), title));
    }

    public static IDictionary<string, string[]> Errors(FluentValidation.Results.ValidationResult result) =>
        result.Errors.GroupBy(e => e.PropertyName).ToDictionary(g => g.Key, g => g.Select(e => e.ErrorMessage).ToArray());
}
