using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Pmh.Contracts.Identifiers;

namespace Pmh.Hosting.Privacy;

/// <summary>
/// Turns a My Number into the hub's person key: HMAC-SHA256 under the hub secret, base64url. The key is stable for
/// the life of the secret, so every service finds the same person; without the secret it cannot be reversed
/// (the 10^11 valid My Numbers are too few to protect an unkeyed hash).
/// </summary>
public sealed class PersonKeys
{
    private const string PersonKeyDomain = "pmh-person-key-v1:";
    private const string InstitutionReferenceDomain = "pmh-institution-reference-v1:";
    private readonly byte[] _secret;

    public PersonKeys(HubSecret secret) => _secret = secret.Bytes;

    public string For(MyNumber myNumber)
    {
        if (myNumber.IsEmpty)
        {
            throw new ArgumentException("The My Number is empty.", nameof(myNumber));
        }

        return Mac(PersonKeyDomain + myNumber.RevealDigits());
    }

    /// <summary>
    /// The institution-specific person reference (機関別符号): a keyed hash of the person key and the institution
    /// code, so that two institutions cannot join their records on it, and neither can recover the person key.
    /// </summary>
    public string InstitutionReference(string personKey, string institutionCode) =>
        Mac(InstitutionReferenceDomain + personKey + ":" + institutionCode);

    /// <summary>A keyed digest of arbitrary content (batch fingerprints), under a separate domain from person keys.</summary>
    public string Fingerprint(ReadOnlySpan<byte> content)
    {
        using var hmac = StartFingerprint();
        hmac.AppendData(content);
        return FinishFingerprint(hmac);
    }

    /// <summary>
    /// The same digest as <see cref="Fingerprint"/>, of content given piece by piece (<see cref="IncrementalHash.AppendData(ReadOnlySpan{byte})"/>)
    /// and finished by <see cref="FinishFingerprint"/>: a streamed batch is fingerprinted as it is read.
    /// </summary>
    public IncrementalHash StartFingerprint()
    {
        var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, _secret);
        hmac.AppendData("pmh-fingerprint-v1:"u8);
        return hmac;
    }

    public static string FinishFingerprint(IncrementalHash hmac)
    {
        ArgumentNullException.ThrowIfNull(hmac);
        Span<byte> digest = stackalloc byte[32];
        hmac.GetHashAndReset(digest);
        return Base64Url.EncodeToString(digest);
    }

    private string Mac(string input)
    {
        Span<byte> digest = stackalloc byte[32];
        HMACSHA256.HashData(_secret, Encoding.UTF8.GetBytes(input), digest);
        return Base64Url.EncodeToString(digest);
    }
}
