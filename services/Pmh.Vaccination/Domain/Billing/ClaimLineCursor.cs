using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace Pmh.Vaccination.Domain.Billing;

/// <summary>
/// Where a page of a claim's lines ends, in the claim's stable order (created, then line id): an opaque URL-safe
/// cursor for the next page. The order never changes for lines already stored, so paging loses and repeats nothing.
/// </summary>
public readonly record struct ClaimLineCursor(long CreatedAt, string LineId)
{
    /// <summary>Lines per page when the reader names no limit.</summary>
    public const int DefaultLimit = 1_000;

    /// <summary>The most lines one page carries (one bus reply, one JSON answer well inside the request timeout).</summary>
    public const int MaxLimit = 5_000;

    /// <summary>Lines of each claim that come with a month's claims when the reader names no number.</summary>
    public const int DefaultLinesPerClaim = 20;

    public const int MaxLinesPerClaim = 100;

    public override string ToString() =>
        Base64Url.EncodeToString(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{CreatedAt}:{LineId}")));

    public static ClaimLineCursor? TryParse(string? text)
    {
        if (string.IsNullOrEmpty(text) || text.Length > 400)
        {
            return null;
        }

        try
        {
            var decoded = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(text));
            var colon = decoded.IndexOf(':', StringComparison.Ordinal);
            return colon > 0 && long.TryParse(decoded.AsSpan(0, colon), NumberStyles.None, CultureInfo.InvariantCulture, out var createdAt) && colon < decoded.Length - 1
                ? new ClaimLineCursor(createdAt, decoded[(colon + 1)..])
                : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
