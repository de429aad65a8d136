using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Pmh.Contracts.Identifiers;
using Pmh.Hosting;

namespace Pmh.Gateway.Participants;

/// <summary>
/// The participants configuration seeds into the gateway's store (<see cref="ParticipantStore"/>), checked at
/// start-up: codes valid for their roles, unique ids and keys, no demo key outside Development. Only key hashes are
/// configured; a key is high-entropy, so an unsalted SHA-256 is enough to make the list useless to whoever reads it.
/// </summary>
public sealed class ParticipantDirectory
{
    private readonly Dictionary<string, Participant> _byKeyHash;
    private readonly List<(Participant, string?, string?)> _seeds = [];

    public ParticipantDirectory(IEnumerable<ParticipantOptions> configured, bool isDevelopment)
    {
        _byKeyHash = new Dictionary<string, Participant>(StringComparer.Ordinal);
        var ids = new HashSet<string>(StringComparer.Ordinal);
        var index = 0;
        foreach (var p in configured)
        {
            var where = $"Pmh:Gateway:Participants:{index++}";
            if (string.IsNullOrWhiteSpace(p.Id) || !ids.Add(p.Id))
            {
                throw new PmhConfigurationException($"{where}:Id must be set and unique.");
            }

            var hash = p.ApiKeySha256.Trim().ToLowerInvariant();
            var thumbprint = string.IsNullOrWhiteSpace(p.CertificateSha256) ? null : p.CertificateSha256.Trim().ToUpperInvariant();
            if (hash.Length == 0 && thumbprint is not null)
            {
                _seeds.Add((new Participant(p.Id, string.IsNullOrWhiteSpace(p.Name) ? p.Id : p.Name, p.Role, p.Code), null, thumbprint));
                continue;
            }

            if (hash.Length != 64 || !hash.All(Uri.IsHexDigit))
            {
                throw new PmhConfigurationException($"{where}:ApiKeySha256 must be the 64 hex digits of the key's SHA-256.");
            }

            if (!isDevelopment && DemoParticipants.KeyHashes.Contains(hash))
            {
                throw new PmhConfigurationException(
                    $"{where} ({p.Id}) uses a demo key; demo credentials are refused outside Development.");
            }

            var codeError = p.Role switch
            {
                ParticipantRole.Municipality => MunicipalityCode.TryParse(p.Code, out _, out var e) ? null : e,
                ParticipantRole.MedicalInstitution or ParticipantRole.Pharmacy =>
                    MedicalInstitutionCode.TryParse(p.Code, out _, out var e) ? null : e,
                _ => null,
            };
            if (codeError is not null)
            {
                throw new PmhConfigurationException($"{where}:Code {codeError} for role {p.Role}.");
            }

            var participant = new Participant(p.Id, string.IsNullOrWhiteSpace(p.Name) ? p.Id : p.Name, p.Role, p.Code);
            if (!_byKeyHash.TryAdd(hash, participant))
            {
                throw new PmhConfigurationException($"{where} shares its API key with another participant.");
            }

            _seeds.Add((participant, hash, thumbprint));
        }
    }

    public IReadOnlyCollection<Participant> All => _byKeyHash.Values;

    /// <summary>What start-up writes into the store: each participant with its key hash and client certificate thumbprint.</summary>
    public IReadOnlyList<(Participant Participant, string? KeyHash, string? CertificateThumbprint)> Seeds => _seeds;

    public Participant? FindByKey(string apiKey) =>
        _byKeyHash.TryGetValue(HashKey(apiKey), out var participant) ? participant : null;

    public static string HashKey(string apiKey) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(apiKey)));

    public static ParticipantDirectory FromConfiguration(IConfiguration configuration, IHostEnvironment environment) =>
        new(configuration.GetSection("Pmh:Gateway:Participants").Get<List<ParticipantOptions>>() ?? [], environment.IsDevelopment());
}
