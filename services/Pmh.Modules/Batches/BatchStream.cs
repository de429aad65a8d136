using System.Buffers;
using System.Text;
using System.Text.Json;
using nietras.SeparatedValues;
using Pmh.Modules.Http;

namespace Pmh.Modules.Batches;

/// <summary>One row of a batch as it is read: its index (0 for the first row) and the row, or why it could not be read.</summary>
public readonly record struct RowRead<TRow>(int Index, TRow? Row, RowRejection? Unreadable)
    where TRow : class;

/// <summary>
/// A batch being read from its body, row by row: the rows in order and, once they are all read, the batch id the body
/// named (a JSON body may name it after its rows). Nothing is held but the row being read.
/// </summary>
public sealed class StreamedBatch<TRow>(IAsyncEnumerable<RowRead<TRow>> rows, Func<string?> batchId)
    where TRow : class
{
    public IAsyncEnumerable<RowRead<TRow>> Rows { get; } = rows;

    /// <summary>The batch id of the body (JSON <c>batchId</c>); asked after <see cref="Rows"/> is read to its end.</summary>
    public string? BodyBatchId => batchId();

    /// <summary>A batch already read whole (a <see cref="SubmittedBatch{TRow}"/>) as a stream.</summary>
    public static StreamedBatch<TRow> From(SubmittedBatch<TRow> submitted)
    {
        ArgumentNullException.ThrowIfNull(submitted);
        return new StreamedBatch<TRow>(Enumerate(submitted), () => submitted.BatchId);

        static async IAsyncEnumerable<RowRead<TRow>> Enumerate(SubmittedBatch<TRow> submitted)
        {
            var unreadable = submitted.Unreadable.GroupBy(u => u.Index).ToDictionary(g => g.Key, g => g.First());
            for (var i = 0; i < submitted.Rows.Count; i++)
            {
                yield return unreadable.TryGetValue(i, out var u) ? new RowRead<TRow>(i, null, u) : new RowRead<TRow>(i, submitted.Rows[i], null);
            }

            await Task.CompletedTask.ConfigureAwait(false);
        }
    }
}

/// <summary>
/// A read-only view of a request body that refuses, as it passes, bytes that are not UTF-8 (with the position of the
/// first bad byte, as <see cref="BatchText"/> reports it), NUL characters where text must not hold them, and more
/// bytes than a limit (when one is set).
/// </summary>
public sealed class Utf8CheckedStream(Stream inner, long? limit, bool refuseNul) : Stream
{
    private readonly byte[] _carry = new byte[4];
    private int _carryLength;
    private long _offset;
    private long _lines = 1;

    /// <summary>Bytes read so far.</summary>
    public long BytesRead => _offset + _carryLength;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => BytesRead; set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        int read;
        try
        {
            read = await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        }
        catch (Microsoft.AspNetCore.Http.BadHttpRequestException e) when (e.StatusCode == Microsoft.AspNetCore.Http.StatusCodes.Status413PayloadTooLarge)
        {
            throw new RequestBody.TooLargeException(limit ?? 0);
        }

        if (limit is { } max && BytesRead + read > max)
        {
            throw new RequestBody.TooLargeException(max);
        }

        Check(buffer.Span[..read], final: read == 0);
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    /// <summary>Checks what came, keeping an incomplete sequence at its end for the next read.</summary>
    private void Check(ReadOnlySpan<byte> data, bool final)
    {
        if (_carryLength > 0)
        {
            // Complete the sequence carried over from the last read (at most 3 more bytes) and check it alone.
            var need = Math.Min(data.Length, 4 - _carryLength);
            Span<byte> joined = stackalloc byte[4];
            _carry.AsSpan(0, _carryLength).CopyTo(joined);
            data[..need].CopyTo(joined[_carryLength..]);
            var status = System.Text.Rune.DecodeFromUtf8(joined[..(_carryLength + need)], out _, out var consumed);
            if (status == System.Buffers.OperationStatus.NeedMoreData && !final)
            {
                data[..need].CopyTo(_carry.AsSpan(_carryLength));
                _carryLength += need;
                return;
            }

            if (status != System.Buffers.OperationStatus.Done)
            {
                Refuse(_offset);
            }

            var fromData = consumed - _carryLength;
            _offset += consumed;
            _carryLength = 0;
            data = data[fromData..];
        }

        var end = data.Length;
        if (!final)
        {
            // Back up over an incomplete sequence at the end (at most 3 bytes) and carry it.
            var lead = end - 1;
            while (lead >= 0 && lead >= end - 3 && (data[lead] & 0xC0) == 0x80)
            {
                lead--;
            }

            if (lead >= 0 && data[lead] >= 0xC0)
            {
                var length = data[lead] >= 0xF0 ? 4 : data[lead] >= 0xE0 ? 3 : 2;
                if (end - lead < length)
                {
                    end = lead;
                }
            }
        }

        var complete = data[..end];
        if (!System.Text.Unicode.Utf8.IsValid(complete))
        {
            var at = 0;
            while (at < complete.Length && System.Text.Rune.DecodeFromUtf8(complete[at..], out _, out var consumed) == System.Buffers.OperationStatus.Done)
            {
                at += consumed;
            }

            _lines += complete[..at].Count((byte)'\n');
            Refuse(_offset + at);
        }

        if (refuseNul && complete.Contains((byte)0))
        {
            throw new UnsupportedBatchEncodingException("body", $"contains NUL characters (UTF-16 without a byte order mark?). {BatchText.Advice}");
        }

        _lines += complete.Count((byte)'\n');
        _offset += end;
        data[end..].CopyTo(_carry);
        _carryLength = data.Length - end;
    }

