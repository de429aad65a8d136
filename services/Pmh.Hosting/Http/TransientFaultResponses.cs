using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Pmh.Hosting.Messaging;

namespace Pmh.Hosting.Http;

/// <summary>
/// What a caller is told when something the hub depends on is away: 503 with <c>Retry-After</c>, never a 500. Every
/// 503 the hub answers carries <c>Retry-After</c> (the one a handler set, or <see cref="RetryAfterSeconds"/>).
/// </summary>
public static partial class TransientFaultResponses
{
    public const int RetryAfterSeconds = 2;

    /// <summary>Problem details, and the handler that answers transient faults with 503 (used by <c>AddPmhHub</c>).</summary>
    public static IServiceCollection AddPmhErrorHandling(this IServiceCollection services)
    {
        services.AddProblemDetails();
        services.AddExceptionHandler<BadRequestHandler>();
        services.AddExceptionHandler<Handler>();
        // A query or route value that cannot be bound is thrown in every environment, so that the handler below
        // answers it with a problem naming the parameter (not an empty 400, nor a 500 in Development).
        services.Configure<Microsoft.AspNetCore.Routing.RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        return services;
    }

    /// <summary>The error pipeline of every PMH process: Retry-After on 503s, transient faults as 503, problem bodies.</summary>
    public static IApplicationBuilder UsePmhErrorHandling(this IApplicationBuilder app)
    {
        app.Use((context, next) =>
        {
            context.Response.OnStarting(static state =>
            {
                var response = (HttpResponse)state;
                if (response.StatusCode == StatusCodes.Status503ServiceUnavailable && !response.Headers.ContainsKey("Retry-After"))
                {
                    response.Headers.RetryAfter = RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
                }

                return Task.CompletedTask;
            }, context.Response);
            return next(context);
        });
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        return app;
    }

    /// <summary>
    /// A request ASP.NET Core could not bind (<c>?after=abc</c>, <c>?limit=1.5</c>, a repeated single value): 400 (or
    /// the status the server chose, such as 413) as a problem naming the parameter and why, never a 500.
    /// </summary>
    internal sealed partial class BadRequestHandler(IProblemDetailsService problems) : IExceptionHandler
    {
        public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
        {
            if (exception is not BadHttpRequestException bad || httpContext.Response.HasStarted)
            {
                return false;
            }

            var match = BoundParameter().Match(bad.Message);
            var details = new ProblemDetails { Status = bad.StatusCode, Title = "Invalid request", Detail = bad.Message };
            if (match.Success)
            {
                var reason = match.Groups["value"].Success
                    ? $"cannot be read from \"{match.Groups["value"].Value}\" as {Describe(match.Groups["type"].Value)}"
                    : "is missing or cannot be read";
                details = new HttpValidationProblemDetails(new Dictionary<string, string[]> { [match.Groups["name"].Value] = [reason] })
                {
                    Status = bad.StatusCode,
                    Title = "Invalid request",
                    Detail = $"{match.Groups["name"].Value}: {reason}",
                };
            }

            httpContext.Response.StatusCode = bad.StatusCode;
            return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = httpContext, Exception = exception, ProblemDetails = details })
                .ConfigureAwait(false);
        }

        /// <summary>A parameter type as a caller understands it: "a whole number", not <c>Nullable&lt;long&gt;</c>.</summary>
        public static string Describe(string typeName)
        {
            var type = typeName.Trim().TrimEnd('?');
            if (type.StartsWith("Nullable<", StringComparison.Ordinal) && type.EndsWith('>'))
            {
                type = type["Nullable<".Length..^1];
            }

            return type.Split('.')[^1] switch
            {
                "int" or "long" or "short" or "byte" or "sbyte" or "uint" or "ulong" or "ushort"
                    or "Int16" or "Int32" or "Int64" or "UInt16" or "UInt32" or "UInt64" or "Byte" or "SByte" => "a whole number",
                "decimal" or "double" or "float" or "Decimal" or "Double" or "Single" => "a number",
                "DateOnly" => "a date (yyyy-MM-dd)",
                "DateTime" or "DateTimeOffset" => "a date and time (ISO 8601)",
                "TimeOnly" or "TimeSpan" => "a time",
                "Guid" => "an id (a GUID)",
                "bool" or "Boolean" => "true or false",
                "string" or "String" => "text",
                _ => "a value of the expected kind",
            };
        }

        // ASP.NET Core's wording: Failed to bind parameter "long? after" from "abc".
        [System.Text.RegularExpressions.GeneratedRegex("parameter \"(?<type>[^\"]*) (?<name>[A-Za-z_][A-Za-z0-9_]*)\"(?: from \"(?<value>[^\"]*)\")?")]
        private static partial System.Text.RegularExpressions.Regex BoundParameter();
    }

    /// <summary>Turns an exception that says "a dependency is out of reach" into 503; everything else stays a 500.</summary>
    internal sealed partial class Handler(IProblemDetailsService problems, ILogger<Handler> logger) : IExceptionHandler
    {
        public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
        {
            if (!HubFaults.IsTransient(exception) || httpContext.Response.HasStarted)
            {
                return false;
            }

            LogUnavailable(logger, httpContext.Request.Method, httpContext.Request.Path, exception.GetType().Name, exception.Message);
            httpContext.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            httpContext.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
            return await problems.TryWriteAsync(new ProblemDetailsContext
            {
                HttpContext = httpContext,
                Exception = exception,
                ProblemDetails = new ProblemDetails
                {
                    Status = StatusCodes.Status503ServiceUnavailable,
                    Title = "Service temporarily unavailable",
                    Detail = "A database or the message broker the hub depends on cannot be reached just now; nothing was changed. Try again shortly.",
                },
            }).ConfigureAwait(false);
        }

        [LoggerMessage(Level = LogLevel.Warning, Message = "{Method} {Path} answered 503: a dependency is unreachable ({ExceptionType}: {Reason})")]
        private static partial void LogUnavailable(ILogger logger, string method, string path, string exceptionType, string reason);
    }
}
