namespace Pmh.Gateway.Participants;

/// <summary>
/// The demo participants the embedded default seeds in Development (documented in the README). Their keys are
/// public, so the gateway refuses them in any other environment.
/// </summary>
public static class DemoParticipants
{
    public static readonly IReadOnlyList<(ParticipantOptions Participant, string ApiKey)> All =
    [
        (new ParticipantOptions { Id = "demo-chiyoda", Name = "Chiyoda City (demo)", Role = ParticipantRole.Municipality, Code = "131016" },
            "pmh-demo-municipality-131016"),
        (new ParticipantOptions { Id = "demo-clinic", Name = "Kanda Demo Clinic", Role = ParticipantRole.MedicalInstitution, Code = "1310123458" },
            "pmh-demo-clinic-1310123458"),
        (new ParticipantOptions { Id = "demo-pharmacy", Name = "Jimbocho Demo Pharmacy", Role = ParticipantRole.Pharmacy, Code = "1340123452" },
            "pmh-demo-pharmacy-1340123452"),
        (new ParticipantOptions { Id = "demo-card-issuer", Name = "Card issuer (demo)", Role = ParticipantRole.CardIssuer, Code = "card-issuer" },
            "pmh-demo-card-issuer"),
        (new ParticipantOptions { Id = "demo-operator", Name = "Hub operator (demo)", Role = ParticipantRole.Operator, Code = "operator" },
            "pmh-demo-operator"),
    ];

    public static readonly IReadOnlySet<string> KeyHashes =
        All.Select(p => ParticipantDirectory.HashKey(p.ApiKey)).ToHashSet(StringComparer.Ordinal);

    /// <summary>The demo participants as configuration entries (with key hashes), for the host to seed.</summary>
    public static IEnumerable<KeyValuePair<string, string?>> AsConfiguration(int firstIndex = 0) =>
        All.SelectMany((p, i) => new[]
        {
            Entry(firstIndex + i, "Id", p.Participant.Id),
            Entry(firstIndex + i, "Name", p.Participant.Name),
            Entry(firstIndex + i, "Role", p.Participant.Role.ToString()),
            Entry(firstIndex + i, "Code", p.Participant.Code),
            Entry(firstIndex + i, "ApiKeySha256", ParticipantDirectory.HashKey(p.ApiKey)),
        });

    private static KeyValuePair<string, string?> Entry(int index, string name, string value) =>
        new($"Pmh:Gateway:Participants:{index}:{name}", value);
}
