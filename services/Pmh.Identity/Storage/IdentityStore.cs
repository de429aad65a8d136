using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Pmh.Hosting.Storage;

namespace Pmh.Identity.Storage;

public sealed record RegisteredCard(string PersonKey, DateOnly BirthDate);

public sealed record StoredChallenge(Guid ChallengeId, string ParticipantId, byte[] Nonce, DateTimeOffset ExpiresAt, DateTimeOffset? UsedAt);

/// <summary>The identity service's storage: registered cards, revocations and challenges.</summary>
public sealed class IdentityStore([FromKeyedServices(IdentityServiceExtensions.DatabaseName)] ServiceDatabase database)
{
    /// <summary>Registers a card; false when this certificate is registered already.</summary>
    public async Task<bool> TryRegisterAsync(
        string thumbprint, string issuer, string serialNumber, string personKey, DateOnly birthDate, DateTimeOffset notAfter, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        var inserted = await database.RunAsync(
            (connection, ct) => connection.ExecuteAsync(new CommandDefinition(
                database.Dialect(
                    sqlite: InsertCardPortable,
                    postgreSql: InsertCardPortable,
                    sqlServer: """
                        IF NOT EXISTS (SELECT 1 FROM identity_cards WITH (UPDLOCK, HOLDLOCK) WHERE thumbprint = @Thumbprint)
                        INSERT INTO identity_cards (thumbprint, issuer, serial_number, person_key, birth_date, not_after, registered_at)
                        VALUES (@Thumbprint, @Issuer, @SerialNumber, @PersonKey, @BirthDate, @NotAfter, @Now)
                        """),
                new
                {
                    Thumbprint = thumbprint,
                    Issuer = issuer,
                    SerialNumber = serialNumber,
                    PersonKey = personKey,
                    BirthDate = birthDate,
                    NotAfter = notAfter.ToUnixTimeMilliseconds(),
                    Now = now.ToUnixTimeMilliseconds(),
                },
                cancellationToken: ct)),
            cancellationToken).ConfigureAwait(false);
        return inserted == 1;
    }

    private const string InsertCardPortable = """
        INSERT INTO identity_cards (thumbprint, issuer, serial_number, person_key, birth_date, not_after, registered_at)
        VALUES (@Thumbprint, @Issuer, @SerialNumber, @PersonKey, @BirthDate, @NotAfter, @Now)
        ON CONFLICT (thumbprint) DO NOTHING
        """;

    public async Task<RegisteredCard?> FindCardAsync(string thumbprint, CancellationToken cancellationToken)
    {
        var row = await database.RunAsync(
            (connection, ct) => connection.QuerySingleOrDefaultAsync<CardRow>(new CommandDefinition(
                "SELECT person_key AS PersonKey, birth_date AS BirthDate FROM identity_cards WHERE thumbprint = @Thumbprint",
                new { Thumbprint = thumbprint },
                cancellationToken: ct)),
            cancellationToken).ConfigureAwait(false);
        if (row is not { } card)
        {
            return null;
        }

        return new RegisteredCard(card.PersonKey, card.BirthDate);
    }

