using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace Pmh.Hosting.Tests;

internal static class HostBuilders
{
    public static HostApplicationBuilder With(string environment, params (string Key, string? Value)[] settings)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = environment });
        builder.Configuration.AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value)));
        return builder;
    }

    public const string Secret = "dGVzdC1odWItc2VjcmV0LWZvci1wbWgtaHViLXRlc3RzLW9ubHk=";
}
