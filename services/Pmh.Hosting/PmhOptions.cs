namespace Pmh.Hosting;

public enum BusTransport
{
    /// <summary>MassTransit's in-memory transport: valid only when every service runs in this process.</summary>
    InMemory,

    /// <summary>RabbitMQ, from <c>ConnectionStrings:RabbitMq</c>.</summary>
    RabbitMq,
}

public enum StorageProvider
{
    Sqlite,
    PostgreSql,
    SqlServer,
}

/// <summary><c>Pmh:Bus</c>.</summary>
public sealed class BusOptions
{
    public BusTransport Transport { get; set; } = BusTransport.InMemory;

    /// <summary>
    /// In the embedded set-up (the in-memory transport, every service in this process), requests are answered by their
    /// consumers in this process through MassTransit's mediator: the same consumer classes and fault policy, the message
    /// passed by reference instead of serialized onto an in-memory queue and back. Commands and events sent through an
    /// outbox still go on the bus. Off by default: on this project's 2-core machine it answered each lookup sooner
    /// (p99 5 ms against 28 ms) in less memory, but cost more CPU per check than the in-memory bus (README, benchmarks).
    /// Has no effect on RabbitMQ.
    /// </summary>
    public bool InProcessRequests { get; set; }

    /// <summary>Messages a RabbitMQ consumer fetches ahead.</summary>
    public ushort PrefetchCount { get; set; } = 32;

    /// <summary>How long a message whose consumer meets a transient fault (broker or database away) is held and tried again.</summary>
    public TimeSpan TransientRetryWindow { get; set; } = TimeSpan.FromMinutes(20);

    /// <summary>The longest pause between two tries of a message during a transient fault.</summary>
    public TimeSpan TransientRetryMaxInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How soon the RabbitMQ connection is tried again after it was lost.</summary>
    public TimeSpan ReconnectInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Durable quorum queues (replicated on a cluster) for the hub's commands and events; classic queues when false.</summary>
    public bool QuorumQueues { get; set; } = true;

    /// <summary>
    /// The RabbitMQ management API the dead-letter endpoints list error queues with, e.g. <c>http://user:pass@host:15672/</c>;
    /// by default the AMQP host on port 15672 with the AMQP credentials.
    /// </summary>
    public string? ManagementUrl { get; set; }

    /// <summary>
    /// The nodes of a RabbitMQ cluster (<c>host</c> or <c>host:port</c>), besides the host of <c>ConnectionStrings:RabbitMq</c>
    /// (whose credentials and vhost every node shares): the bus connects to one that answers and moves to another when it is lost.
    /// </summary>
    public List<string> ClusterNodes { get; set; } = [];
}

/// <summary><c>Pmh:Storage</c>.</summary>
public sealed class StorageOptions
{
    public StorageProvider Provider { get; set; } = StorageProvider.Sqlite;

    /// <summary>Where the SQLite files go (one per service) when no connection string names them.</summary>
    public string DataFolder { get; set; } = "data";
}
