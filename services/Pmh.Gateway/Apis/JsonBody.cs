using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Pmh.Gateway.Apis;

/// <summary>Reads a small JSON request body, turning a malformed one into a 400 that names the field.</summary>
public static class JsonBody
{
    // Numbers and booleans are read into text fields too, so the validator names a bad value's field and reason.
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web) { Converters = { new Publishing.LenientStringConverter() } };

    public static async Task<(T? Value, IResult? Problem)> ReadAsync<T>(HttpRequest request, CancellationToken cancellationToken)
        where T : class
    {
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

    public static IDictionary<string, string[]> Errors(FluentValidation.Results.ValidationResult result) =>
        result.Errors.GroupBy(e => e.PropertyName).ToDictionary(g => g.Key, g => g.Select(e => e.ErrorMessage).ToArray());
}
