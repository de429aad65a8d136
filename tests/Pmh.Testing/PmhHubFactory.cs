using System.Net.Http.Headers;
using MassTransit;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Pmh.Testing;

public enum TestTransport
{
    /// <summary>MassTransit's test harness (in-memory, with published/sent/consumed collections).</summary>
    Harness,

    /// <summary>The real RabbitMQ of the test script.</summary>
    RabbitMq,
}

public enum TestStorage
{
    Sqlite,
    PostgreSql,
}

/// <summary>
/// The hub's own <c>Program</c> hosted for tests, outside Development (so no demo credentials), with a test hub
/// secret, test participants, SQLite files in a temporary folder or fresh PostgreSQL databases, and captured logs.
/// </summary>
public sealed class PmhHubFactory : WebApplicationFactory<Program>
{
    public const string HubSecret = "dGVzdC1odWItc2VjcmV0LWZvci1wbWgtaHViLXRlc3RzLW9ubHk=";
    public const string ChiyodaKey = "test-key-chiyoda";
    public const string HachiojiKey = "test-key-hachioji";
    public const string ClinicKey = "test-key-clinic";
    public const string PharmacyKey = "test-key-pharmacy";
    public const string CardIssuerKey = "test-key-card-issuer";
    public const string OperatorKey = "test-key-operator";
    public const string ClinicCode = "1310123458";
    public const string PharmacyCode = "1340123452";

    private readonly TestTransport _transport;
    private readonly TestStorage _storage;
    private readonly Dictionary<string, string?> _settings = new(StringComparer.Ordinal);
    private readonly List<string> _postgresDatabases = [];

    public PmhHubFactory(
        TestTransport transport = TestTransport.Harness,
        TestStorage storage = TestStorage.Sqlite,
        string services = "all",
        IDictionary<string, string?>? settings = null,
        string? dataFolder = null,
        IReadOnlyDictionary<string, string>? connectionStrings = null)
    {
        _transport = transport;
        _storage = storage;
        DataFolder = dataFolder ?? Path.Combine(Path.GetTempPath(), "pmh-tests", Guid.NewGuid().ToString("N"));

        _settings["services"] = services;
        _settings["Pmh:HubSecret"] = HubSecret;
        _settings["Pmh:Storage:DataFolder"] = DataFolder;
        _settings["Pmh:Storage:Provider"] = storage.ToString();
        _settings["Pmh:Bus:Transport"] = transport == TestTransport.RabbitMq ? "RabbitMq" : "InMemory";
        if (transport == TestTransport.RabbitMq)
        {
            _settings["ConnectionStrings:RabbitMq"] = TestServers.RabbitMq;
        }

        if (storage == TestStorage.PostgreSql)
        {
            foreach (var name in Pmh.Host.HubServices.Databases)
            {
                var cs = connectionStrings?.GetValueOrDefault(name) ?? TestServers.NewPostgresDatabase("pmh_test_" + name.ToLowerInvariant());
                _settings[$"ConnectionStrings:{name}"] = cs;
                _postgresDatabases.Add(cs);
            }
        }

        AddParticipant(0, "chiyoda", "Municipality", TestData.Chiyoda, ChiyodaKey);
        AddParticipant(1, "hachioji", "Municipality", TestData.Hachioji, HachiojiKey);
        AddParticipant(2, "clinic", "MedicalInstitution", ClinicCode, ClinicKey);
        AddParticipant(3, "pharmacy", "Pharmacy", PharmacyCode, PharmacyKey);
        AddParticipant(4, "card-issuer", "CardIssuer", "card-issuer", CardIssuerKey);
        AddParticipant(5, "operator", "Operator", "operator", OperatorKey);
        // Tests drive the API far faster than any desk; the rate limit has its own test.
        _settings["Pmh:Gateway:RateLimit:PermitsPerSecond"] = "100000";
        _settings["Pmh:Gateway:RateLimit:Burst"] = "100000";

        Directory.CreateDirectory(DataFolder);
        var caFile = Path.Combine(DataFolder, "trusted-issuer-ca.pem");
        File.WriteAllText(caFile, Cards.IssuerCa.ExportCertificatePem());
        _settings["Pmh:Identity:TrustedIssuers:0"] = caFile;

        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            _settings[key] = value;
        }
    }

    public string DataFolder { get; }

    /// <summary>The card issuer this hub trusts, and the cards it issues.</summary>
    public TestCards Cards { get; } = TestCards.Shared;

    public LogCapture Logs { get; } = new();

    public IReadOnlyDictionary<string, string?> Settings => _settings;

    public HttpClient ClientFor(string apiKey)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        return client;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureLogging(logging =>
        {
            logging.SetMinimumLevel(LogLevel.Debug);
            logging.AddProvider(Logs);
        });

        if (_transport == TestTransport.Harness)
        {
            builder.ConfigureTestServices(services => services.AddMassTransitTestHarness());
        }
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            foreach (var cs in _postgresDatabases)
            {
                try
                {
                    TestServers.DropPostgresDatabases(cs);
                }
                catch (Npgsql.NpgsqlException)
                {
                    // Best effort: a database left behind is dropped with the test server's data folder.
                }
            }
        }
    }

    private void AddParticipant(int index, string id, string role, string code, string key)
    {
        _settings[$"Pmh:Gateway:Participants:{index}:Id"] = id;
        _settings[$"Pmh:Gateway:Participants:{index}:Role"] = role;
        _settings[$"Pmh:Gateway:Participants:{index}:Code"] = code;
        _settings[$"Pmh:Gateway:Participants:{index}:ApiKeySha256"] = Gateway.Participants.ParticipantDirectory.HashKey(key);
    }
}
