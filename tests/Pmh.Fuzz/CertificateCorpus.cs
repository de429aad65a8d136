using Pmh.Identity.Simulator;

namespace Pmh.Fuzz;

/// <summary>
/// Writes the certificate corpus once (<c>--make-corpus</c>; the files are committed, so every run mutates the same
/// bytes): the trusted issuer CA (not an input) and, as inputs, a card it issued, an expired one, one from another
/// issuer, and the CA itself.
/// </summary>
internal static class CertificateCorpus
{
    public static void Write(string directory)
    {
        var epoch = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        using var ca = CardReaderSimulator.CreateIssuerCa("CN=PMH Fuzz Card Issuer CA, O=PMH Hub Fuzz, C=JP", epoch.AddYears(-1), years: 20);
        using var stranger = CardReaderSimulator.CreateIssuerCa("CN=Someone Else CA, C=JP", epoch.AddYears(-1), years: 20);
        using var card = CardReaderSimulator.IssueCard(ca, "fuzz card", epoch, epoch.AddYears(5));
        using var expired = CardReaderSimulator.IssueCard(ca, "expired card", epoch.AddYears(-1), epoch.AddDays(-1));
        using var foreign = CardReaderSimulator.IssueCard(stranger, "foreign card", epoch, epoch.AddYears(5));

        var inputs = Path.Combine(directory, "certificate");
        Directory.CreateDirectory(inputs);
        File.WriteAllBytes(Path.Combine(directory, "trusted-issuer.der"), ca.RawData);
        File.WriteAllBytes(Path.Combine(inputs, "card.der"), card.CertificateDer);
        File.WriteAllBytes(Path.Combine(inputs, "expired-card.der"), expired.CertificateDer);
        File.WriteAllBytes(Path.Combine(inputs, "foreign-card.der"), foreign.CertificateDer);
        File.WriteAllBytes(Path.Combine(inputs, "issuer-ca.der"), ca.RawData);
    }
}