    private void Refuse(long at) =>
        throw new UnsupportedBatchEncodingException("body", $"is not valid UTF-8: byte {at + 1} (line {_lines}) cannot be read. {BatchText.Advice}");
}

/// <summary>
/// Reads a municipal batch as JSON from a stream with <see cref="Utf8JsonReader"/>, one row at a time:
/// <c>{batchId, &lt;rows&gt;: [...]}</c> (in either order) or a bare array of rows, as <see cref="BatchReader"/> reads a
/// whole one, with the same refusals. Only the row being read is held (a row may be up to 1 MiB).
/// </summary>
public static class StreamedJsonBatch
{
    private const int MaxRowBytes = 1 << 20;

    private static readonly JsonSerializerOptions RowJson = new(JsonSerializerDefaults.Web)
    {
        Converters = { new LenientStringConverter() },
    };

    public static StreamedBatch<TRow> Read<TRow>(Stream body, string rowsField, CancellationToken cancellationToken)
        where TRow : class
    {
        var state = new Reading<TRow>(body, rowsField);
        return new StreamedBatch<TRow>(state.RowsAsync(cancellationToken), () => state.BatchId);
    }

    private enum Phase
    {
        Root,
        Properties,
        PropertyValue,
        Rows,
        Done,
    }

    private sealed class Reading<TRow>(Stream body, string rowsField)
        where TRow : class
    {
        private byte[] _buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
        private int _start;
        private int _end;
        private bool _final;
        private bool _bom = true;
        private JsonReaderState _state = new(new JsonReaderOptions { MaxDepth = 16 });
        private Phase _phase = Phase.Root;
        private bool _bareArray;
        private bool _sawRows;
        private string? _property;
        private int _index;

        public string? BatchId { get; private set; }

        public async IAsyncEnumerable<RowRead<TRow>> RowsAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
        {
            try
            {
                var rows = new List<RowRead<TRow>>();
                while (true)
                {
                    var needMore = Parse(rows);
                    foreach (var row in rows)
                    {
                        yield return row;
                    }

                    rows.Clear();
                    if (_phase == Phase.Done && _final)
                    {
                        yield break;
                    }

                    if (needMore || _phase == Phase.Done)
                    {
                        if (_final)
                        {
                            throw Malformed(_phase == Phase.Root ? "is empty" : "ends before the JSON does");
                        }

                        await FillAsync(cancellationToken).ConfigureAwait(false);
                    }
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(_buffer);
                _buffer = [];
            }
        }

        private async Task FillAsync(CancellationToken cancellationToken)
        {
            if (_start > 0)
            {
                Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
                _end -= _start;
                _start = 0;
            }

            if (_end == _buffer.Length)
            {
                if (_buffer.Length >= MaxRowBytes * 2)
                {
                    throw new MalformedBatchException($"{rowsField}[{_index}]", $"is larger than {MaxRowBytes} bytes");
                }

                var larger = ArrayPool<byte>.Shared.Rent(_buffer.Length * 2);
                Buffer.BlockCopy(_buffer, 0, larger, 0, _end);
                ArrayPool<byte>.Shared.Return(_buffer);
                _buffer = larger;
            }

            var read = await body.ReadAsync(_buffer.AsMemory(_end), cancellationToken).ConfigureAwait(false);
            _end += read;
            _final = read == 0;
            while (_bom && !_final && _end - _start < 3)
            {
                read = await body.ReadAsync(_buffer.AsMemory(_end), cancellationToken).ConfigureAwait(false);
                _end += read;
                _final = read == 0;
            }

            if (_bom)
            {
                _bom = false;
                if (_end - _start >= 3 && _buffer.AsSpan(_start, 3).SequenceEqual("\uFEFF"u8))
                {
                    _start += 3;
                }
            }
        }

        /// <summary>Reads what the buffer holds; true when it needs more bytes to go on.</summary>
        private bool Parse(List<RowRead<TRow>> rows)
        {
            if (_end - _start == 0 && !_final)
            {
                return true;
            }

            var reader = new Utf8JsonReader(_buffer.AsSpan(_start, _end - _start), _final, _state);
            try
            {
                var more = Step(ref reader, rows);
                return more;
            }
            catch (JsonException e)
            {
                throw Malformed($"is not valid JSON (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1})");
            }
        }

        private void Commit(ref Utf8JsonReader reader)
        {
            _start += (int)reader.BytesConsumed;
            _state = reader.CurrentState;
            reader = new Utf8JsonReader(_buffer.AsSpan(_start, _end - _start), _final, _state);
        }

        private bool Step(ref Utf8JsonReader reader, List<RowRead<TRow>> rows)
        {
            while (true)
            {
                switch (_phase)
                {
                    case Phase.Root:
                        if (!reader.Read())
                        {
                            return true;
                        }

                        if (reader.TokenType == JsonTokenType.StartArray)
                        {
                            _bareArray = true;
                            _phase = Phase.Rows;
                        }
                        else if (reader.TokenType == JsonTokenType.StartObject)
                        {
                            _phase = Phase.Properties;
                        }
                        else
                        {
                            throw new MalformedBatchException("body", $"must be an object {{batchId, {rowsField}}} or an array of rows");
                        }

                        Commit(ref reader);
                        break;
                    case Phase.Properties:
                        if (!reader.Read())
                        {
                            return true;
                        }

                        if (reader.TokenType == JsonTokenType.EndObject)
                        {
                            if (!_sawRows)
                            {
                                throw new MalformedBatchException(rowsField, "is required as an array of rows");
                            }

                            _phase = Phase.Done;
                            Commit(ref reader);
                            return FinishAfterRoot();
                        }

                        _property = reader.GetString();
                        _phase = Phase.PropertyValue;
                        Commit(ref reader);
                        break;
                    case Phase.PropertyValue:
                        var before = reader;
                        if (!reader.Read())
                        {
                            return true;
                        }

                        if (_property == "batchId")
                        {
                            BatchId = reader.TokenType == JsonTokenType.String ? reader.GetString() : throw new MalformedBatchException("batchId", "must be a string");
                        }
                        else if (_property == rowsField)
                        {
                            if (reader.TokenType != JsonTokenType.StartArray)
                            {
                                throw new MalformedBatchException(rowsField, "is required as an array of rows");
                            }

                            _sawRows = true;
                            _phase = Phase.Rows;
                            Commit(ref reader);
                            break;
                        }
                        else if (reader.TokenType is (JsonTokenType.StartObject or JsonTokenType.StartArray) && !reader.TrySkip())
                        {
                            reader = before;
                            return true;
                        }

                        _phase = Phase.Properties;
                        Commit(ref reader);
                        break;
                    case Phase.Rows:
                        var atRow = reader;
                        if (!reader.Read())
                        {
                            return true;
                        }

                        if (reader.TokenType == JsonTokenType.EndArray)
                        {
                            _phase = _bareArray ? Phase.Done : Phase.Properties;
                            Commit(ref reader);
                            if (_phase == Phase.Done)
                            {
                                return FinishAfterRoot();
                            }

                            break;
                        }

                        var tokenStart = (int)reader.TokenStartIndex;
                        var isObject = reader.TokenType == JsonTokenType.StartObject;
                        if (reader.TokenType is (JsonTokenType.StartObject or JsonTokenType.StartArray) && !reader.TrySkip())
                        {
                            reader = atRow;
                            return true;
                        }

                        var index = _index++;
                        if (!isObject)
                        {
                            rows.Add(new RowRead<TRow>(index, null, new RowRejection(index, "", "must be an object")));
                        }
                        else
                        {
                            var bytes = _buffer.AsSpan(_start + tokenStart, (int)reader.BytesConsumed - tokenStart);
                            try
                            {
                                rows.Add(new RowRead<TRow>(index, JsonSerializer.Deserialize<TRow>(bytes, RowJson), null));
                            }
                            catch (JsonException e)
                            {
                                rows.Add(new RowRead<TRow>(index, null, new RowRejection(index, FieldOf(e.Path), "has the wrong type")));
                            }
                        }

                        Commit(ref reader);
                        break;
                    default:
                        return FinishAfterRoot();
                }
            }
        }

        /// <summary>After the root value only white space may follow: true while the body has not ended.</summary>
        private bool FinishAfterRoot()
        {
            var rest = _buffer.AsSpan(_start, _end - _start);
            if (rest.TrimStart(" \t\r\n"u8).Length > 0)
            {
                throw Malformed("is not valid JSON (there is more after its end)");
            }

            _start = _end;
            return !_final;
        }

        private static MalformedBatchException Malformed(string reason) => new("body", reason);

        private static string FieldOf(string? jsonPath) =>
            string.IsNullOrEmpty(jsonPath) ? "" : jsonPath.TrimStart('$').TrimStart('.');
    }
}

/// <summary>
/// How a kind reads its rows from CSV: which header columns it needs, and how one record becomes a row. The reading
/// itself (<see cref="StreamedCsvBatch"/>, Sep) is shared by every kind.
/// </summary>
public interface IBatchCsvLayout<TRow> where TRow : class
{
    /// <summary>Refuses a header that lacks a column (<see cref="MalformedBatchException"/> naming it).</summary>
    void CheckHeader(IReadOnlyList<string> header);

