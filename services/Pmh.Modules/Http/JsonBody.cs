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

    /// <summary>
    /// The largest body a (non-batch) JSON endpoint reads: a reception check with its certificate is about 3 KiB, so 64 KiB
    /// is generous, and a body over it is refused before it is held (a 1 MB name or note never reaches the large-object heap).
    /// </summary>
    public const int MaxBytes = 64 * 1024;

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

        if (request.ContentLength > MaxBytes)
        {
            return (null, TooLarge());
        }

        // Read into a pooled buffer, at most MaxBytes: an oversized body costs neither a large allocation nor more reading.
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(MaxBytes + 1);
        try
        {
            var length = 0;
            int read;
            while (length <= MaxBytes && (read = await request.Body.ReadAsync(buffer.AsMemory(length, MaxBytes + 1 - length), cancellationToken).ConfigureAwait(false)) > 0)
            {
                length += read;
            }

            if (length > MaxBytes)
            {
                return (null, TooLarge());
            }

            var json = buffer.AsSpan(0, length);
            if (json.StartsWith("\uFEFF"u8))
            {
                json = json[3..];
            }

            var value = JsonSerializer.Deserialize<T>(json, Options);
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
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static ProblemHttpResult TooLarge() =>
        ApiProblems.Field(
            StatusCodes.Status413PayloadTooLarge,
            "body",
            string.Create(System.Globalization.CultureInfo.InvariantCulture, $"must be at most {MaxBytes / 1024} KiB (a batch upload has its own limit)"),
            "Body too large");

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

        var refused = await ValidateAsync(value!, validator, title, cancellationToken).ConfigureAwait(false);
        return refused is null ? (value, null) : (null, refused);
    }

    /// <summary>The 400 naming each bad field of a request read otherwise (a page's form), or null when it is valid.</summary>
    public static async Task<ProblemHttpResult?> ValidateAsync<T>(T value, IValidator<T> validator, string title, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(validator);
        var validation = await validator.ValidateAsync(value, cancellationToken).ConfigureAwait(false);
        return validation.IsValid ? null : ApiProblems.Fields(StatusCodes.Status400BadRequest, Errors(validation), title);
    }

    public static IDictionary<string, string[]> Errors(FluentValidation.Results.ValidationResult result) =>
        result.Errors.GroupBy(e => e.PropertyName).ToDictionary(g => g.Key, g => g.Select(e => e.ErrorMessage).ToArray());
}
