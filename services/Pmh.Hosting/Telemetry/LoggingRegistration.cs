using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.HttpLogging;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace Pmh.Hosting.Telemetry;

/// <summary>
/// How every PMH process logs: one JSON object a line on the console (the built-in JSON console formatter, UTC
/// timestamps, scopes included, so every line inside a request or a consumed message carries its TraceId and SpanId);
/// one line per HTTP request (method, the route's template, status, duration: never the path itself, headers, query
/// strings or bodies), except for probes and scrapes. <c>Logging:Console:FormatterName=simple</c> gives plain text back.
/// </summary>
public static class LoggingRegistration
{
    public static void AddPmhLogging(this IHostApplicationBuilder host)
    {
        ArgumentNullException.ThrowIfNull(host);
        host.Logging.AddJsonConsole();
        // ASP.NET Core's request scope ({RequestId, RequestPath} on every line of a request) carries the raw path, and
        // with it the ids callers chose; it exists only while its category logs at all, so that category is silenced.
        // The trace and span ids every line carries come from the activity, not from that scope.
        host.Logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.None);
        host.Logging.Configure(o => o.ActivityTrackingOptions = ActivityTrackingOptions.TraceId | ActivityTrackingOptions.SpanId);
        host.Services.Configure<ConsoleLoggerOptions>(o => o.FormatterName ??= ConsoleFormatterNames.Json);
        host.Services.Configure<JsonConsoleFormatterOptions>(o =>
        {
            o.IncludeScopes = true;
            o.UseUtcTimestamp = true;
            o.TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";
            o.JsonWriterOptions = new System.Text.Json.JsonWriterOptions { Indented = false };
        });
        host.Services.AddHttpLogging(o =>
        {
            o.LoggingFields = HttpLoggingFields.RequestMethod | HttpLoggingFields.ResponseStatusCode | HttpLoggingFields.Duration;
            o.CombineLogs = true;
        });
        host.Services.AddHttpLoggingInterceptor<RouteNotPath>();
        host.Services.AddSingleton<IStartupFilter, RequestLoggingFilter>();
    }

    /// <summary>
    /// The route's template (<c>/api/v1/batches/{batchId}</c>) in place of the path: a path carries the ids callers
    /// chose (batch, check, receipt, submission ids), and a careless caller's id can hold a personal number; a test
    /// batch id built from a My Number reached the log that way. The template says which call it was without them.
    /// </summary>
    private sealed class RouteNotPath : IHttpLoggingInterceptor
    {
        public ValueTask OnRequestAsync(HttpLoggingInterceptorContext logContext) => ValueTask.CompletedTask;

        public ValueTask OnResponseAsync(HttpLoggingInterceptorContext logContext)
        {
            var route = (logContext.HttpContext.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText;
            logContext.AddParameter("Route", route is null ? "(no endpoint)" : "/" + route.TrimStart('/'));
            return ValueTask.CompletedTask;
        }
    }

    /// <summary>Request logging first in the pipeline, so it sees every answer (also the error handler's and the rate limiter's).</summary>
    private sealed class RequestLoggingFilter : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.UseWhen(
                context => !context.Request.Path.StartsWithSegments("/health", StringComparison.OrdinalIgnoreCase)
                           && !context.Request.Path.StartsWithSegments(TelemetryRegistration.MetricsPath, StringComparison.OrdinalIgnoreCase),
                branch => branch.UseHttpLogging());
            next(app);
        };
    }
}
