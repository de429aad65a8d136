using Microsoft.AspNetCore.Mvc;

namespace Pmh.Pages.Shell;

/// <summary>An API handler's result (JSON or problem details, as the API answers) returned from a page handler.</summary>
public sealed class HttpResultAction(IResult result) : IActionResult
{
    public Task ExecuteResultAsync(ActionContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return result.ExecuteAsync(context.HttpContext);
    }
}
