using Pmh.Modules.Participants;

namespace Pmh.Modules;

/// <summary>The roles each group of endpoints admits. An endpoint that names none is denied to everyone.</summary>
public static class GatewayPolicies
{
    public const string Municipality = nameof(ParticipantRole.Municipality);

    /// <summary>Reception desks: medical institutions and pharmacies.</summary>
    public const string Reception = "Reception";

    public const string CardIssuer = nameof(ParticipantRole.CardIssuer);

    public const string Operator = nameof(ParticipantRole.Operator);

    /// <summary>The rate limit of citizens' own requests (their card proves who they are; no key): a kind's citizen page names it too.</summary>
    public const string CitizenRateLimit = "citizen";
}
