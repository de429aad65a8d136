using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;

namespace Pmh.Testing.Logs;

/// <summary>
/// Every log line exactly as the hub's console would print it (its configured JSON console formatter, scopes with
/// trace and span ids included), kept for a test to read. Add with <see cref="AddTo"/> in ConfigureTestServices.
/// </summary>
public sealed class JsonLogLines
{
    private readonly ConcurrentQueue<string> _lines = new();

    public IReadOnlyCollection<string> Lines => _lines;

    public void AddTo(IServiceCollection services) =>
        services.AddSingleton<ILoggerProvider>(sp => new Provider(
            sp.GetServices<ConsoleFormatter>().Single(f => f.Name == ConsoleFormatterNames.Json), _lines));

    private sealed class Provider(ConsoleFormatter formatter, ConcurrentQueue<string> lines) : ILoggerProvider, ISupportExternalScope
    {
        private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();

        public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

        public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

        public void Dispose()
        {
        }

        private sealed class Logger(Provider provider, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => provider._scopes.Push(state);

            public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                using var writer = new StringWriter();
                provider.Write(new LogEntry<TState>(logLevel, category, eventId, state, exception, formatter), writer);
                provider.Enqueue(writer.ToString());
            }
        }

        private void Write<TState>(in LogEntry<TState> entry, TextWriter writer) => formatter.Write(in entry, _scopes, writer);

        private void Enqueue(string text)
        {
            foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                lines.Enqueue(line);
            }
        }
    }
}
