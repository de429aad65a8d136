using System.Security.Cryptography;
using System.Text.Json;
using Pmh.Contracts.Audit;

namespace Pmh.Audit.Storage;

/// <summary>One stored audit entry exactly as the chain hashes it: every column of <c>audit_entries</c>.</summary>
public sealed class AuditChainEntry
{
    public long Sequence { get; set; }

    public string EventId { get; set; } = "";

    /// <summary>Unix milliseconds.</summary>
    public long OccurredAt { get; set; }

    public string ParticipantId { get; set; } = "";

    public string ParticipantName { get; set; } = "";

    public string ParticipantRole { get; set; } = "";

    public string? ParticipantCode { get; set; }

    public string? PersonKey { get; set; }

    /// <summary>The kinds as their stored JSON text.</summary>
    public string Kinds { get; set; } = "[]";

    public string Purpose { get; set; } = "";

    public string Outcome { get; set; } = "";

    public string? Detail { get; set; }

    /// <summary>Unix milliseconds.</summary>
    public long RecordedAt { get; set; }

    public string PrevHash { get; set; } = "";

    public string Hash { get; set; } = "";

    internal AuditEntry ToEntry() => new(
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
/// The audit hash chain without a database: how an entry is linked to the one before it, and how a run of entries
/// (in sequence order, from the first) is checked. <see cref="AuditStore"/> stores what this computes.
/// </summary>
public static class AuditChain
{
    /// <summary>The previous hash of the first entry.</summary>
    public const string GenesisHash = "0000000000000000000000000000000000000000000000000000000000000000";

    /// <summary>Links <paramref name="entry"/> after the entry whose hash is <paramref name="previousHash"/>: sets its previous hash and its hash, and returns the hash.</summary>
    public static string Link(string previousHash, AuditChainEntry entry)
    {
        ArgumentNullException.ThrowIfNull(previousHash);
        ArgumentNullException.ThrowIfNull(entry);
        entry.PrevHash = previousHash;
        entry.Hash = HashOf(entry);
        return entry.Hash;
    }

    /// <summary>
    /// SHA-256 (lower-case hex) of the entry's canonical form: a JSON array of the sequence, every stored field in
    /// table order (nulls as null, the kinds as their stored JSON text) and the previous hash. The stored hash itself
    /// is not part of it.
    /// </summary>
    public static string HashOf(AuditChainEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            writer.WriteNumberValue(entry.Sequence);
            writer.WriteStringValue(entry.EventId);
            writer.WriteNumberValue(entry.OccurredAt);
            writer.WriteStringValue(entry.ParticipantId);
            writer.WriteStringValue(entry.ParticipantName);
            writer.WriteStringValue(entry.ParticipantRole);
            WriteNullable(writer, entry.ParticipantCode);
            WriteNullable(writer, entry.PersonKey);
            writer.WriteStringValue(entry.Kinds);
            writer.WriteStringValue(entry.Purpose);
            writer.WriteStringValue(entry.Outcome);
            WriteNullable(writer, entry.Detail);
            writer.WriteNumberValue(entry.RecordedAt);
            writer.WriteStringValue(entry.PrevHash);
            writer.WriteEndArray();
        }

        return Convert.ToHexStringLower(SHA256.HashData(buffer.WrittenSpan));
    }

    /// <summary>
    /// Checks <paramref name="entries"/> (in sequence order, from sequence 1) and, when given, that they end where the
    /// head says the chain ends. Answers intact, or the first entry whose link does not hold and why.
    /// </summary>
    public static AuditChainVerified Verify(IEnumerable<AuditChainEntry> entries, long? headSequence = null, string? headHash = null)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var walk = new Walk();
        foreach (var entry in entries)
        {
            if (walk.Next(entry) is { } broken)
            {
                return broken;
            }
        }

        return walk.End(headSequence, headHash);
    }

    /// <summary>A verification in progress, fed one entry at a time (so a store can page through a long chain).</summary>
    public sealed class Walk
    {
        /// <summary>How many entries were looked at, the broken one included.</summary>
        public long EntriesChecked { get; private set; }

        /// <summary>The sequence of the last entry that held (0 before the first).</summary>
        public long LastSequence { get; private set; }

        /// <summary>The hash of the last entry that held (<see cref="GenesisHash"/> before the first).</summary>
        public string LastHash { get; private set; } = GenesisHash;

        /// <summary>Checks the next entry; null when its link holds, else the break.</summary>
        public AuditChainVerified? Next(AuditChainEntry entry)
        {
            ArgumentNullException.ThrowIfNull(entry);
            EntriesChecked++;
            if (entry.Sequence != LastSequence + 1)
            {
                return Broken(LastSequence + 1, AuditChainBreaks.EntryMissing);
            }

            if (entry.PrevHash != LastHash)
            {
                return Broken(entry.Sequence, AuditChainBreaks.OutOfOrder);
            }

            if (HashOf(entry) != entry.Hash)
            {
                return Broken(entry.Sequence, AuditChainBreaks.EntryChanged);
            }

            LastSequence = entry.Sequence;
            LastHash = entry.Hash;
            return null;
        }

        /// <summary>After the last entry: intact, unless the head (when given) remembers more entries or another last hash.</summary>
        public AuditChainVerified End(long? headSequence, string? headHash)
        {
            if (headSequence is { } sequence && LastSequence != sequence)
            {
                // The head remembers entries that are no longer there: the last ones were deleted.
                return Broken(LastSequence + 1, AuditChainBreaks.EntryMissing);
            }

            if (headHash is not null && LastHash != headHash)
            {
                // The last entry was rewritten consistently with itself, but not as it was appended.
                return Broken(LastSequence, AuditChainBreaks.EntryChanged);
            }

            return new AuditChainVerified { IsIntact = true, EntriesChecked = EntriesChecked };
        }

        private AuditChainVerified Broken(long sequence, string reason) =>
            new() { IsIntact = false, EntriesChecked = EntriesChecked, FirstBrokenSequence = sequence, Reason = reason };
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
}
