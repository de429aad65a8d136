using System.Globalization;
using System.Text.RegularExpressions;
using Pmh.Contracts.Identifiers;

namespace Pmh.Testing.Logs;

/// <summary>What a log line must never hold, and where a scan found it.</summary>
public enum PersonalDataKind
{
    MyNumber,
    Name,
    BirthDate,
    ApiKey,
    Certificate,
}

public sealed record PersonalDataFinding(PersonalDataKind Kind, string Value, string Line);

/// <summary>
/// Scans log lines for personal data and secrets: any run of 12 digits that is a valid My Number (check digit),
/// or one of the given numbers (a My Number with a wrong check digit is still someone's), the given names and birth dates, the given API keys, and certificate bodies (base64 DER of a certificate,
/// <c>MII…</c>, or a PEM block). JSON-escaped text (<c>\u5C71</c>) is read as the characters it stands for.
/// </summary>
public sealed partial class PersonalDataScanner(
    IEnumerable<string> names, IEnumerable<string> birthDates, IEnumerable<string> apiKeys, IEnumerable<string>? knownNumbers = null)
{
    private readonly HashSet<string> _knownNumbers = new(knownNumbers ?? [], StringComparer.Ordinal);
    private readonly List<string> _names = names.Where(n => n.Length > 0).Distinct(StringComparer.Ordinal).ToList();
    private readonly List<string> _birthDates = birthDates.Distinct(StringComparer.Ordinal).ToList();
    private readonly List<string> _apiKeys = apiKeys.Distinct(StringComparer.Ordinal).ToList();

    public IReadOnlyList<PersonalDataFinding> Scan(IEnumerable<string> lines)
    {
        ArgumentNullException.ThrowIfNull(lines);
        var findings = new List<PersonalDataFinding>();
        foreach (var raw in lines)
        {
            var line = Unescape(raw);
            foreach (Match digits in TwelveDigits().Matches(line))
            {
                if (_knownNumbers.Contains(digits.Value) || MyNumber.TryParse(digits.Value, out _, out _))
                {
                    findings.Add(new(PersonalDataKind.MyNumber, digits.Value, raw));
                }
            }

            findings.AddRange(_names.Where(n => line.Contains(n, StringComparison.Ordinal)).Select(n => new PersonalDataFinding(PersonalDataKind.Name, n, raw)));
            // Also the name without its space (山田 花子 / 山田花子).
            findings.AddRange(_names.Where(n => n.Contains(' ', StringComparison.Ordinal) && line.Contains(n.Replace(" ", "", StringComparison.Ordinal), StringComparison.Ordinal))
                .Select(n => new PersonalDataFinding(PersonalDataKind.Name, n, raw)));
            findings.AddRange(_birthDates.Where(d => line.Contains(d, StringComparison.Ordinal)).Select(d => new PersonalDataFinding(PersonalDataKind.BirthDate, d, raw)));
            findings.AddRange(_apiKeys.Where(k => line.Contains(k, StringComparison.Ordinal)).Select(k => new PersonalDataFinding(PersonalDataKind.ApiKey, k, raw)));
            foreach (Match body in CertificateBody().Matches(line))
            {
                findings.Add(new(PersonalDataKind.Certificate, body.Value[..Math.Min(40, body.Value.Length)], raw));
            }
        }

        return findings;
    }

    private static string Unescape(string line) =>
        JsonEscape().Replace(line, m => ((char)int.Parse(m.Groups[1].Value, NumberStyles.HexNumber, CultureInfo.InvariantCulture)).ToString());

    [GeneratedRegex(@"(?<![0-9])[0-9]{12}(?![0-9])")]
    private static partial Regex TwelveDigits();

    /// <summary>Base64 of a DER certificate or key (a SEQUENCE with a two-byte length: <c>MII</c>), 64 characters or more, or a PEM armour line.</summary>
    [GeneratedRegex(@"MII[A-Za-z0-9+/]{61,}|-----BEGIN [A-Z ]+-----")]
    private static partial Regex CertificateBody();

    [GeneratedRegex(@"\\u([0-9A-Fa-f]{4})")]
    private static partial Regex JsonEscape();
}
