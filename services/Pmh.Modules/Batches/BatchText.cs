using System.Text;

namespace Pmh.Modules.Batches;

/// <summary>
/// A body in an encoding the hub does not read (Shift_JIS, invalid UTF-8, UTF-32, a <c>charset</c> other than UTF-8
/// or UTF-16): a 415 naming <see cref="MalformedBatchException.Field"/> (<c>body</c> or <c>Content-Type</c>).
/// </summary>
public sealed class UnsupportedBatchEncodingException(string field, string reason) : MalformedBatchException(field, reason);

/// <summary>
/// The one decoder of municipal batch text (every kind's CSV reader; the JSON reader's UTF-8 check): UTF-8 with or
/// without a byte order mark, or UTF-16 (little or big endian) with one. Decoding is strict: an invalid byte is refused
/// with its position, never turned into U+FFFD.
/// </summary>
public static class BatchText
{
    /// <summary>What to send instead, in every refusal: the encodings taken and how to convert what municipal systems export.</summary>
    public const string Advice =
        "Send UTF-8 (with or without a byte order mark) or UTF-16 with a byte order mark. Shift_JIS, which many municipal " +
        "systems export, must be converted to UTF-8 first, e.g. iconv -f SHIFT_JIS -t UTF-8 in.csv > out.csv " +
        "(-f CP932 for files from Windows).";

    private static readonly Encoding StrictUtf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
    private static readonly Encoding StrictUtf16Le = new UnicodeEncoding(bigEndian: false, byteOrderMark: false, throwOnInvalidBytes: true);
    private static readonly Encoding StrictUtf16Be = new UnicodeEncoding(bigEndian: true, byteOrderMark: false, throwOnInvalidBytes: true);

    /// <summary>The <c>charset</c> values of a text upload's Content-Type that are taken (the byte order mark decides between UTF-16's two orders).</summary>
    public static readonly IReadOnlySet<string> Charsets = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "utf-8", "utf8", "utf-16", "utf-16le", "utf-16be" };

    /// <summary>
    /// Refuses a <c>charset</c> parameter other than UTF-8 or UTF-16 (none at all is taken: the bytes decide).
    /// </summary>
    /// <exception cref="UnsupportedBatchEncodingException">naming <c>Content-Type</c>.</exception>
    public static void CheckCharset(string? charset)
    {
        var name = charset?.Trim().Trim('"');
        if (!string.IsNullOrEmpty(name) && !Charsets.Contains(name))
        {
            throw new UnsupportedBatchEncodingException("Content-Type", $"charset must be utf-8 or utf-16, not '{Printable(name)}'. {Advice}");
        }
    }

    /// <summary>The text of a body (its byte order mark, if any, removed).</summary>
    /// <exception cref="UnsupportedBatchEncodingException">naming <c>body</c>, with the first bad byte's position.</exception>
    public static string Decode(ReadOnlySpan<byte> body)
    {
        if (body.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE, 0x00, 0x00]) || body.StartsWith((ReadOnlySpan<byte>)[0x00, 0x00, 0xFE, 0xFF]))
        {
            throw new UnsupportedBatchEncodingException("body", $"is UTF-32, which is not taken. {Advice}");
        }

        var (encoding, name, skip) = body switch
        {
            [0xEF, 0xBB, 0xBF, ..] => (StrictUtf8, "UTF-8", 3),
            [0xFF, 0xFE, ..] => (StrictUtf16Le, "UTF-16LE", 2),
            [0xFE, 0xFF, ..] => (StrictUtf16Be, "UTF-16BE", 2),
            _ => (StrictUtf8, "UTF-8", 0),
        };

        string text;
        try
        {
            text = encoding.GetString(body[skip..]);
        }
        catch (DecoderFallbackException e)
        {
            // UTF-8's decoder names the bad byte itself; UTF-16's names where it noticed, so its bad unit is found here.
            var at = skip + (skip == 2 ? FirstInvalidUtf16(body[skip..], bigEndian: body[0] == 0xFE) : Math.Max(0, e.Index));
            var where = skip == 0 ? $"byte {at + 1} (line {Line(body, at)})" : $"byte {at + 1}";
            throw new UnsupportedBatchEncodingException("body", $"is not valid {name}: {where} cannot be read. {Advice}");
        }

        if (text.Contains('\0', StringComparison.Ordinal))
        {
            // Valid UTF-8 in the bytes' sense, but text with NULs is UTF-16 that came without its byte order mark.
            throw new UnsupportedBatchEncodingException("body", $"contains NUL characters (UTF-16 without a byte order mark?). {Advice}");
        }

        return text;
    }

    /// <summary>Refuses a JSON body that is not UTF-8 (JSON is UTF-8, RFC 8259), naming the first bad byte.</summary>
    /// <exception cref="UnsupportedBatchEncodingException">naming <c>body</c>.</exception>
    public static void RequireUtf8(ReadOnlySpan<byte> body)
    {
        if (System.Text.Unicode.Utf8.IsValid(body))
        {
            return;
        }

        try
        {
            _ = StrictUtf8.GetCharCount(body);
        }
        catch (DecoderFallbackException e)
        {
            var at = Math.Max(0, e.Index);
            throw new UnsupportedBatchEncodingException("body", $"is not valid UTF-8: byte {at + 1} (line {Line(body, at)}) cannot be read. {Advice}");
        }

        throw new UnsupportedBatchEncodingException("body", $"is not valid UTF-8. {Advice}");
    }

    /// <summary>The byte offset of the first unpaired surrogate (or odd last byte) in UTF-16 code units.</summary>
    private static int FirstInvalidUtf16(ReadOnlySpan<byte> units, bool bigEndian)
    {
        var i = 0;
        for (; i + 1 < units.Length; i += 2)
        {
            var unit = bigEndian ? (units[i] << 8) | units[i + 1] : units[i] | (units[i + 1] << 8);
            if (unit is >= 0xDC00 and <= 0xDFFF)
            {
                return i;
            }

            if (unit is >= 0xD800 and <= 0xDBFF)
            {
                if (i + 3 >= units.Length)
                {
                    return i;
                }

                var next = bigEndian ? (units[i + 2] << 8) | units[i + 3] : units[i + 2] | (units[i + 3] << 8);
                if (next is < 0xDC00 or > 0xDFFF)
                {
                    return i;
                }

                i += 2;
            }
        }

        return i;
    }

    private static int Line(ReadOnlySpan<byte> body, int offset) => body[..Math.Min(offset, body.Length)].Count((byte)'\n') + 1;

    /// <summary>A charset name as the client sent it, cut short and without control characters, for a message.</summary>
    private static string Printable(string value)
    {
        var cut = value.Length > 40 ? value[..40] + "…" : value;
        return new string(cut.Select(c => char.IsControl(c) ? '?' : c).ToArray());
    }
}
