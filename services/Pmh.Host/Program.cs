using Pmh.Gateway;
using Pmh.Gateway.Participants;
using Pmh.Host;
using Pmh.Hosting;
using Pmh.Hosting.Http;
using Pmh.Hosting.Telemetry;
using Pmh.Pages.Shell;

var builder = WebApplication.CreateBuilder(args);

if (builder.Environment.IsDevelopment())
{
    // Demo participants (keys in the README); the gateway refuses their keys outside Development.
    builder.Configuration.AddInMemoryCollection(DemoParticipants.AsConfiguration(firstIndex: 1000));
}

if (builder.Configuration.GetSection("Pmh:Gateway:ClientCertificates:TrustedCas").GetChildren().Any())
{
    // Mutual TLS: ask for a client certificate on HTTPS; the gateway validates it against its own trusted CAs.
    builder.WebHost.ConfigureKestrel(kestrel => kestrel.ConfigureHttpsDefaults(https =>
    {
        https.ClientCertificateMode = Microsoft.AspNetCore.Server.Kestrel.Https.ClientCertificateMode.AllowCertificate;
        https.AllowAnyClientCertificate();
    }));
}

ServiceSelection selection;
try
{
    selection = ServiceSelection.Parse(builder.Configuration["services"] ?? builder.Configuration["Pmh:Services"], HubServices.Names);
    var seedDemo = builder.Environment.IsDevelopment() && selection.IsAll;
    if (seedDemo)
    {
        DemoData.Prepare(builder);
    }

    builder.AddPmhHub(selection)
        .AddHubServices()
        .AddPmhPages()
        .AddPmhBus();
    if (seedDemo)
    {
        builder.Services.AddHostedService<DemoData.Seeder>();
    }
}
catch (PmhConfigurationException e)
{
    Console.Error.WriteLine($"PMH Hub refuses to start: {e.Message}");
    Environment.ExitCode = 2;
    return;
}

var app = builder.Build();
app.UsePmhErrorHandling();
app.UseGateway();

app.MapPmhHealth();
app.MapPmhMetrics(selection.Contains(Pmh.Modules.HubModuleExtensions.GatewayService) ? Pmh.Modules.GatewayPolicies.Operator : null);
app.MapGateway();
app.MapPmhPages();

app.Lifetime.ApplicationStarted.Register(() => PmhHost.LogStarted(app, selection));
app.Run();

/// <summary>The one executable: every service, or the subset named by <c>--services</c>.</summary>
public partial class Program;

internal static partial class PmhHost
{
    public static void LogStarted(WebApplication app, ServiceSelection selection)
    {
        var bus = app.Services.GetRequiredService<BusOptions>();
        var storage = app.Services.GetRequiredService<StorageOptions>();
        var dataFolder = Path.GetFullPath(storage.DataFolder, app.Environment.ContentRootPath);
        LogStarted(
            app.Logger,
            selection.ToString(),
            bus.Transport,
            storage.Provider,
            storage.Provider == StorageProvider.Sqlite ? dataFolder : "(connection strings)",
            string.Join(", ", app.Urls),
            app.Environment.EnvironmentName);
    }

    [LoggerMessage(Level = LogLevel.Information,
        Message = "PMH Hub started: services {Services}; bus {Transport}; storage {Provider} at {Data}; listening on {Urls}; environment {Environment}")]
    private static partial void LogStarted(
        ILogger logger, string services, BusTransport transport, StorageProvider provider, string data, string urls, string environment);
}
