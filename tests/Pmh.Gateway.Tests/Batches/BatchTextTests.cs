using System.Text;
using Pmh.Modules.Batches;

namespace Pmh.Gateway.Tests.Batches;

public class BatchTextTests
{
    private const string Csv = "name,address\n山田 花子,東京都千代田区\n";

    static BatchTextTests() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    public static TheoryData<string, byte[]> TakenEncodings() => new()
    {
        { "UTF-8", Encoding.UTF8.GetBytes(Csv) },
        { "UTF-8 with BOM", [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes(Csv)] },
        { "UTF-16LE with BOM", [0xFF, 0xFE, .. Encoding.Unicode.GetBytes(Csv)] },
        { "UTF-16BE with BOM", [0xFE, 0xFF, .. Encoding.BigEndianUnicode.GetBytes(Csv)] },
    };

    [Theory]
    [MemberData(nameof(TakenEncodings))]
    public void Utf8_with_or_without_a_bom_and_utf16_with_a_bom_are_decoded_to_the_same_text(string encoding, byte[] body)
    {
        Assert.Equal(Csv, BatchText.Decode(body));
        Assert.NotEmpty(encoding);
    }

    [Fact]
    public void Shift_jis_is_refused_naming_the_body_the_position_and_how_to_convert_it()
    {
        var body = Encoding.GetEncoding("shift_jis").GetBytes(Csv);

        var refusal = Assert.Throws<UnsupportedBatchEncodingException>(() => BatchText.Decode(body));

        Assert.Equal("body", refusal.Field);
        Assert.StartsWith("is not valid UTF-8: byte 14 (line 2) cannot be read.", refusal.Reason, StringComparison.Ordinal);
        Assert.Contains("Shift_JIS", refusal.Reason, StringComparison.Ordinal);
        Assert.Contains("iconv -f SHIFT_JIS -t UTF-8", refusal.Reason, StringComparison.Ordinal);
        Assert.Contains("UTF-8", refusal.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void An_invalid_utf8_byte_is_refused_and_never_becomes_a_replacement_character()
    {
        byte[] body = [.. "a,b\n"u8, 0xC3, 0x28, .. "\n"u8];

        var refusal = Assert.Throws<UnsupportedBatchEncodingException>(() => BatchText.Decode(body));

        Assert.StartsWith("is not valid UTF-8: byte 5 (line 2)", refusal.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_lone_surrogate_in_utf16_is_refused()
    {
        byte[] body = [0xFF, 0xFE, (byte)'a', 0x00, 0x00, 0xD8, (byte)'b', 0x00];

        var refusal = Assert.Throws<UnsupportedBatchEncodingException>(() => BatchText.Decode(body));

        Assert.StartsWith("is not valid UTF-16LE: byte 5", refusal.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Utf16_without_a_bom_is_refused_for_its_nul_characters()
    {
        var refusal = Assert.Throws<UnsupportedBatchEncodingException>(() => BatchText.Decode(Encoding.Unicode.GetBytes("a,b\n")));

        Assert.StartsWith("contains NUL characters", refusal.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Utf32_is_refused()
    {
        Assert.StartsWith("is UTF-32", Assert.Throws<UnsupportedBatchEncodingException>(() => BatchText.Decode([0xFF, 0xFE, 0x00, 0x00, 0x61, 0, 0, 0])).Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("utf-8")]
    [InlineData("UTF-8")]
    [InlineData("\"utf-8\"")]
    [InlineData("utf-16")]
    public void A_utf8_or_utf16_charset_or_none_is_taken(string? charset)
    {
        BatchText.CheckCharset(charset);
    }

    [Theory]
    [InlineData("shift_jis")]
    [InlineData("windows-31j")]
    [InlineData("iso-8859-1")]
    [InlineData("utf-32")]
    public void Any_other_charset_is_refused_naming_the_content_type(string charset)
    {
        var refusal = Assert.Throws<UnsupportedBatchEncodingException>(() => BatchText.CheckCharset(charset));

        Assert.Equal("Content-Type", refusal.Field);
        Assert.StartsWith($"charset must be utf-8 or utf-16, not '{charset}'", refusal.Reason, StringComparison.Ordinal);
        Assert.Contains("iconv -f SHIFT_JIS -t UTF-8", refusal.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Json_that_is_not_utf8_is_refused_naming_the_body()
    {
        var body = Encoding.GetEncoding("shift_jis").GetBytes("""{"certificates":[{"name":"山田"}]}""");

        var refusal = Assert.Throws<UnsupportedBatchEncodingException>(() => BatchReader.ReadJson<object>(body, "certificates"));

        Assert.Equal("body", refusal.Field);
        Assert.StartsWith("is not valid UTF-8: byte 27 (line 1)", refusal.Reason, StringComparison.Ordinal);
    }
}