    TRow Read(CsvRecord record);
}

/// <summary>One CSV record by column name: a cell that is empty, or whose column the header lacks, is null.</summary>
public sealed class CsvRecord
{
    private readonly Dictionary<string, int> _columns;
    private string?[] _cells = [];

    public CsvRecord(IReadOnlyList<string> header, IEqualityComparer<string>? comparer = null)
    {
        ArgumentNullException.ThrowIfNull(header);
        _columns = new Dictionary<string, int>(comparer ?? StringComparer.Ordinal);
        for (var i = 0; i < header.Count; i++)
        {
            _columns.TryAdd(header[i], i);
        }
    }

    public string? this[string column] =>
        _columns.TryGetValue(column, out var i) && i < _cells.Length && !string.IsNullOrEmpty(_cells[i]) ? _cells[i] : null;

    internal void Set(string?[] cells) => _cells = cells;
}

/// <summary>
/// Reads CSV rows (header first) with Sep from a stream: UTF-8 (with or without a byte order mark) as it arrives;
/// UTF-16 (which needs its byte order mark) is read whole first, up to 128 MiB, by <see cref="BatchText"/>.
/// </summary>
public static class StreamedCsvBatch
{
    private const long MaxUtf16Bytes = 128L * 1024 * 1024;

    public static StreamedBatch<TRow> Read<TRow>(Stream body, long? limit, IBatchCsvLayout<TRow> layout, CancellationToken cancellationToken)
        where TRow : class
    {
        ArgumentNullException.ThrowIfNull(layout);
        return new StreamedBatch<TRow>(RowsAsync(body, limit, layout, cancellationToken), () => null);
    }

