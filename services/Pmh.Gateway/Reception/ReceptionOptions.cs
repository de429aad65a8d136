namespace Pmh.Gateway.Reception;

/// <summary><c>Pmh:Reception</c>.</summary>
public sealed class ReceptionOptions
{
    /// <summary>How long a lookup may take before its part is <c>unavailable</c>.</summary>
    public TimeSpan LookupTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Per-kind overrides of <see cref="LookupTimeout"/> (<c>Pmh:Reception:LookupTimeouts:subsidy</c>).</summary>
    public Dictionary<string, TimeSpan> LookupTimeouts { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// How long the card verification (and a challenge) may take before the desk is told to try again. With the lookups'
    /// <see cref="LookupTimeout"/> after it, a check stays within the gateway's 5 s request deadline.
    /// </summary>
    public TimeSpan VerificationTimeout { get; set; } = TimeSpan.FromSeconds(2.5);

    /// <summary>How long a check can be referred to by later calls (co-payments, vaccinations, vouchers).</summary>
    public TimeSpan CheckLifetime { get; set; } = TimeSpan.FromHours(12);

    public TimeSpan TimeoutFor(string kind) => LookupTimeouts.TryGetValue(kind, out var t) ? t : LookupTimeout;
}
