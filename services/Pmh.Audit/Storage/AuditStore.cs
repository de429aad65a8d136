using System.Data.Common;
using System.Security.Cryptography;
using System.Text.Json;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Pmh.Contracts.Audit;
using Pmh.Hosting.Storage;

namespace Pmh.Audit.Storage;

/// <summary>Where an event landed in the chain; <see cref="IsRepeat"/> when it was already stored.</summary>
public sealed record AuditAppend(long Sequence, bool IsRepeat);

/// <summary>Why a chain does not hold, as <see cref="AuditChainVerified.Reason"/> reports it.</summary>
public static class AuditChainBreaks
{
    /// <summary>An entry's stored hash is not the hash of its stored fields.</summary>
    public const string EntryChanged = "entryChanged";

    /// <summary>A sequence number is missing, in the middle or at the end (the head remembers more than is there).</summary>
    public const string EntryMissing = "entryMissing";

    /// <summary>An entry does not link to the entry before it although the sequences are contiguous.</summary>
    public const string OutOfOrder = "outOfOrder";
}

/// <summary>
/// The audit service's storage: one append-only row per <see cref="AccessRecorded"/> event, each linked to the one
/// before by hash, and a one-row head that every append locks so the chain stays linear under concurrency.
/// </summary>
public sealed class AuditStore(
    [FromKeyedServices(AuditServiceExtensions.DatabaseName)] ServiceDatabase database,
    TimeProvider timeProvider)
{
    /// <summary>The previous hash of the first entry.</summary>
    public const string GenesisHash = "0000000000000000000000000000000000000000000000000000000000000000";

    private const int VerifyPage = 1000;

    /// <summary>Stores the event once (a redelivery answers with the sequence it already has) at the end of the chain.</summary>
    public async Task<AuditAppend> AppendAsync(AccessRecorded e, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(e);
        var eventId = e.EventId.ToString("D");
        return await database.InTransactionAsync(
            async (connection, transaction, ct) =>
            {
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

                var row = new EntryRow
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
                    PrevHash = head.LastHash,
                };
                row.Hash = HashOf(row);

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

                long checkedCount = 0;
                long previousSequence = 0;
                var previousHash = GenesisHash;
                while (true)
                {
                    var rows = (await connection.QueryAsync<EntryRow>(new CommandDefinition(
                        sql, new { After = previousSequence, Last = head.LastSequence, Limit = VerifyPage }, cancellationToken: ct)).ConfigureAwait(false)).ToList();
                    foreach (var row in rows)
                    {
                        checkedCount++;
                        if (row.Sequence != previousSequence + 1)
                        {
                            return Broken(checkedCount, previousSequence + 1, AuditChainBreaks.EntryMissing);
                        }

                        if (row.PrevHash != previousHash)
                        {
                            return Broken(checkedCount, row.Sequence, AuditChainBreaks.OutOfOrder);
                        }

                        if (HashOf(row) != row.Hash)
                        {
                            return Broken(checkedCount, row.Sequence, AuditChainBreaks.EntryChanged);
                        }

                        previousSequence = row.Sequence;
                        previousHash = row.Hash;
                    }

                    if (rows.Count < VerifyPage)
                    {
                        break;
                    }
                }

                if (previousSequence != head.LastSequence)
                {
                    // The head remembers entries that are no longer there: the last ones were deleted.
                    return Broken(checkedCount, previousSequence + 1, AuditChainBreaks.EntryMissing);
                }

                if (previousHash != head.LastHash)
                {
                    // The last entry was rewritten consistently with itself, but not as it was appended.
                    return Broken(checkedCount, previousSequence, AuditChainBreaks.EntryChanged);
                }

                return new AuditChainVerified { IsIntact = true, EntriesChecked = checkedCount };
            },
            cancellationToken).ConfigureAwait(false);

    private static AuditChainVerified Broken(long checkedCount, long sequence, string reason) =>
        new() { IsIntact = false, EntriesChecked = checkedCount, FirstBrokenSequence = sequence, Reason = reason };

    /// <summary>The entries concerning a person, newest first.</summary>
    public async Task<IReadOnlyList<AuditEntry>> ForPersonAsync(string personKey, int limit, CancellationToken cancellationToken)
    {
        var sql = Select + " WHERE person_key = @PersonKey ORDER BY occurred_at DESC, sequence DESC";
        var rows = await database.RunAsync(
            (connection, ct) => connection.QueryAsync<EntryRow>(new CommandDefinition(
                database.Dialect(sqlite: sql + " LIMIT @Limit", postgreSql: sql + " LIMIT @Limit", sqlServer: sql + " OFFSET 0 ROWS FETCH NEXT @Limit ROWS ONLY"),
                new { PersonKey = personKey, Limit = limit },
                cancellationToken: ct)),
            cancellationToken).ConfigureAwait(false);
        return rows.Select(r => r.ToEntry()).ToList();
    }

    /// <summary>
    /// SHA-256 (lower-case hex) of the entry's canonical form: a JSON array of the sequence, every stored field in
    /// table order (nulls as null, the kinds as their stored JSON text) and the previous hash.
    /// </summary>
    internal static string HashOf(EntryRow row)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            writer.WriteNumberValue(row.Sequence);
            writer.WriteStringValue(row.EventId);
            writer.WriteNumberValue(row.OccurredAt);
            writer.WriteStringValue(row.ParticipantId);
            writer.WriteStringValue(row.ParticipantName);
            writer.WriteStringValue(row.ParticipantRole);
            WriteNullable(writer, row.ParticipantCode);
            WriteNullable(writer, row.PersonKey);
            writer.WriteStringValue(row.Kinds);
            writer.WriteStringValue(row.Purpose);
            writer.WriteStringValue(row.Outcome);
            WriteNullable(writer, row.Detail);
            writer.WriteNumberValue(row.RecordedAt);
            writer.WriteStringValue(row.PrevHash);
            writer.WriteEndArray();
        }

        return Convert.ToHexStringLower(SHA256.HashData(buffer.WrittenSpan));
    }

    private static void WriteNullable(Utf8JsonWriter writer, string? value)
    {
        if (value is null)
        {
            writer.WriteNullValue();
        }
        else
        {
            writer.WriteStringValue(value);
        }
    }

    private sealed class HeadRow
    {
        public long LastSequence { get; set; }

        public string LastHash { get; set; } = GenesisHash;
    }

    internal sealed class EntryRow
    {
        public long Sequence { get; set; }

        public string EventId { get; set; } = "";

        public long OccurredAt { get; set; }

        public string ParticipantId { get; set; } = "";

        public string ParticipantName { get; set; } = "";

        public string ParticipantRole { get; set; } = "";

        public string? ParticipantCode { get; set; }

        public string? PersonKey { get; set; }

        public string Kinds { get; set; } = "[]";

        public string Purpose { get; set; } = "";

        public string Outcome { get; set; } = "";

        public string? Detail { get; set; }

        public long RecordedAt { get; set; }

        public string PrevHash { get; set; } = "";

        public string Hash { get; set; } = "";

        public AuditEntry ToEntry() => new(
            Sequence,
            Guid.Parse(EventId),
            DateTimeOffset.FromUnixTimeMilliseconds(OccurredAt),
            ParticipantId,
            ParticipantName,
            ParticipantRole,
            ParticipantCode,
            JsonSerializer.Deserialize<List<string>>(Kinds) ?? [],
            Purpose,
            Outcome,
            Detail);
    }
}
