using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.HttpLogging;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace Pmh.Hosting.Telemetry;

/// <summary>
/// How every PMH process logs: one JSON object a line on the console (the built-in JSON console formatter, UTC
/// timestamps, scopes included, so every line inside a request or a consumed message carries its TraceId and SpanId);
/// one line per HTTP request (method, path without query, status, duration: never headers, query strings or bodies),
/// except for probes and scrapes. <c>Logging:Console:FormatterName=simple</c> gives plain text back.
/// </summary>
public static class LoggingRegistration
{
    public static void AddPmhLogging(this IHostApplicationBuilder host)
    {
        ArgumentNullException.ThrowIfNull(host);
        host.Logging.AddJsonConsole();
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
            o.LoggingFields = HttpLoggingFields.RequestMethod | HttpLoggingFields.RequestPath | HttpLoggingFields.ResponseStatusCode
                              | HttpLoggingFields.Duration;
            o.CombineLogs = true;
        });
        host.Services.AddSingleton<IStartupFilter, RequestLoggingFilter>();
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
