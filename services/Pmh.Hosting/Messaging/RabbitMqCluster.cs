using System.Globalization;
using RabbitMQ.Client;

namespace Pmh.Hosting.Messaging;

/// <summary>The nodes of the hub's broker: the host of <c>ConnectionStrings:RabbitMq</c> first, then <see cref="BusOptions.ClusterNodes"/>.</summary>
public static class RabbitMqCluster
{
    /// <summary><c>host:port</c> of every node, without repeats.</summary>
    public static IReadOnlyList<string> Nodes(Uri amqp, BusOptions options)
    {
        ArgumentNullException.ThrowIfNull(amqp);
        ArgumentNullException.ThrowIfNull(options);
        var port = amqp.IsDefaultPort || amqp.Port < 0 ? (amqp.Scheme == "amqps" ? 5671 : 5672) : amqp.Port;
        var first = amqp.Host + ":" + port.ToString(CultureInfo.InvariantCulture);
        return new[] { first }
            .Concat(options.ClusterNodes.Select(n => n.Trim()).Where(n => n.Length > 0).Select(n => n.Contains(':', StringComparison.Ordinal) ? n : n + ":" + port.ToString(CultureInfo.InvariantCulture)))
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .ToList();
    }

    /// <summary>The nodes as RabbitMQ.Client endpoints (TLS when the URI is <c>amqps</c>).</summary>
    public static IReadOnlyList<AmqpTcpEndpoint> Endpoints(Uri amqp, BusOptions options) =>
        Nodes(amqp, options).Select(n =>
        {
            var colon = n.LastIndexOf(':');
            var endpoint = new AmqpTcpEndpoint(n[..colon], int.Parse(n[(colon + 1)..], CultureInfo.InvariantCulture));
            if (amqp.Scheme == "amqps")
            {
                endpoint.Ssl.Enabled = true;
                endpoint.Ssl.ServerName = endpoint.HostName;
            }

            return endpoint;
        }).ToList();
}
