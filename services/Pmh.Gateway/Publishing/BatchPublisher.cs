using System.Text.Json;
using System.Text.RegularExpressions;
using FluentValidation;
using Microsoft.Extensions.DependencyInjection;
using Pmh.Contracts.Identifiers;
using Pmh.Gateway.Storage;
using Pmh.Modules.Batches;
using Pmh.Modules.Participants;
using Pmh.Hosting.Outbox;
using Pmh.Hosting.Privacy;
using Pmh.Hosting.Storage;

namespace Pmh.Gateway.Publishing;

public abstract record PublishOutcome
{
    /// <summary>The batch is recorded (now or by an earlier, identical submission) and on its way.</summary>
    public sealed record Accepted(BatchRecord Batch, bool IsRepeat) : PublishOutcome;

    /// <summary>Nothing could be stored; the errors name each field (<c>certificates[3].myNumber</c>) and reason.</summary>
    public sealed record Invalid(IDictionary<string, string[]> Errors) : PublishOutcome;

    /// <summary>The batch id was used before for different content.</summary>
    public sealed record Conflict(string BatchId) : PublishOutcome;
}

/// <summary>
/// Municipal batches of any kind: validates every row (refused rows are reported with index, field and reason),
/// records the batch idempotently by its id (the same content again changes nothing; other content under the same id
/// is a conflict) and sends the valid rows to the owning service in parts.
/// </summary>
public sealed partial class BatchPublisher(
    PersonKeys personKeys,
    BatchStore batches,
    [FromKeyedServices(GatewayServiceExtensions.DatabaseName)] ServiceDatabase database,
    GatewayOptions options,
    TimeProvider timeProvider,
    IServiceProvider services)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    [GeneratedRegex("^[A-Za-z0-9._-]{1,64}$")]
    private static partial Regex BatchIdPattern();

    /// <summary>A batch read whole already (tests, tools): published as a stream of its rows.</summary>
    public Task<PublishOutcome> PublishAsync<TRow, TItem>(
        IBatchKind<TRow, TItem> kind,
        Participant publisher,
        MunicipalityCode municipality,
        SubmittedBatch<TRow> submitted,
        CancellationToken cancellationToken)
        where TRow : class =>
        PublishAsync(kind, publisher, municipality, StreamedBatch<TRow>.From(submitted), null, cancellationToken);

    /// <summary>
    /// Publishes a batch as its rows are read: each row validated (and checked for a repeated key) as it comes, the
    /// valid rows converted and spooled in parts to a temporary file, the fingerprint computed as they pass. Only when
    /// the body has been read to its end is anything recorded: the batch row and its parts' commands in one
    /// transaction, read back from the spool one part at a time. A refused batch records nothing.
    /// </summary>
    /// <param name="batchId">The batch id of the query string; the body's own <c>batchId</c> wins.</param>
    public async Task<PublishOutcome> PublishAsync<TRow, TItem>(
        IBatchKind<TRow, TItem> kind,
        Participant publisher,
        MunicipalityCode municipality,
        StreamedBatch<TRow> submitted,
        string? batchId,
        CancellationToken cancellationToken)
        where TRow : class
    {
        ArgumentNullException.ThrowIfNull(kind);
        ArgumentNullException.ThrowIfNull(publisher);
        ArgumentNullException.ThrowIfNull(submitted);
        if (batchId is not null && !BatchIdPattern().IsMatch(batchId))
        {
            return Invalid("batchId", BatchIdRule);
        }

        var partRows = Math.Max(1, options.BatchPartRows);
        using var hash = personKeys.StartFingerprint();
        hash.AppendData("{\"kind\":"u8);
        hash.AppendData(JsonSerializer.SerializeToUtf8Bytes(kind.Kind, Json));
        hash.AppendData(",\"content\":["u8);
        await using var spool = new PartSpool<TItem>();
        var rejections = new List<RowRejection>();
        var seen = new Dictionary<UInt128, int>();
        var chunk = new List<(int Index, TItem Item)>(partRows);
        var rowCount = 0;
        var validCount = 0;

        async Task FlushAsync()
        {
            if (chunk.Count == 0)
            {
                return;
            }

            var unresolved = await kind.CheckReferencesAsync(services, municipality, chunk, cancellationToken).ConfigureAwait(false);
            if (unresolved.Count > 0)
            {
                var refused = unresolved.Select(r => r.Index).ToHashSet();
                chunk.RemoveAll(r => refused.Contains(r.Index));
                rejections.AddRange(unresolved);
            }

            if (chunk.Count > 0)
            {
                spool.Write(chunk, hash, first: validCount == 0);
                validCount += chunk.Count;
            }

            chunk.Clear();
        }

        await foreach (var read in submitted.Rows.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            if (++rowCount > options.MaxBatchRows)
            {
                return Invalid(kind.RowsField, $"must contain at most {options.MaxBatchRows} rows (Pmh:Gateway:MaxBatchRows); split the batch");
            }

            if (read.Unreadable is { } unreadable)
            {
                rejections.Add(unreadable);
                continue;
            }

            if (read.Row is not { } row)
            {
                continue;
            }

            var result = kind.Validator.Validate(row);
            if (!result.IsValid)
            {
                rejections.AddRange(result.Errors.Select(e => new RowRejection(read.Index, e.PropertyName, e.ErrorMessage)));
                continue;
            }

            var (field, value) = kind.UniqueKey(row);
            var key = System.IO.Hashing.XxHash128.HashToUInt128(System.Runtime.InteropServices.MemoryMarshal.AsBytes(value.AsSpan()));
            if (seen.TryGetValue(key, out var first))
            {
                rejections.Add(new RowRejection(read.Index, field, $"duplicates the {field} of row {first} in this batch"));
                continue;
            }

            seen.Add(key, read.Index);
            chunk.Add((read.Index, kind.Convert(municipality, row)));
            if (chunk.Count >= partRows)
            {
                await FlushAsync().ConfigureAwait(false);
            }
        }

        await FlushAsync().ConfigureAwait(false);
        seen.Clear();
        seen.TrimExcess();

        batchId = submitted.BodyBatchId ?? batchId;
        if (batchId is not null && !BatchIdPattern().IsMatch(batchId))
        {
            return Invalid("batchId", BatchIdRule);
        }

        if (rowCount == 0)
        {
            return Invalid(kind.RowsField, "must contain at least one row");
        }

        var sorted = rejections.OrderBy(r => r.Index).ToList();
        if (validCount == 0)
        {
            return new PublishOutcome.Invalid(sorted
                .GroupBy(r => string.IsNullOrEmpty(r.Field) ? $"{kind.RowsField}[{r.Index}]" : $"{kind.RowsField}[{r.Index}].{r.Field}")
                .ToDictionary(g => g.Key, g => g.Select(r => r.Reason).ToArray()));
        }

        hash.AppendData("],\"rejections\":"u8);
        hash.AppendData(JsonSerializer.SerializeToUtf8Bytes(sorted, Json));
        hash.AppendData("}"u8);
        var fingerprint = PersonKeys.FinishFingerprint(hash);
        var batch = new BatchRecord
        {
            MunicipalityCode = municipality.Value,
            BatchId = batchId ?? "auto-" + fingerprint[..32],
            Kind = kind.Kind,
            PublisherId = publisher.Id,
            Fingerprint = fingerprint,
            Status = BatchStatus.Accepted,
            RowCount = rowCount,
            ValidCount = validCount,
            Rejections = sorted,
            SubmittedAt = timeProvider.GetUtcNow(),
        };

        // The batch row and its parts' commands commit together (the parts in the gateway database's outbox, sent from
        // there, again after a crash). A repeat of a batch still in flight sends its parts again: services stage parts
        // idempotently and announce an applied batch again, so a repeat heals a batch whose result was lost.
        var conflict = false;
        var reopened = false;
        var (created, recorded) = await batches.TryCreateAsync(
            batch,
            async (connection, transaction, isNew, stored, ct) =>
            {
                if (!isNew && (stored.Fingerprint != fingerprint || stored.Kind != kind.Kind))
                {
                    conflict = true;
                    return;
                }

                if (stored.Status == BatchStatus.Failed)
                {
                    // Posted again after it failed (a deadline passed, or a part was dead-lettered): it is tried once
                    // more, from now; what was already staged is not staged twice.
                    await BatchStore.ReopenAsync(connection, transaction, stored, timeProvider.GetUtcNow(), ct).ConfigureAwait(false);
                    reopened = true;
                }
                else if (stored.Status != BatchStatus.Accepted)
                {
                    return;
                }

                // One part at a time from the spool: the transaction may be retried, so the spool is read from its start.
                var index = 0;
                foreach (var part in spool.ReadAll())
                {
                    await OutboxWriter.SendAsync(
                        database, connection, transaction, kind.Destination, kind.Part(stored, index++, spool.PartCount, validCount, part), ct, timeProvider: timeProvider)
                        .ConfigureAwait(false);
                }
            },
            cancellationToken).ConfigureAwait(false);
        if (conflict)
        {
            return new PublishOutcome.Conflict(batch.BatchId);
        }

        if (reopened)
        {
            recorded = await batches.GetAsync(recorded.MunicipalityCode, recorded.BatchId, cancellationToken).ConfigureAwait(false) ?? recorded;
        }

        return new PublishOutcome.Accepted(recorded, IsRepeat: !created);
    }

    private const string BatchIdRule = "must be 1 to 64 characters of letters, digits, '.', '_' and '-'";

    /// <summary>
    /// The valid rows of a batch being read, in parts, in a temporary file (deleted when disposed): written as they
    /// come, read back one part at a time. Each row is serialized once, for the spool and the fingerprint alike.
    /// </summary>
    private sealed class PartSpool<TItem> : IAsyncDisposable
    {
        private readonly FileStream _file = new(
            Path.Combine(Path.GetTempPath(), $"pmh-batch-{Guid.NewGuid():N}.spool"),
            FileMode.CreateNew,
            FileAccess.ReadWrite,
            FileShare.None,
            64 * 1024,
            FileOptions.DeleteOnClose);

        private readonly System.Buffers.ArrayBufferWriter<byte> _buffer = new(256 * 1024);

        public int PartCount { get; private set; }

        /// <summary>Writes a part; its rows go into <paramref name="hash"/> too (after a comma unless it is the <paramref name="first"/> part).</summary>
        public void Write(List<(int Index, TItem Item)> rows, System.Security.Cryptography.IncrementalHash hash, bool first)
        {
            _buffer.ResetWrittenCount();
            using (var writer = new Utf8JsonWriter(_buffer))
            {
                writer.WriteStartArray();
                writer.Flush();
                var rowsStart = _buffer.WrittenCount;
                for (var i = 0; i < rows.Count; i++)
                {
                    writer.WriteStartObject();
                    writer.WriteNumber("index", rows[i].Index);
                    writer.WritePropertyName("item");
                    JsonSerializer.Serialize(writer, rows[i].Item, Json);
                    writer.WriteEndObject();
                }

                writer.Flush();
                var content = _buffer.WrittenSpan[rowsStart..];
                if (!first)
                {
                    hash.AppendData(","u8);
                }

                hash.AppendData(content);
                writer.WriteEndArray();
            }

            Span<byte> length = stackalloc byte[4];
            System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(length, _buffer.WrittenCount);
            _file.Write(length);
            _file.Write(_buffer.WrittenSpan);
            PartCount++;
        }

        public IEnumerable<IReadOnlyList<(int Index, TItem Item)>> ReadAll()
        {
            _file.Flush();
            _file.Position = 0;
            var length = new byte[4];
            byte[] part = [];
            for (var p = 0; p < PartCount; p++)
            {
                _file.ReadExactly(length);
                var size = System.Buffers.Binary.BinaryPrimitives.ReadInt32LittleEndian(length);
                if (part.Length < size)
                {
                    part = new byte[size];
                }

                _file.ReadExactly(part, 0, size);
                var rows = JsonSerializer.Deserialize<List<SpooledRow>>(part.AsSpan(0, size), Json) ?? [];
                yield return rows.Select(r => (r.Index, r.Item)).ToList();
            }

            _file.Position = _file.Length;
        }

        public ValueTask DisposeAsync() => _file.DisposeAsync();

        private sealed record SpooledRow(int Index, TItem Item);
    }

    private static PublishOutcome.Invalid Invalid(string field, string reason) =>
        new(new Dictionary<string, string[]> { [field] = [reason] });
}
