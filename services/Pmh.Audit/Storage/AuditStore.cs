using System.Data.Common;
using System.Text.Json;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Pmh.Contracts.Audit;
using Pmh.Hosting.Outbox;
using Pmh.Hosting.Storage;

namespace Pmh.Audit.Storage;

/// <summary>Where an event landed in the chain; <see cref="IsRepeat"/> when it was already stored.</summary>
public sealed record AuditAppend(long Sequence, bool IsRepeat);

/// <summary>
/// The audit service's storage: one append-only row per <see cref="AccessRecorded"/> event, each linked to the one
/// before by hash, and a one-row head that every append locks so the chain stays linear under concurrency.
/// </summary>
public sealed class AuditStore(
    [FromKeyedServices(AuditServiceExtensions.DatabaseName)] ServiceDatabase database,
    TimeProvider timeProvider)
{
    /// <summary>The previous hash of the first entry.</summary>
    public const string GenesisHash = AuditChain.GenesisHash;

    private const int VerifyPage = 1000;

    /// <summary>
    /// Stores the event once (a redelivery answers with the sequence it already has) at the end of the chain; with
    /// <paramref name="inbound"/>, the delivery is recorded in the consumer's inbox in the same transaction.
    /// </summary>
    public async Task<AuditAppend> AppendAsync(AccessRecorded e, CancellationToken cancellationToken, InboundMessage? inbound = null)
    {
        ArgumentNullException.ThrowIfNull(e);
        var eventId = e.EventId.ToString("D");
        return await database.InTransactionAsync(
            async (connection, transaction, ct) =>
            {
                if (inbound is not null && !await Inbox.TryAcceptAsync(inbound, connection, transaction, ct, timeProvider).ConfigureAwait(false))
                {
                    return new AuditAppend(await SequenceOfAsync(connection, transaction, eventId, ct).ConfigureAwait(false) ?? 0, IsRepeat: true);
                }

                if (await SequenceOfAsync(connection, transaction, eventId, ct).ConfigureAwait(false) is { } stored)
                {
                    return new AuditAppend(stored, IsRepeat: true);
                }

                // Lock the head first: appends queue here until the one before commits (SQLite's BEGIN IMMEDIATE
                // already serialises writers; PostgreSQL and SQL Server hold the row lock to the commit).
                await connection.ExecuteAsync(new CommandDefinition(
                    "UPDATE audit_head SET last_sequence = last_sequence WHERE id = 1", transaction: transaction, cancellationToken: ct)).ConfigureAwait(false);
                var head = await connection.QuerySingleAsync<HeadRow>(new CommandDefinition(
                    "SELECT last_sequence AS LastSequence, last_hash AS LastHash FROM audit_head WHERE id = 1",
                    transaction: transaction,
                    cancellationToken: ct)).ConfigureAwait(false);

                var row = new AuditChainEntry
                {
                    Sequence = head.LastSequence + 1,
                    EventId = eventId,
                    OccurredAt = e.OccurredAt.ToUnixTimeMilliseconds(),
                    ParticipantId = e.ParticipantId,
                    ParticipantName = e.ParticipantName,
                    ParticipantRole = e.ParticipantRole,
                    ParticipantCode = e.ParticipantCode,
                    PersonKey = e.PersonKey,
                    Kinds = JsonSerializer.Serialize(e.Kinds),
                    Purpose = e.Purpose,
                    Outcome = e.Outcome,
                    Detail = e.Detail,
                    RecordedAt = timeProvider.GetUtcNow().ToUnixTimeMilliseconds(),
                };
                AuditChain.Link(head.LastHash, row);

                var inserted = await connection.ExecuteAsync(new CommandDefinition(
                    database.Dialect(sqlite: InsertPortable, postgreSql: InsertPortable, sqlServer: InsertSqlServer), row, transaction, cancellationToken: ct))
                    .ConfigureAwait(false);
                if (inserted <= 0)
                {
                    // The same event committed while this append waited for the head.
                    var first = await SequenceOfAsync(connection, transaction, eventId, ct).ConfigureAwait(false);
                    return new AuditAppend(first ?? 0, IsRepeat: true);
                }

                await connection.ExecuteAsync(new CommandDefinition(
                    "UPDATE audit_head SET last_sequence = @Sequence, last_hash = @Hash WHERE id = 1",
                    new { row.Sequence, row.Hash },
                    transaction,
                    cancellationToken: ct)).ConfigureAwait(false);
                return new AuditAppend(row.Sequence, IsRepeat: false);
            },
            cancellationToken).ConfigureAwait(false);
    }

    private const string Columns = """
        sequence, event_id, occurred_at, participant_id, participant_name, participant_role, participant_code, person_key,
        kinds, purpose, outcome, detail, recorded_at, prev_hash, hash
        """;

    private const string Values = """
        @Sequence, @EventId, @OccurredAt, @ParticipantId, @ParticipantName, @ParticipantRole, @ParticipantCode, @PersonKey,
        @Kinds, @Purpose, @Outcome, @Detail, @RecordedAt, @PrevHash, @Hash
        """;

    private const string InsertPortable = $"INSERT INTO audit_entries ({Columns}) VALUES ({Values}) ON CONFLICT (event_id) DO NOTHING";

    private const string InsertSqlServer = $"""
        IF NOT EXISTS (SELECT 1 FROM audit_entries WITH (UPDLOCK, HOLDLOCK) WHERE event_id = @EventId)
        INSERT INTO audit_entries ({Columns}) VALUES ({Values})
        """;

    private const string Select = """
        SELECT sequence AS Sequence, event_id AS EventId, occurred_at AS OccurredAt, participant_id AS ParticipantId,
               participant_name AS ParticipantName, participant_role AS ParticipantRole, participant_code AS ParticipantCode,
               person_key AS PersonKey, kinds AS Kinds, purpose AS Purpose, outcome AS Outcome, detail AS Detail,
               recorded_at AS RecordedAt, prev_hash AS PrevHash, hash AS Hash
        FROM audit_entries
        """;

    private static Task<long?> SequenceOfAsync(DbConnection connection, DbTransaction transaction, string eventId, CancellationToken ct) =>
        connection.QuerySingleOrDefaultAsync<long?>(new CommandDefinition(
            "SELECT sequence FROM audit_entries WHERE event_id = @EventId", new { EventId = eventId }, transaction, cancellationToken: ct));

    /// <summary>
    /// Walks the chain from the first entry and reports the first link that does not hold. The head is read first,
    /// so appends committing meanwhile are not mistaken for a break.
    /// </summary>
    public async Task<AuditChainVerified> VerifyAsync(CancellationToken cancellationToken) =>
        await database.RunAsync(
            async (connection, ct) =>
            {
                var head = await connection.QuerySingleAsync<HeadRow>(new CommandDefinition(
                    "SELECT last_sequence AS LastSequence, last_hash AS LastHash FROM audit_head WHERE id = 1", cancellationToken: ct)).ConfigureAwait(false);
                var page = Select + " WHERE sequence > @After AND sequence <= @Last ORDER BY sequence";
                var sql = database.Dialect(
                    sqlite: page + " LIMIT @Limit",
                    postgreSql: page + " LIMIT @Limit",
                    sqlServer: page + " OFFSET 0 ROWS FETCH NEXT @Limit ROWS ONLY");

                var walk = new AuditChain.Walk();
                while (true)
                {
                    var rows = (await connection.QueryAsync<AuditChainEntry>(new CommandDefinition(
                        sql, new { After = walk.LastSequence, Last = head.LastSequence, Limit = VerifyPage }, cancellationToken: ct)).ConfigureAwait(false)).ToList();
                    foreach (var row in rows)
                    {
                        if (walk.Next(row) is { } broken)
                        {
                            return broken;
                        }
                    }

                    if (rows.Count < VerifyPage)
                    {
                        break;
                    }
                }

                return walk.End(head.LastSequence, head.LastHash);
            },
            cancellationToken).ConfigureAwait(false);

    /// <summary>The entries concerning a person, newest first.</summary>
    public async Task<IReadOnlyList<AuditEntry>> ForPersonAsync(string personKey, int limit, CancellationToken cancellationToken)
    {
        var sql = Select + " WHERE person_key = @PersonKey ORDER BY occurred_at DESC, sequence DESC";
        var rows = await database.RunAsync(
            (connection, ct) => connection.QueryAsync<AuditChainEntry>(new CommandDefinition(
                database.Dialect(sqlite: sql + " LIMIT @Limit", postgreSql: sql + " LIMIT @Limit", sqlServer: sql + " OFFSET 0 ROWS FETCH NEXT @Limit ROWS ONLY"),
                new { PersonKey = personKey, Limit = limit },
                cancellationToken: ct)),
            cancellationToken).ConfigureAwait(false);
        return rows.Select(r => r.ToEntry()).ToList();
    }

    private sealed class HeadRow
    {
        public long LastSequence { get; set; }

        public string LastHash { get; set; } = GenesisHash;
    }
}
