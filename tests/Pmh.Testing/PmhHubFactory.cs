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

    /// <summary>The embedded in-memory bus exactly as the hub ships it (requests answered in process), without the harness.</summary>
    InMemory,
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

        foreach (var (key, value) in ParticipantSettings(TestParticipants))
        {
            _settings[key] = value;
        }

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

    /// <summary>The participants of every hub under test outside Development (the factory's, and the hub processes' of <see cref="HubProcess"/>).</summary>
    public static readonly IReadOnlyList<TestParticipant> TestParticipants =
    [
        new("chiyoda", "Municipality", TestData.Chiyoda, ChiyodaKey),
        new("hachioji", "Municipality", TestData.Hachioji, HachiojiKey),
        new("clinic", "MedicalInstitution", ClinicCode, ClinicKey),
        new("pharmacy", "Pharmacy", PharmacyCode, PharmacyKey),
        new("card-issuer", "CardIssuer", "card-issuer", CardIssuerKey),
        new("operator", "Operator", "operator", OperatorKey),
    ];

    /// <summary>Configuration keys (<c>Pmh:Gateway:Participants:N:…</c>, only the key's hash) for <paramref name="participants"/>.</summary>
    public static IEnumerable<KeyValuePair<string, string>> ParticipantSettings(IEnumerable<TestParticipant> participants)
    {
        ArgumentNullException.ThrowIfNull(participants);
        var index = 0;
        foreach (var (id, role, code, key) in participants)
        {
            yield return new($"Pmh:Gateway:Participants:{index}:Id", id);
            yield return new($"Pmh:Gateway:Participants:{index}:Role", role);
            yield return new($"Pmh:Gateway:Participants:{index}:Code", code);
            yield return new($"Pmh:Gateway:Participants:{index}:ApiKeySha256", Gateway.Participants.ParticipantDirectory.HashKey(key));
            index++;
        }
    }
}

/// <summary>A participant a test hub is configured with, and its API key.</summary>
public sealed record TestParticipant(string Id, string Role, string Code, string ApiKey);
