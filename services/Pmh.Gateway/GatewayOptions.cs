namespace Pmh.Gateway;

/// <summary><c>Pmh:Gateway</c>.</summary>
public sealed class GatewayOptions
{
    /// <summary>Largest request body taken; a larger one gets 413. 128 MiB holds about 150,000 certificate rows.</summary>
    public long MaxBodyBytes { get; set; } = 128L * 1024 * 1024;

    /// <summary>Most rows one batch may hold.</summary>
    public int MaxBatchRows { get; set; } = 1_000_000;

    /// <summary>Rows per bus message when a batch travels to its service.</summary>
    public int BatchPartRows { get; set; } = 2_000;
}
