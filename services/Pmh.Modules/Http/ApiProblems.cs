using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Pmh.Modules.Http;

/// <summary>RFC 9457 problem details that name the field and the reason (<c>errors: {field: [reason]}</c>).</summary>
public static class ApiProblems
{
    public static ProblemHttpResult Field(int status, string field, string reason, string title) =>
        Fields(status, new Dictionary<string, string[]> { [field] = [reason] }, title, $"{field}: {reason}");

    public static ProblemHttpResult Fields(int status, IDictionary<string, string[]> errors, string title, string? detail = null) =>
        TypedResults.Problem(new HttpValidationProblemDetails(errors)
        {
            Status = status,
            Title = title,
            Detail = detail ?? $"{errors.Count} field(s) refused; see errors.",
        });

    public static ProblemHttpResult Status(int status, string title, string detail) =>
        TypedResults.Problem(detail: detail, statusCode: status, title: title);
}
