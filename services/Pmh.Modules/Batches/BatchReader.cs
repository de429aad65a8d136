using System.Text.Json;

namespace Pmh.Modules.Batches;

/// <summary>The rows of a submitted batch, before validation, with rows that could not even be read.</summary>
public sealed record SubmittedBatch<TRow>(string? BatchId, IReadOnlyList<TRow?> Rows, IReadOnlyList<RowRejection> Unreadable)
    where TRow : class;

/// <summary>
/// A body that is not a batch at all (malformed JSON, missing CSV columns): a 400 naming the field (a 415 when it is
/// an <see cref="UnsupportedBatchEncodingException"/>).
/// </summary>
public class MalformedBatchException(string field, string reason) : Exception($"{field}: {reason}")
{
    public string Field { get; } = field;

    public string Reason { get; } = reason;
}

/// <summary>
/// Reads a municipal batch as JSON: <c>{batchId, &lt;rows&gt;: [...]}</c> or a bare array of rows (as the real
/// registration API takes it). Every scalar of a row is read as text, so a bad value is reported by the validator
/// with its field rather than failing the whole document.
/// </summary>
public static class BatchReader
{
    private static readonly JsonSerializerOptions RowJson = new(JsonSerializerDefaults.Web)
    {
        Converters = { new LenientStringConverter() },
    };

    public static SubmittedBatch<TRow> ReadJson<TRow>(ReadOnlyMemory<byte> body, string rowsField)
        where TRow : class
    {
        BatchText.RequireUtf8(body.Span);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 16 });
        }
        catch (JsonException e)
        {
            throw new MalformedBatchException("body", $"is not valid JSON (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1})");
        }

        using (document)
        {
            var root = document.RootElement;
            string? batchId = null;
            JsonElement rows;
            switch (root.ValueKind)
            {
                case JsonValueKind.Array:
                    rows = root;
                    break;
                case JsonValueKind.Object:
                    if (root.TryGetProperty("batchId", out var id))
                    {
                        batchId = id.ValueKind == JsonValueKind.String
                            ? id.GetString()
                            : throw new MalformedBatchException("batchId", "must be a string");
                    }

                    if (!root.TryGetProperty(rowsField, out rows) || rows.ValueKind != JsonValueKind.Array)
                    {
                        throw new MalformedBatchException(rowsField, "is required as an array of rows");
                    }

                    break;
                default:
                    throw new MalformedBatchException("body", $"must be an object {{batchId, {rowsField}}} or an array of rows");
            }

            var result = new List<TRow?>(rows.GetArrayLength());
            var unreadable = new List<RowRejection>();
            foreach (var element in rows.EnumerateArray())
            {
                var index = result.Count;
                if (element.ValueKind != JsonValueKind.Object)
                {
                    unreadable.Add(new RowRejection(index, "", "must be an object"));
                    result.Add(null);
                    continue;
                }

                try
                {
                    result.Add(element.Deserialize<TRow>(RowJson));
                }
                catch (JsonException e)
                {
                    unreadable.Add(new RowRejection(index, FieldOf(e.Path), "has the wrong type"));
                    result.Add(null);
                }
            }

            return new SubmittedBatch<TRow>(batchId, result, unreadable);
        }
    }

    private static string FieldOf(string? jsonPath) =>
        string.IsNullOrEmpty(jsonPath) ? "" : jsonPath.TrimStart('$').TrimStart('.');
}
