using System.Security.Claims;

namespace Pmh.Modules.Participants;

public enum ParticipantRole
{
    Municipality,
    MedicalInstitution,
    Pharmacy,
    CardIssuer,
    Operator,
}

/// <summary>
/// Someone allowed to call the hub: its id, role and own code (municipality code for a municipality, medical
/// institution code for an institution or pharmacy).
/// </summary>
public sealed record Participant(string Id, string Name, ParticipantRole Role, string Code)
{
    public const string IdClaim = "pmh:participant";
    public const string CodeClaim = "pmh:code";

    public ClaimsPrincipal ToPrincipal(string scheme) =>
        new(new ClaimsIdentity(
            [
                new Claim(IdClaim, Id),
                new Claim(ClaimTypes.Name, Name),
                new Claim(ClaimTypes.Role, Role.ToString()),
                new Claim(CodeClaim, Code),
            ],
            scheme));

    public static Participant? From(ClaimsPrincipal user)
    {
        var id = user.FindFirstValue(IdClaim);
        var role = user.FindFirstValue(ClaimTypes.Role);
        if (id is null || role is null || !Enum.TryParse<ParticipantRole>(role, out var parsed))
        {
            return null;
        }

        return new Participant(id, user.FindFirstValue(ClaimTypes.Name) ?? id, parsed, user.FindFirstValue(CodeClaim) ?? "");
    }
}
