namespace Pmh.Identity;

/// <summary><c>Pmh:Identity</c>.</summary>
public sealed class IdentityOptions
{
    /// <summary>PEM files of the issuer CAs whose card certificates the hub trusts.</summary>
    public List<string> TrustedIssuers { get; set; } = [];

    /// <summary>How long a challenge can be answered.</summary>
    public TimeSpan ChallengeLifetime { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How many certificates' chain results are kept (building a chain is the costly part of a check).</summary>
    public int ChainCacheSize { get; set; } = 100_000;
}
