using System.Data.Common;
using System.Text.Json;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Pmh.Contracts.Vaccination;
using Pmh.Hosting.Storage;

namespace Pmh.Vaccination.Storage;

/// <summary>Citizens' answered questionnaires (予診票): stored once, shown at reception while unexpired and unused, used by one dose.</summary>
public sealed class QuestionnaireStore([FromKeyedServices(VaccinationServiceExtensions.DatabaseName)] ServiceDatabase database)
{
    /// <summary>Stores a questionnaire; the same id again changes nothing.</summary>
    public Task StoreAsync(StoreQuestionnaire q, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(q);
        return database.InTransactionAsync(
            async (connection, transaction, ct) =>
            {
                var exists = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                    "SELECT COUNT(*) FROM vaccination_questionnaires WHERE questionnaire_id = @QuestionnaireId",
                    new { q.QuestionnaireId }, transaction, cancellationToken: ct)).ConfigureAwait(false);
                if (exists > 0)
                {
                    return 0;
                }

                return await connection.ExecuteAsync(new CommandDefinition(
                    """
                    INSERT INTO vaccination_questionnaires (questionnaire_id, person_key, vaccine, dose_number, definition_version, answered_by,
                        answers, attention, submitted_at, valid_until, used_record_id)
                    VALUES (@QuestionnaireId, @PersonKey, @Vaccine, @DoseNumber, @Definition, @AnsweredBy, @Answers, @Attention, @SubmittedAt,
                        @ValidUntil, NULL)
                    """,
                    new
                    {
                        q.QuestionnaireId,
                        q.PersonKey,
                        q.Vaccine,
                        q.DoseNumber,
                        q.Definition,
                        q.AnsweredBy,
                        Answers = JsonSerializer.Serialize(q.Answers, VaccinationStore.Json),
                        Attention = JsonSerializer.Serialize(q.Attention, VaccinationStore.Json),
                        SubmittedAt = q.SubmittedAt.ToUnixTimeMilliseconds(),
                        ValidUntil = q.ValidUntil.ToUnixTimeMilliseconds(),
                    },
                    transaction,
                    cancellationToken: ct)).ConfigureAwait(false);
            },
            cancellationToken).AsTask();
    }

    /// <summary>The person's questionnaires not used and not expired at <paramref name="now"/>, newest first.</summary>
    public async Task<IReadOnlyList<PendingQuestionnaire>> PendingAsync(string personKey, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var rows = await database.RunAsync(
            (connection, ct) => connection.QueryAsync<Row>(new CommandDefinition(
                """
                SELECT questionnaire_id AS QuestionnaireId, vaccine AS Vaccine, dose_number AS DoseNumber, definition_version AS Definition,
                       answered_by AS AnsweredBy, answers AS Answers, attention AS Attention, submitted_at AS SubmittedAt, valid_until AS ValidUntil
                FROM vaccination_questionnaires
                WHERE person_key = @PersonKey AND used_record_id IS NULL AND valid_until > @Now
                ORDER BY submitted_at DESC, questionnaire_id
                """,
                new { PersonKey = personKey, Now = now.ToUnixTimeMilliseconds() },
                cancellationToken: ct)),
            cancellationToken).ConfigureAwait(false);
        return rows.Select(r => new PendingQuestionnaire(
            r.QuestionnaireId,
            r.Vaccine,
            (int)r.DoseNumber,
            r.Definition,
            r.AnsweredBy,
            JsonSerializer.Deserialize<Dictionary<string, string>>(r.Answers, VaccinationStore.Json) ?? [],
            JsonSerializer.Deserialize<List<string>>(r.Attention, VaccinationStore.Json) ?? [],
            DateTimeOffset.FromUnixTimeMilliseconds(r.SubmittedAt),
            DateTimeOffset.FromUnixTimeMilliseconds(r.ValidUntil))).ToList();
    }

    /// <summary>
    /// Marks the questionnaire used by the dose <paramref name="recordId"/>, in the dose's transaction; why it cannot
    /// be (not the person's or unknown, another vaccine, expired, used by another dose), or null. Using it again for
    /// the same dose is fine (a repeated submission).
    /// </summary>
    public static async Task<string?> UseAsync(
        DbConnection connection, DbTransaction transaction, string questionnaireId, string personKey, string vaccine, string recordId, DateTimeOffset now,
        CancellationToken ct)
    {
        var row = await connection.QuerySingleOrDefaultAsync<UseRow>(new CommandDefinition(
            """
            SELECT person_key AS PersonKey, vaccine AS Vaccine, valid_until AS ValidUntil, used_record_id AS UsedRecordId
            FROM vaccination_questionnaires WHERE questionnaire_id = @QuestionnaireId
            """,
            new { QuestionnaireId = questionnaireId },
            transaction,
            cancellationToken: ct)).ConfigureAwait(false);
        if (row is null || !string.Equals(row.PersonKey, personKey, StringComparison.Ordinal))
        {
            return "is not a questionnaire of the checked person";
        }

        if (!string.Equals(row.Vaccine, vaccine, StringComparison.Ordinal))
        {
            return $"was answered for {row.Vaccine}, not {vaccine}";
        }

        if (row.UsedRecordId is not null)
        {
            return string.Equals(row.UsedRecordId, recordId, StringComparison.Ordinal) ? null : "was used for another dose already";
        }

        if (row.ValidUntil <= now.ToUnixTimeMilliseconds())
        {
            return $"expired at {DateTimeOffset.FromUnixTimeMilliseconds(row.ValidUntil):yyyy-MM-ddTHH:mm:ssZ}; the person answers it again";
        }

        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE vaccination_questionnaires SET used_record_id = @RecordId WHERE questionnaire_id = @QuestionnaireId",
            new { RecordId = recordId, QuestionnaireId = questionnaireId },
            transaction,
            cancellationToken: ct)).ConfigureAwait(false);
        return null;
    }

    private sealed class Row
    {
        public string QuestionnaireId { get; set; } = "";

        public string Vaccine { get; set; } = "";

        public long DoseNumber { get; set; }

        public string Definition { get; set; } = "";

        public string AnsweredBy { get; set; } = "";

        public string Answers { get; set; } = "{}";

        public string Attention { get; set; } = "[]";

        public long SubmittedAt { get; set; }

        public long ValidUntil { get; set; }
    }

    private sealed class UseRow
    {
        public string PersonKey { get; set; } = "";

        public string Vaccine { get; set; } = "";

        public long ValidUntil { get; set; }

        public string? UsedRecordId { get; set; }
    }
}