    /// <summary>A whole CSV body, read with the same layout (for callers that hold it already).</summary>
    public static SubmittedBatch<TRow> ReadWhole<TRow>(ReadOnlyMemory<byte> body, string? batchId, IBatchCsvLayout<TRow> layout)
        where TRow : class
    {
        ArgumentNullException.ThrowIfNull(layout);
        using var reader = new StringReader(BatchText.Decode(body.Span));
        return new SubmittedBatch<TRow>(batchId, ReadRecords(reader, layout).ToList(), []);
    }

    private static async IAsyncEnumerable<RowRead<TRow>> RowsAsync<TRow>(
        Stream body, long? limit, IBatchCsvLayout<TRow> layout, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
        where TRow : class
    {
        var head = new byte[4];
        var got = 0;
        int n;
        while (got < 4 && (n = await body.ReadAsync(head.AsMemory(got), cancellationToken).ConfigureAwait(false)) > 0)
        {
            got += n;
        }

        ReadOnlySpan<byte> start = head.AsSpan(0, got);
        if (start.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]) || start.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]) ||
            start.StartsWith((ReadOnlySpan<byte>)[0x00, 0x00, 0xFE, 0xFF]))
        {
            // UTF-16 (or UTF-32, which Decode refuses): rare, and read whole as before.
            using var whole = new MemoryStream();
            whole.Write(head, 0, got);
            await CopyBoundedAsync(body, whole, Math.Min(limit ?? MaxUtf16Bytes, MaxUtf16Bytes), cancellationToken).ConfigureAwait(false);
            using var text = new StringReader(BatchText.Decode(whole.GetBuffer().AsSpan(0, (int)whole.Length)));
            foreach (var row in Indexed(ReadRecords(text, layout)))
            {
                yield return row;
            }

            yield break;
        }

        var skip = start.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]) ? 3 : 0;
        var checkedBody = new Utf8CheckedStream(new PrefixedStream(head.AsMemory(skip, got - skip), body), limit, refuseNul: true);
        using var reader = new StreamReader(checkedBody, new UTF8Encoding(false), detectEncodingFromByteOrderMarks: false, bufferSize: 64 * 1024);
        using var sep = await Sep.Reader(o => o with { Sep = new Sep(','), HasHeader = false, Unescape = true, DisableColCountCheck = true })
            .FromAsync(reader, cancellationToken).ConfigureAwait(false);
        // The header is read as a record (Sep's own header refuses repeated names before a layout could say which).
        CsvRecord? record = null;
        var index = 0;
        await foreach (var row in sep.ConfigureAwait(false))
        {
            if (RowCells(row) is not { } cells)
            {
                continue;
            }

            if (record is null)
            {
                record = Header(cells, layout);
                continue;
            }

            record.Set(cells);
            yield return new RowRead<TRow>(index++, layout.Read(record), null);
        }

        if (record is null)
        {
            Header(null, layout);
        }
    }

    private static IEnumerable<RowRead<TRow>> Indexed<TRow>(IEnumerable<TRow> rows)
        where TRow : class
    {
        var index = 0;
        foreach (var row in rows)
        {
            yield return new RowRead<TRow>(index++, row, null);
        }
    }

    private static IEnumerable<TRow> ReadRecords<TRow>(TextReader text, IBatchCsvLayout<TRow> layout)
        where TRow : class
    {
        using var sep = Sep.Reader(o => o with { Sep = new Sep(','), HasHeader = false, Unescape = true, DisableColCountCheck = true }).From(text);
        CsvRecord? record = null;
        foreach (var row in sep)
        {
            if (RowCells(row) is not { } cells)
            {
                continue;
            }

            if (record is null)
            {
                record = Header(cells, layout);
                continue;
            }

            record.Set(cells);
            yield return layout.Read(record);
        }

        if (record is null)
        {
            Header(null, layout);
        }
    }

    private static IEqualityComparer<string> RecordComparer<TRow>(IBatchCsvLayout<TRow> layout) where TRow : class =>
        layout is ICaseInsensitiveCsvLayout ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal;

    /// <summary>The header row, checked by the layout; a body without one is refused.</summary>
    private static CsvRecord Header<TRow>(string?[]? cells, IBatchCsvLayout<TRow> layout)
        where TRow : class
    {
        if (cells is null || cells.Length == 0)
        {
            throw new MalformedBatchException("body", "is empty; expected a CSV header row");
        }

        var header = cells.Select(c => c ?? "").ToList();
        layout.CheckHeader(header);
        return new CsvRecord(header, RecordComparer(layout));
    }

    /// <summary>The cells of a record; null for a blank line (skipped, as spreadsheets write them).</summary>
    private static string?[]? RowCells(nietras.SeparatedValues.SepReader.Row row)
    {
        if (row.ColCount == 1 && row[0].Span.Length == 0)
        {
            return null;
        }

        var cells = new string?[row.ColCount];
        for (var i = 0; i < cells.Length; i++)
        {
            cells[i] = row[i].ToString();
        }

        return cells;
    }

    private static async Task CopyBoundedAsync(Stream from, Stream to, long limit, CancellationToken cancellationToken)
    {
        var buffer = new byte[81920];
        int read;
        while ((read = await from.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (to.Length + read > limit)
            {
                throw new RequestBody.TooLargeException(limit);
            }

            to.Write(buffer, 0, read);
        }
    }

    /// <summary>A few bytes already read, then the rest of the stream.</summary>
    private sealed class PrefixedStream(ReadOnlyMemory<byte> prefix, Stream rest) : Stream
    {
        private ReadOnlyMemory<byte> _prefix = prefix;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (_prefix.Length == 0)
            {
                return rest.ReadAsync(buffer, cancellationToken);
            }

            var n = Math.Min(buffer.Length, _prefix.Length);
            _prefix[..n].CopyTo(buffer);
            _prefix = _prefix[n..];
            return ValueTask.FromResult(n);
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}

/// <summary>Marks a CSV layout whose header names are matched without regard to case.</summary>
public interface ICaseInsensitiveCsvLayout;
