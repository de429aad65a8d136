using System.Security.Cryptography;
using MassTransit;
using Pmh.Contracts.Identity;
using Pmh.Identity.Cards;
using Pmh.Identity.Storage;

namespace Pmh.Identity.Consumers;

/// <summary>Issues a challenge: 32 random bytes, single use, expiring after <see cref="IdentityOptions.ChallengeLifetime"/>.</summary>
public sealed class IssueChallengeConsumer(IdentityStore store, IdentityOptions options, TimeProvider timeProvider) : IConsumer<IssueChallenge>
{
    public async Task Consume(ConsumeContext<IssueChallenge> context)
    {
        var challenge = new StoredChallenge(
            Guid.NewGuid(),
            context.Message.ParticipantId,
            RandomNumberGenerator.GetBytes(32),
            timeProvider.GetUtcNow() + options.ChallengeLifetime,
            UsedAt: null);
        await store.SaveChallengeAsync(challenge, context.CancellationToken).ConfigureAwait(false);
        await context.RespondAsync(new ChallengeIssued
        {
            ChallengeId = challenge.ChallengeId,
            Nonce = challenge.Nonce,
            ExpiresAt = challenge.ExpiresAt,
        }).ConfigureAwait(false);
    }
}

/// <summary>Answers <see cref="VerifyCardholder"/> with <see cref="CardholderVerified"/> or <see cref="CardholderRejected"/>.</summary>
public sealed class VerifyCardholderConsumer(CardholderVerifier verifier) : IConsumer<VerifyCardholder>
{
    public async Task Consume(ConsumeContext<VerifyCardholder> context)
    {
        var verification = await verifier.VerifyAsync(context.Message, context.CancellationToken).ConfigureAwait(false);
        if (verification.Card is { } card)
        {
            await context.RespondAsync(new CardholderVerified { PersonKey = card.PersonKey, BirthDate = card.BirthDate }).ConfigureAwait(false);
        }
        else
        {
            await context.RespondAsync(new CardholderRejected { Reason = verification.Rejection! }).ConfigureAwait(false);
        }
    }
}
