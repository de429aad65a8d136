using System.Security.Cryptography;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Pmh.Hosting.Storage;

namespace Pmh.Gateway.Participants;

/// <summary>
/// Participants and their credentials in the gateway's store. Every request looks its key (or client certificate)
/// up here, so a rotated or revoked key takes effect at once, on every gateway instance, without a restart.
/// </summary>
public sealed class ParticipantStore(
    [FromKeyedServices(GatewayServiceExtensions.DatabaseName)] ServiceDatabase database,
    TimeProvider timeProvider)
{
    private const string ParticipantColumns = "p.participant_id AS Id, p.name AS Name, p.role AS Role, p.code AS Code";

    public Task<Participant?> FindByKeyAsync(string apiKey, CancellationToken cancellationToken) =>
        FindByKeyHashAsync(ParticipantDirectory.HashKey(apiKey), cancellationToken);

    /// <summary>The participant of a key by its hash, while the key is not revoked (a page session checks its key so).</summary>
    public async Task<Participant?> FindByKeyHashAsync(string keyHash, CancellationToken cancellationToken) =>
        (await database.RunAsync(
            (connection, ct) => connection.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(
                $"""
                SELECT {ParticipantColumns} FROM participant_keys k JOIN participants p ON p.participant_id = k.participant_id
                WHERE k.key_hash = @KeyHash AND k.revoked_at IS NULL
                """,
                new { KeyHash = keyHash },
                cancellationToken: ct)),
            cancellationToken).ConfigureAwait(false))?.ToParticipant();

    public async Task<Participant?> FindByCertificateAsync(string thumbprint, CancellationToken cancellationToken) =>
        (await database.RunAsync(
            (connection, ct) => connection.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(
                $"""
                SELECT {ParticipantColumns} FROM participant_certificates c JOIN participants p ON p.participant_id = c.participant_id
                WHERE c.thumbprint = @Thumbprint AND c.revoked_at IS NULL
                """,
                new { Thumbprint = thumbprint },
                cancellationToken: ct)),
            cancellationToken).ConfigureAwait(false))?.ToParticipant();

    public async Task<IReadOnlyList<Participant>> AllAsync(CancellationToken cancellationToken) =>
        (await database.RunAsync(
            (connection, ct) => connection.QueryAsync<Row>(new CommandDefinition(
                $"SELECT {ParticipantColumns} FROM participants p ORDER BY p.participant_id", cancellationToken: ct)),
            cancellationToken).ConfigureAwait(false)).Select(r => r.ToParticipant()).ToList();

    /// <summary>Adds or updates a participant (the id is its identity).</summary>
    public Task UpsertAsync(Participant participant, CancellationToken cancellationToken) =>
        database.RunAsync(
            (connection, ct) => connection.ExecuteAsync(new CommandDefinition(
                database.Dialect(
                    sqlite: UpsertPortable,
                    postgreSql: UpsertPortable,
                    sqlServer: """
                        MERGE participants WITH (HOLDLOCK) AS t USING (SELECT @Id AS participant_id) AS s ON t.participant_id = s.participant_id
                        WHEN MATCHED THEN UPDATE SET name = @Name, role = @Role, code = @Code
                        WHEN NOT MATCHED THEN INSERT (participant_id, name, role, code, created_at) VALUES (@Id, @Name, @Role, @Code, @Now);
                        """),
                new { participant.Id, participant.Name, Role = participant.Role.ToString(), participant.Code, Now = timeProvider.GetUtcNow().ToUnixTimeMilliseconds() },
                cancellationToken: ct)),
            cancellationToken).AsTask();

    private const string UpsertPortable = """
        INSERT INTO participants (participant_id, name, role, code, created_at) VALUES (@Id, @Name, @Role, @Code, @Now)
        ON CONFLICT (participant_id) DO UPDATE SET name = excluded.name, role = excluded.role, code = excluded.code
        """;

    /// <summary>Adds a key by its hash (configuration seeding); a hash already present is left as it is, revoked or not.</summary>
    public Task AddKeyHashAsync(string participantId, string keyHash, CancellationToken cancellationToken) =>
        database.RunAsync(
            (connection, ct) => connection.ExecuteAsync(new CommandDefinition(
                database.Dialect(
                    sqlite: AddKeyPortable,
                    postgreSql: AddKeyPortable,
                    sqlServer: """
                        IF NOT EXISTS (SELECT 1 FROM participant_keys WHERE key_hash = @KeyHash)
                        INSERT INTO participant_keys (key_hash, participant_id, created_at) VALUES (@KeyHash, @ParticipantId, @Now)
                        """),
                new { KeyHash = keyHash, ParticipantId = participantId, Now = timeProvider.GetUtcNow().ToUnixTimeMilliseconds() },
                cancellationToken: ct)),
            cancellationToken).AsTask();

    private const string AddKeyPortable = """
        INSERT INTO participant_keys (key_hash, participant_id, created_at) VALUES (@KeyHash, @ParticipantId, @Now)
        ON CONFLICT (key_hash) DO NOTHING
        """;

    /// <summary>A new random key for the participant: returned once, stored only as its hash. The key id is a prefix of the hash.</summary>
    public async Task<(string KeyId, string ApiKey)> IssueKeyAsync(string participantId, CancellationToken cancellationToken)
    {
        var key = "pmh_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var hash = ParticipantDirectory.HashKey(key);
        await AddKeyHashAsync(participantId, hash, cancellationToken).ConfigureAwait(false);
        return (hash[..16], key);
    }

    /// <summary>Revokes the participant's key whose hash starts with <paramref name="keyId"/>; false when there is none.</summary>
    public async Task<bool> RevokeKeyAsync(string participantId, string keyId, CancellationToken cancellationToken) =>
        // Hex digits only: a key id is a prefix of the hex hash, and '%' or '_' would be LIKE wildcards matching any key.
        keyId.Length is >= 16 and <= 64 && keyId.All(char.IsAsciiHexDigitLower) && await database.RunAsync(
            (connection, ct) => connection.ExecuteAsync(new CommandDefinition(
                "UPDATE participant_keys SET revoked_at = @Now WHERE participant_id = @ParticipantId AND key_hash LIKE @Prefix AND revoked_at IS NULL",
                new { ParticipantId = participantId, Prefix = keyId + "%", Now = timeProvider.GetUtcNow().ToUnixTimeMilliseconds() },
                cancellationToken: ct)),
            cancellationToken).ConfigureAwait(false) > 0;

    /// <summary>Every participant's keys by id (the key's hash prefix, never the key), oldest first, with when each was made and revoked.</summary>
    public async Task<IReadOnlyList<ParticipantKey>> KeysAsync(CancellationToken cancellationToken) =>
        (await database.RunAsync(
            (connection, ct) => connection.QueryAsync<(string ParticipantId, string KeyHash, long CreatedAt, long? RevokedAt)>(new CommandDefinition(
                "SELECT participant_id, key_hash, created_at, revoked_at FROM participant_keys ORDER BY participant_id, created_at, key_hash",
                cancellationToken: ct)),
            cancellationToken).ConfigureAwait(false))
        .Select(k => new ParticipantKey(
            k.ParticipantId,
            k.KeyHash[..16],
            DateTimeOffset.FromUnixTimeMilliseconds(k.CreatedAt),
            k.RevokedAt is { } revoked ? DateTimeOffset.FromUnixTimeMilliseconds(revoked) : null))
        .ToList();

    public Task AddCertificateAsync(string participantId, string thumbprint, CancellationToken cancellationToken) =>
        database.RunAsync(
            (connection, ct) => connection.ExecuteAsync(new CommandDefinition(
                database.Dialect(
                    sqlite: AddCertificatePortable,
                    postgreSql: AddCertificatePortable,
                    sqlServer: """
                        IF NOT EXISTS (SELECT 1 FROM participant_certificates WHERE thumbprint = @Thumbprint)
                        INSERT INTO participant_certificates (thumbprint, participant_id, created_at) VALUES (@Thumbprint, @ParticipantId, @Now)
                        """),
                new { Thumbprint = thumbprint, ParticipantId = participantId, Now = timeProvider.GetUtcNow().ToUnixTimeMilliseconds() },
                cancellationToken: ct)),
            cancellationToken).AsTask();

    private const string AddCertificatePortable = """
        INSERT INTO participant_certificates (thumbprint, participant_id, created_at) VALUES (@Thumbprint, @ParticipantId, @Now)
        ON CONFLICT (thumbprint) DO NOTHING
        """;

    private sealed class Row
    {
        public string Id { get; set; } = "";

        public string Name { get; set; } = "";

        public string Role { get; set; } = "";

        public string Code { get; set; } = "";

        public Participant ToParticipant() => new(Id, Name, Enum.Parse<ParticipantRole>(Role), Code);
    }
}

/// <summary>Seeds the store from configuration at start-up (after migrations): participants, their key hashes and certificates.</summary>
/// <summary>A participant's API key as the operator sees it: its id (the first 16 hex digits of its hash), never the key.</summary>
public sealed record ParticipantKey(string ParticipantId, string KeyId, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt)
{
    public bool IsActive => RevokedAt is null;
}

public sealed class ParticipantSeeder(ParticipantDirectory configured, ParticipantStore store) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var (participant, keyHash, certificateThumbprint) in configured.Seeds)
        {
            await store.UpsertAsync(participant, cancellationToken).ConfigureAwait(false);
            if (keyHash is not null)
            {
                await store.AddKeyHashAsync(participant.Id, keyHash, cancellationToken).ConfigureAwait(false);
            }

            if (certificateThumbprint is not null)
            {
                await store.AddCertificateAsync(participant.Id, certificateThumbprint, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
