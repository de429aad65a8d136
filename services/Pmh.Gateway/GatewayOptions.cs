namespace Pmh.Gateway;

/// <summary><c>Pmh:Gateway</c>.</summary>
public sealed class GatewayOptions
{
    /// <summary>
    /// Largest batch upload body taken, when set (a larger one gets 413). Unset by default: an upload is streamed (read,
    /// validated and spooled part by part, never held whole), so its size is bounded by <see cref="MaxBatchRows"/>.
    /// </summary>
    public long? MaxBodyBytes { get; set; }

    /// <summary>Most rows one batch may hold (a batch with more is refused with 422 as soon as the row past it is read).</summary>
    public int MaxBatchRows { get; set; } = 1_000_000;

    /// <summary>Rows per bus message when a batch travels to its service.</summary>
    public int BatchPartRows { get; set; } = 2_000;

    /// <summary>
    /// The deadline of every API call (batch uploads excepted): past it the caller gets 503 with <c>Retry-After</c>,
    /// whatever the hub was waiting for.
    /// </summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long an accepted batch may take to be applied. Outages shorter than this are ridden out; past it the batch
    /// is marked failed with the reason, and the municipality may post it again.
    /// </summary>
    public TimeSpan BatchDeadline { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary><c>Pmh:Gateway:RateLimit</c>.</summary>
    public RateLimitOptions RateLimit { get; set; } = new();

    /// <summary><c>Pmh:Gateway:ClientCertificates</c>: mutual TLS for production.</summary>
    public ClientCertificateOptions ClientCertificates { get; set; } = new();
}

public sealed class RateLimitOptions
{
    /// <summary>Requests a participant may make per second, sustained.</summary>
    public int PermitsPerSecond { get; set; } = 50;

    /// <summary>Requests a participant may make at once.</summary>
    public int Burst { get; set; } = 100;

    /// <summary>Citizen access-log requests per address and minute.</summary>
    public int CitizenPerMinute { get; set; } = 20;
}

public sealed class ClientCertificateOptions
{
    /// <summary>PEM files of the CAs that issue participants' client certificates. Empty: client certificates are not accepted.</summary>
    public List<string> TrustedCas { get; set; } = [];
}
