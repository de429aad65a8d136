using System.Collections.Concurrent;
using System.Diagnostics.Tracing;
using System.Net;
using Pmh.Testing;

namespace Pmh.Integration.Tests;

/// <summary>
/// The hub holds medical data: it talks to its own broker and databases and to nothing else (no vendor telemetry, no
/// update checks). Every outbound connection, name lookup and HTTP request the process makes is watched through the
/// runtime's own event sources while a hub starts, serves a reception check and stops.
/// </summary>
public sealed class OutboundConnectionTests
{
    [RabbitMqFact]
    public async Task The_hub_connects_to_its_broker_and_databases_and_nowhere_else()
    {
        var broker = new Uri(Environment.GetEnvironmentVariable("PMH_TEST_RABBITMQ")!);
        var database = new Npgsql.NpgsqlConnectionStringBuilder(Environment.GetEnvironmentVariable("PMH_TEST_POSTGRES"));
        var allowed = new[] { $"{broker.Host}:{broker.Port}", $"{database.Host}:{database.Port}" };
        using var watch = new OutboundWatch();

        await Broker.PurgeAsync();
        await using (var hub = new PmhHubFactory(TestTransport.RabbitMq, TestStorage.PostgreSql))
        {
            using var card = hub.Cards.Issue();
            await ReceptionDesk.RegisterCardAsync(hub.ClientFor(PmhHubFactory.CardIssuerKey), card, TestData.MyNumber(520));
            var response = await ReceptionDesk.CheckAsync(hub.ClientFor(PmhHubFactory.ClinicKey), card, new { subsidy = true, vaccination = true, maternalChild = true });
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        Assert.NotEmpty(watch.Connections);
        Assert.All(watch.Connections, c => Assert.Contains(c, allowed));
        Assert.All(watch.NameLookups, n => Assert.True(n is "localhost" || IPAddress.TryParse(n, out _), $"the hub looked up the name '{n}'"));
    }

    [Fact]
    public async Task The_watch_sees_a_connection_to_an_address_outside_the_hub()
    {
        using var watch = new OutboundWatch();
        using var client = new HttpClient { Timeout = TimeSpan.FromMilliseconds(500) };

        // 203.0.113.0/24 is reserved for documentation: whether anything answers there or not, the attempt is made.
        try
        {
            using var _ = await client.GetAsync(new Uri("http://203.0.113.7:9/"));
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
        }

        await Eventually.UntilAsync(() => watch.Connections.Contains("203.0.113.7:9"), "the attempt to reach 203.0.113.7:9 seen");
    }

    /// <summary>
    /// Listens to System.Net.Sockets (every TCP connect) and System.Net.NameResolution (every name looked up). HTTP
    /// requests are not counted apart: the tests' own in-process clients make them, and a real one needs a connect.
    /// </summary>
    private sealed class OutboundWatch : EventListener
    {
        private readonly ConcurrentQueue<string> _connections = new();
        private readonly ConcurrentQueue<string> _lookups = new();

        public IReadOnlyCollection<string> Connections => _connections.Distinct().ToList();

        public IReadOnlyCollection<string> NameLookups => _lookups.Distinct().ToList();

        protected override void OnEventSourceCreated(EventSource eventSource)
        {
            if (eventSource.Name is "System.Net.Sockets" or "System.Net.NameResolution")
            {
                EnableEvents(eventSource, EventLevel.Informational);
            }
        }

        protected override void OnEventWritten(EventWrittenEventArgs e)
        {
            switch (e.EventSource.Name, e.EventName)
            {
                case ("System.Net.Sockets", "ConnectStart"):
                    if (Payload(e, "address") is { } address && Describe(address) is { } endpoint)
                    {
                        _connections.Enqueue(endpoint);
                    }

                    break;
                case ("System.Net.NameResolution", "ResolutionStart"):
                    _lookups.Enqueue(Payload(e, "hostNameOrAddress") ?? "?");
                    break;
            }
        }

        private static string? Payload(EventWrittenEventArgs e, string name)
        {
            var index = e.PayloadNames?.IndexOf(name) ?? -1;
            return index >= 0 ? e.Payload?[index]?.ToString() : null;
        }

        /// <summary>
        /// The event carries a SocketAddress's text: "InterNetwork:16:{p1,p2,a,b,c,d,...}" (port and IPv4 bytes) or
        /// "InterNetworkV6:28:{p1,p2,0,0,0,0,b1..b16,...}"; Unix sockets are not network connections.
        /// </summary>
        private static string? Describe(string address)
        {
            var open = address.IndexOf('{', StringComparison.Ordinal);
            if (open < 0 || address.StartsWith("Unix", StringComparison.Ordinal))
            {
                return null;
            }

            var bytes = address[(open + 1)..].TrimEnd('}').Split(',').Select(b => byte.Parse(b.Trim(), System.Globalization.CultureInfo.InvariantCulture)).ToArray();
            var port = (bytes[0] << 8) | bytes[1];
            var ip = address.StartsWith("InterNetworkV6", StringComparison.Ordinal)
                ? new IPAddress(bytes.AsSpan(6, 16))
                : new IPAddress(bytes.AsSpan(2, 4));
            if (ip.IsIPv4MappedToIPv6)
            {
                ip = ip.MapToIPv4();
            }

            return $"{ip}:{port}";
        }
    }
}
