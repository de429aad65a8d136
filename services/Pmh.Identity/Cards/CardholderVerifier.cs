using Pmh.Contracts.Identity;
using Pmh.Identity.Storage;

namespace Pmh.Identity.Cards;

/// <summary>The answer of a verification: the registered card, or one rejection reason.</summary>
public sealed record Verification(RegisteredCard? Card, string? Rejection);

/// <summary>
/// Proves a cardholder: the certificate chains to a trusted issuer and is within its validity, is not revoked and is
/// registered; the challenge is the presenter's own, unexpired and unused; the signature over its nonce verifies.
/// The challenge is consumed by the successful verification (and burnt by a bad signature), in one statement, so a
/// nonce is never accepted twice.
/// </summary>
public sealed class CardholderVerifier(CertificateChecker checker, IdentityStore store, TimeProvider timeProvider)
{
    public async Task<Verification> VerifyAsync(VerifyCardholder request, CancellationToken cancellationToken)
    {
        if (request.Signature.Length == 0 || request.Certificate.Length == 0)
        {
            return Rejected(CardRejectionReasons.Malformed);
        }

        var now = timeProvider.GetUtcNow();
        var check = checker.Check(request.Certificate, now);
        if (check.Rejection is not null)
        {
            return Rejected(check.Rejection);
        }

        var facts = check.Facts!;
        if (await store.IsRevokedAsync(facts.Issuer, facts.SerialNumber, cancellationToken).ConfigureAwait(false))
        {
            return Rejected(CardRejectionReasons.Revoked);
        }

        var card = await store.FindCardAsync(facts.Thumbprint, cancellationToken).ConfigureAwait(false);
        if (card is null)
        {
            return Rejected(CardRejectionReasons.UnregisteredCard);
        }

        var challenge = await store.FindChallengeAsync(request.ChallengeId, cancellationToken).ConfigureAwait(false);
        // A challenge of another participant is treated as unknown: a desk cannot answer someone else's nonce.
        if (challenge is null || challenge.ParticipantId != request.ParticipantId || challenge.ExpiresAt <= now)
        {
            return Rejected(CardRejectionReasons.ChallengeExpired);
        }

        if (challenge.UsedAt is not null)
        {
            return Rejected(CardRejectionReasons.ChallengeReused);
        }

        if (!facts.PublicKey.Verifies(challenge.Nonce, request.Signature))
        {
            await store.TryConsumeChallengeAsync(request.ChallengeId, now, cancellationToken).ConfigureAwait(false);
            return Rejected(CardRejectionReasons.BadSignature);
        }

        if (!await store.TryConsumeChallengeAsync(request.ChallengeId, now, cancellationToken).ConfigureAwait(false))
        {
            // Someone used it between our read and now (or it expired in that instant).
            return Rejected(CardRejectionReasons.ChallengeReused);
        }

        return new Verification(card, null);
    }

    private static Verification Rejected(string reason) => new(null, reason);
}
