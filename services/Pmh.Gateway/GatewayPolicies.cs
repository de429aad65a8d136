using Pmh.Gateway.Participants;

namespace Pmh.Gateway;

/// <summary>The roles each group of endpoints admits. An endpoint that names none is denied to everyone.</summary>
public static class GatewayPolicies
{
    public const string Municipality = nameof(ParticipantRole.Municipality);
}
