using System.Text;
using Pmh.Modules.Batches;

namespace Pmh.Gateway.Tests.Batches;

/// <summary>The streamed readers give the same rows whatever sizes the body arrives in.</summary>
public class StreamedBatchTests
{
    public sealed class Row
    {
        public string? Key { get; set; }

        public string? Name { get; set; }
    }

    private sealed class Layout : IBatchCsvLayout<Row>
    {
        public void CheckHeader(IReadOnlyList<string> header)
        {
            if (!header.Contains("key"))
            {
                throw new MalformedBatchException("key", "column is missing from the CSV header");
            }
        }

        public Row Read(CsvRecord record) => new() { Key = record["key"], Name = record["name"] };
    }

    /// <summary>A body that arrives <paramref name="chunk"/> bytes at a time, as a slow network delivers it.</summary>
    private sealed class Trickle(byte[] body, int chunk) : MemoryStream(body)
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(buffer.Length, chunk)], cancellationToken);
    }

    private static async Task<(List<RowRead<Row>> Rows, string? BatchId)> ReadJson(string json, int chunk)
    {
        var batch = StreamedJsonBatch.Read<Row>(new Utf8CheckedStream(new Trickle(Encoding.UTF8.GetBytes(json), chunk), null, refuseNul: false), "rows", CancellationToken.None);
        var rows = new List<RowRead<Row>>();
        await foreach (var row in batch.Rows)
        {
            rows.Add(row);
        }

        return (rows, batch.BodyBatchId);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(7)]
    [InlineData(65536)]
    public async Task A_json_batch_read_a_few_bytes_at_a_time_gives_every_row_and_the_batch_id_that_follows_them(int chunk)
    {
        var json = """{ "rows": [ {"key":"k1","name":"山田 花子"}, 42, {"key":"k2","name":{"nested":1}}, {"key":"k3","extra":[1,2,{"a":"b"}]} ], "other": {"x": [1]}, "batchId": "b-7" }""";

        var (rows, batchId) = await ReadJson(json, chunk);

        Assert.Equal("b-7", batchId);
        Assert.Equal([0, 1, 2, 3], rows.Select(r => r.Index));
        Assert.Equal("山田 花子", rows[0].Row!.Name);
        Assert.Equal("must be an object", rows[1].Unreadable!.Reason);
        Assert.Equal("name", rows[2].Unreadable!.Field);
        Assert.Equal("k3", rows[3].Row!.Key);
    }

    [Fact]
    public async Task A_bare_json_array_of_rows_is_read_as_the_batch_without_an_id()
    {
        var (rows, batchId) = await ReadJson("""[{"key":"a"},{"key":"b"}]""", 2);

        Assert.Null(batchId);
        Assert.Equal(["a", "b"], rows.Select(r => r.Row!.Key));
    }

    [Theory]
    [InlineData("""{"rows": [{"key":"a"}""", "body")]
    [InlineData("""{"rows": {"key":"a"}}""", "rows")]
    [InlineData("""{"batchId": 5, "rows": []}""", "batchId")]
    [InlineData("""{"other": 1}""", "rows")]
    [InlineData("""[{"key":"a"}] x""", "body")]
    [InlineData("", "body")]
    public async Task A_json_body_that_is_not_a_batch_is_refused_naming_the_field(string json, string field)
    {
        var refusal = await Assert.ThrowsAsync<MalformedBatchException>(() => ReadJson(json, 4));

        Assert.Equal(field, refusal.Field);
    }

    [Fact]
    public async Task Invalid_utf8_split_across_reads_is_refused_with_the_position_of_the_bad_byte()
    {
        byte[] body = [.. "[{\"key\":\"あ"u8, 0xE3, 0x81, .. "\"}]"u8];
        var stream = new Utf8CheckedStream(new Trickle(body, 1), null, refuseNul: false);

        var refusal = await Assert.ThrowsAsync<UnsupportedBatchEncodingException>(async () =>
        {
            await foreach (var row in StreamedJsonBatch.Read<Row>(stream, "rows", CancellationToken.None).Rows)
            {
                Assert.NotNull(row.Row);
            }
        });

        Assert.Contains("byte 13 (line 1)", refusal.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Valid_multibyte_text_split_across_reads_passes()
    {
        var (rows, _) = await ReadJson("""[{"key":"東京都千代田区🗾"}]""", 1);

        Assert.Equal("東京都千代田区🗾", rows.Single().Row!.Key);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(5)]
    [InlineData(65536)]
    public async Task A_csv_batch_read_a_few_bytes_at_a_time_gives_every_row_with_quoted_cells(int chunk)
    {
        var csv = "\uFEFFkey,name\r\nk1,\"山田, 花子\"\r\n\r\nk2,\"say \"\"hi\"\"\"\r\nk3\r\n";
        var batch = StreamedCsvBatch.Read(new Trickle(Encoding.UTF8.GetBytes(csv), chunk), null, new Layout(), CancellationToken.None);
        var rows = new List<Row>();
        await foreach (var row in batch.Rows)
        {
            rows.Add(row.Row!);
        }

        Assert.Equal(["k1", "k2", "k3"], rows.Select(r => r.Key));
        Assert.Equal("山田, 花子", rows[0].Name);
        Assert.Equal("say \"hi\"", rows[1].Name);
        Assert.Null(rows[2].Name);
    }

    [Fact]
    public async Task A_csv_body_over_the_byte_limit_is_refused_as_too_large()
    {
        var csv = "key,name\r\n" + string.Concat(Enumerable.Range(0, 100).Select(i => $"k{i},n\r\n"));
        var batch = StreamedCsvBatch.Read(new Trickle(Encoding.UTF8.GetBytes(csv), 16), 64, new Layout(), CancellationToken.None);

        await Assert.ThrowsAsync<Pmh.Modules.Http.RequestBody.TooLargeException>(async () =>
        {
            await foreach (var row in batch.Rows)
            {
                Assert.NotNull(row.Row);
            }
        });
    }
}
