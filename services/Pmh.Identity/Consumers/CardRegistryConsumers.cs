using System.Security.Cryptography.X509Certificates;
using MassTransit;
using Pmh.Contracts.Identity;
using Pmh.Identity.Cards;
using Pmh.Identity.Storage;

namespace Pmh.Identity.Consumers;

/// <summary>
/// Registers a card's authentication certificate to a person: it must chain to a trusted issuer and be within its
/// validity; a certificate is registered once.
/// </summary>
public sealed class RegisterCardConsumer(CertificateChecker checker, IdentityStore store, TimeProvider timeProvider) : IConsumer<RegisterCard>
{
    public async Task Consume(ConsumeContext<RegisterCard> context)
    {
        var now = timeProvider.GetUtcNow();
        var check = checker.Check(context.Message.Certificate, now);
        if (check.Rejection is not null)
        {
            await context.RespondAsync(new CardRegistrationRefused { Reason = check.Rejection }).ConfigureAwait(false);
            return;
        }

        var facts = check.Facts!;
        var registered = await store.TryRegisterAsync(
            facts.Thumbprint, facts.Issuer, facts.SerialNumber, context.Message.PersonKey, context.Message.BirthDate, facts.ValidTo, now,
            context.CancellationToken).ConfigureAwait(false);
        if (!registered)
        {
            await context.RespondAsync(new CardRegistrationRefused { Reason = CardRegistrationRefused.AlreadyRegistered }).ConfigureAwait(false);
            return;
        }

        await context.RespondAsync(new CardRegistered { Issuer = facts.Issuer, SerialNumber = facts.SerialNumber, NotAfter = facts.ValidTo })
            .ConfigureAwait(false);
    }
}

/// <summary>Revokes a card by issuer and serial number, or by its certificate; revoking twice is the same as once.</summary>
public sealed class RevokeCardConsumer(IdentityStore store, TimeProvider timeProvider) : IConsumer<RevokeCard>
{
    public async Task Consume(ConsumeContext<RevokeCard> context)
    {
        string issuer;
        string serial;
        if (context.Message.Certificate is { Length: > 0 } der)
        {
            using var certificate = X509CertificateLoader.LoadCertificate(der);
            (issuer, serial) = CertificateChecker.IssuerAndSerial(certificate);
        }
        else
        {
            issuer = CertificateChecker.NormalizeIssuer(context.Message.Issuer ?? "") ?? throw new ArgumentException("issuer is not a distinguished name");
            serial = CertificateChecker.NormalizeSerial(context.Message.SerialNumber ?? "");
        }

        var wasRegistered = await store.RevokeAsync(issuer, serial, timeProvider.GetUtcNow(), context.CancellationToken).ConfigureAwait(false);
        await context.RespondAsync(new CardRevoked { Issuer = issuer, SerialNumber = serial, WasRegistered = wasRegistered }).ConfigureAwait(false);
    }
}
