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

    /// <summary>Messages a RabbitMQ consumer fetches ahead.</summary>
    public ushort PrefetchCount { get; set; } = 32;

    /// <summary>
    /// The RabbitMQ management API the dead-letter endpoints list error queues with, e.g. <c>http://user:pass@host:15672/</c>;
    /// by default the AMQP host on port 15672 with the AMQP credentials.
    /// </summary>
    public string? ManagementUrl { get; set; }
}

/// <summary><c>Pmh:Storage</c>.</summary>
public sealed class StorageOptions
{
    public StorageProvider Provider { get; set; } = StorageProvider.Sqlite;

    /// <summary>Where the SQLite files go (one per service) when no connection string names them.</summary>
    public string DataFolder { get; set; } = "data";
}