    /// <summary>Records a revocation (idempotent); says whether a registered card carries that issuer and serial.</summary>
    public async Task<bool> RevokeAsync(string issuer, string serialNumber, DateTimeOffset now, CancellationToken cancellationToken) =>
        await database.InTransactionAsync(
            async (connection, transaction, ct) =>
            {
                var parameters = new { Issuer = issuer, SerialNumber = serialNumber, Now = now.ToUnixTimeMilliseconds() };
                await connection.ExecuteAsync(new CommandDefinition(
                    database.Dialect(
                        sqlite: InsertRevocationPortable,
                        postgreSql: InsertRevocationPortable,
                        sqlServer: """
                            IF NOT EXISTS (SELECT 1 FROM identity_revocations WITH (UPDLOCK, HOLDLOCK) WHERE issuer = @Issuer AND serial_number = @SerialNumber)
                            INSERT INTO identity_revocations (issuer, serial_number, revoked_at) VALUES (@Issuer, @SerialNumber, @Now)
                            """),
                    parameters,
                    transaction,
                    cancellationToken: ct)).ConfigureAwait(false);
                return await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                    "SELECT COUNT(*) FROM identity_cards WHERE issuer = @Issuer AND serial_number = @SerialNumber",
                    parameters,
                    transaction,
                    cancellationToken: ct)).ConfigureAwait(false) > 0;
            },
            cancellationToken).ConfigureAwait(false);

    private const string InsertRevocationPortable = """
        INSERT INTO identity_revocations (issuer, serial_number, revoked_at) VALUES (@Issuer, @SerialNumber, @Now)
        ON CONFLICT (issuer, serial_number) DO NOTHING
        """;

    public async Task<bool> IsRevokedAsync(string issuer, string serialNumber, CancellationToken cancellationToken) =>
        await database.RunAsync(
            (connection, ct) => connection.ExecuteScalarAsync<long>(new CommandDefinition(
                "SELECT COUNT(*) FROM identity_revocations WHERE issuer = @Issuer AND serial_number = @SerialNumber",
                new { Issuer = issuer, SerialNumber = serialNumber },
                cancellationToken: ct)),
            cancellationToken).ConfigureAwait(false) > 0;

    public Task SaveChallengeAsync(StoredChallenge challenge, CancellationToken cancellationToken) =>
        database.RunAsync(
            (connection, ct) => connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO identity_challenges (challenge_id, participant_id, nonce, expires_at, used_at)
                VALUES (@ChallengeId, @ParticipantId, @Nonce, @ExpiresAt, NULL)
                """,
                new
                {
                    ChallengeId = challenge.ChallengeId.ToString("N"),
                    challenge.ParticipantId,
                    Nonce = Convert.ToBase64String(challenge.Nonce),
                    ExpiresAt = challenge.ExpiresAt.ToUnixTimeMilliseconds(),
                },
                cancellationToken: ct)),
            cancellationToken).AsTask();

    public async Task<StoredChallenge?> FindChallengeAsync(Guid challengeId, CancellationToken cancellationToken)
    {
        var row = await database.RunAsync(
            (connection, ct) => connection.QuerySingleOrDefaultAsync<ChallengeRow>(
                new CommandDefinition(
                    "SELECT participant_id AS ParticipantId, nonce AS Nonce, expires_at AS ExpiresAt, used_at AS UsedAt FROM identity_challenges WHERE challenge_id = @ChallengeId",
                    new { ChallengeId = challengeId.ToString("N") },
                    cancellationToken: ct)),
            cancellationToken).ConfigureAwait(false);
        return row is not { } c
            ? null
            : new StoredChallenge(
                challengeId,
                c.ParticipantId,
                Convert.FromBase64String(c.Nonce),
                DateTimeOffset.FromUnixTimeMilliseconds(c.ExpiresAt),
                c.UsedAt is { } used ? DateTimeOffset.FromUnixTimeMilliseconds(used) : null);
    }

    /// <summary>
    /// Marks the challenge used if it is still unused and unexpired. One statement, so that of two uses arriving at
    /// the same moment exactly one succeeds, on every provider.
    /// </summary>
    public async Task<bool> TryConsumeChallengeAsync(Guid challengeId, DateTimeOffset now, CancellationToken cancellationToken) =>
        await database.RunAsync(
            (connection, ct) => connection.ExecuteAsync(new CommandDefinition(
                """
                UPDATE identity_challenges SET used_at = @Now
                WHERE challenge_id = @ChallengeId AND used_at IS NULL AND expires_at > @Now
                """,
                new { ChallengeId = challengeId.ToString("N"), Now = now.ToUnixTimeMilliseconds() },
                cancellationToken: ct)),
            cancellationToken).ConfigureAwait(false) == 1;

    /// <summary>Removes challenges that expired before <paramref name="before"/>.</summary>
    public Task<int> PurgeChallengesAsync(DateTimeOffset before, CancellationToken cancellationToken) =>
        database.RunAsync(
            (connection, ct) => connection.ExecuteAsync(new CommandDefinition(
                "DELETE FROM identity_challenges WHERE expires_at < @Before",
                new { Before = before.ToUnixTimeMilliseconds() },
                cancellationToken: ct)),
            cancellationToken).AsTask();

    private sealed class CardRow
    {
        public string PersonKey { get; set; } = "";

        public DateOnly BirthDate { get; set; }
    }

    private sealed class ChallengeRow
    {
        public string ParticipantId { get; set; } = "";

        public string Nonce { get; set; } = "";

        public long ExpiresAt { get; set; }

        public long? UsedAt { get; set; }
    }
}
