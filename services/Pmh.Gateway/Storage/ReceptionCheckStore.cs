using System.Text.Json;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Pmh.Hosting.Storage;
using Pmh.Modules.Reception;

namespace Pmh.Gateway.Storage;

public sealed class ReceptionCheckStore([FromKeyedServices(GatewayServiceExtensions.DatabaseName)] ServiceDatabase database) : IReceptionChecks
{
    public Task SaveAsync(ReceptionCheck check, CancellationToken cancellationToken) =>
        database.RunAsync(
            (connection, ct) => connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO reception_checks
                    (check_id, participant_id, institution_code, person_key, person_ref, birth_date, service_date, parts, created_at, expires_at)
                VALUES (@CheckId, @ParticipantId, @InstitutionCode, @PersonKey, @PersonRef, @BirthDate, @ServiceDate, @Parts, @CreatedAt, @ExpiresAt)
                """,
                new
                {
                    CheckId = check.CheckId.ToString("N"),
                    check.ParticipantId,
                    check.InstitutionCode,
                    check.PersonKey,
                    check.PersonRef,
                    BirthDate = ToDayNumber(check.BirthDate),
                    ServiceDate = ToDayNumber(check.ServiceDate),
                    Parts = JsonSerializer.Serialize(check.Parts),
                    CreatedAt = check.CreatedAt.ToUnixTimeMilliseconds(),
                    ExpiresAt = check.ExpiresAt.ToUnixTimeMilliseconds(),
                },
                cancellationToken: ct)),
            cancellationToken).AsTask();

    /// <summary>The check, only if <paramref name="participantId"/> made it: a check belongs to its participant alone.</summary>
    public async Task<ReceptionCheck?> FindAsync(Guid checkId, string participantId, CancellationToken cancellationToken)
    {
        var row = await database.RunAsync(
            (connection, ct) => connection.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(
                """
                SELECT participant_id AS ParticipantId, institution_code AS InstitutionCode, person_key AS PersonKey, person_ref AS PersonRef,
                       birth_date AS BirthDate, service_date AS ServiceDate, parts AS Parts, created_at AS CreatedAt, expires_at AS ExpiresAt
                FROM reception_checks WHERE check_id = @CheckId AND participant_id = @ParticipantId
                """,
                new { CheckId = checkId.ToString("N"), ParticipantId = participantId },
                cancellationToken: ct)),
            cancellationToken).ConfigureAwait(false);
        return row is null
            ? null
            : new ReceptionCheck(
                checkId,
                row.ParticipantId,
                row.InstitutionCode,
                row.PersonKey,
                row.PersonRef,
                FromDayNumber(row.BirthDate),
                FromDayNumber(row.ServiceDate),
                JsonSerializer.Deserialize<Dictionary<string, string>>(row.Parts) ?? [],
                DateTimeOffset.FromUnixTimeMilliseconds(row.CreatedAt),
                DateTimeOffset.FromUnixTimeMilliseconds(row.ExpiresAt));
    }

    private static int ToDayNumber(DateOnly d) => (d.Year * 10000) + (d.Month * 100) + d.Day;

    private static DateOnly FromDayNumber(long n) => new((int)(n / 10000), (int)(n / 100 % 100), (int)(n % 100));

    private sealed class Row
    {
        public string ParticipantId { get; set; } = "";

        public string InstitutionCode { get; set; } = "";

        public string PersonKey { get; set; } = "";

        public string PersonRef { get; set; } = "";

        public long BirthDate { get; set; }

        public long ServiceDate { get; set; }

        public string Parts { get; set; } = "{}";

        public long CreatedAt { get; set; }

        public long ExpiresAt { get; set; }
    }
}
