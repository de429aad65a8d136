namespace Pmh.Gateway.Participants;

/// <summary>
/// <c>Pmh:Gateway:Participants:N</c>: a participant and the SHA-256 (hex) of its API key. Keys themselves are never
/// configured or stored; make the hash with <c>printf %s "$KEY" | sha256sum</c>.
/// </summary>
public sealed class ParticipantOptions
{
    public string Id { get; set; } = "";

    public string Name { get; set; } = "";

    public ParticipantRole Role { get; set; }

    public string Code { get; set; } = "";

    public string ApiKeySha256 { get; set; } = "";

    /// <summary>SHA-256 (hex) of the DER of the participant's client certificate, for mutual TLS (production).</summary>
    public string CertificateSha256 { get; set; } = "";
}
