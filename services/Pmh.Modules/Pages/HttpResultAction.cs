using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Pmh.Modules.Pages;

/// <summary>
/// A handler's <see cref="IResult"/> (what an API endpoint returns: a batch as JSON, a CSV file, a problem) answered from
/// a page handler as it is, so that a page's script or download gets byte for byte what the API gives.
/// </summary>
public sealed class HttpResultAction(IResult result) : IActionResult
{
    public IResult Result { get; } = result;

    public Task ExecuteResultAsync(ActionContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return Result.ExecuteAsync(context.HttpContext);
    }
}

/// <summary>How pages read the API handlers' results.</summary>
public static class HandlerResults
{
    /// <summary>The result inside a <c>Results&lt;…&gt;</c> union.</summary>
    public static IResult Unwrap(IResult result) => result is INestedHttpResult nested ? Unwrap(nested.Result) : result;

    /// <summary>A problem's field errors as "field: reason" lines, or its detail when it names no field.</summary>
    public static IReadOnlyList<string> Lines(ProblemHttpResult problem)
    {
        ArgumentNullException.ThrowIfNull(problem);
        return problem.ProblemDetails is HttpValidationProblemDetails { Errors.Count: > 0 } v
            ? [.. v.Errors.SelectMany(e => e.Value.Select(reason => $"{e.Key}: {reason}"))]
            : [problem.ProblemDetails.Detail ?? problem.ProblemDetails.Title ?? ""];
    }

    /// <summary>A moment as people in Japan read it (the hub's dates are Japan's): yyyy-MM-dd HH:mm:ss.</summary>
    public static string JapanTime(DateTimeOffset? at) =>
        at is { } t ? t.ToOffset(TimeSpan.FromHours(9)).ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture) : "—";
}
