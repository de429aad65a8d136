using System.Security.Cryptography.X509Certificates;
using Pmh.Identity.Simulator;

namespace Pmh.Testing;

/// <summary>
/// A test card issuer CA and cards made with real cryptography (RSA 2048). Key generation is slow, so one CA is
/// shared by the tests of a process; every test still issues the cards it needs.
/// </summary>
public sealed class TestCards
{
    public const string IssuerName = "CN=PMH Test Card Issuer CA, O=PMH Hub Tests, C=JP";

    public static readonly DateTimeOffset Epoch = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static TestCards Shared { get; } = new(CardReaderSimulator.CreateIssuerCa(IssuerName, Epoch.AddYears(-1), years: 20));

    public TestCards(X509Certificate2 issuerCa) => IssuerCa = issuerCa;

    public X509Certificate2 IssuerCa { get; }

    /// <summary>A card valid from a year before <see cref="Epoch"/> to ten years after it (so valid "now" too).</summary>
    public SimulatedCard Issue(string holder = "test holder") =>
        CardReaderSimulator.IssueCard(IssuerCa, holder, Epoch.AddYears(-1), Epoch.AddYears(10));

    public SimulatedCard Issue(string holder, DateTimeOffset notBefore, DateTimeOffset notAfter) =>
        CardReaderSimulator.IssueCard(IssuerCa, holder, notBefore, notAfter);
}
