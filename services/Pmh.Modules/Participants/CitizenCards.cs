using MassTransit;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Pmh.Contracts.Identity;
using Pmh.Modules.Http;

namespace Pmh.Modules.Participants;

/// <summary>
/// How a citizen proves their card without a participant key (the access log, the questionnaire): a challenge taken
/// as the participant <see cref="Participant"/>, signed by the card, verified by the identity service. One place, so
/// every citizen call refuses a card in the same words.
/// </summary>
public static class CitizenCards
{
    /// <summary>The participant id citizens' challenges are issued to and answered as.</summary>
    public const string Participant = "citizen";

    /// <summary>The verified person, or the 422 problem naming <c>certificate</c> and the identity service's reason.</summary>
    public static async Task<(CardholderVerified? Person, ProblemHttpResult? Problem)> ProveAsync(
        IRequestClient<VerifyCardholder> verifier, string challengeId, string certificate, string signature, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(verifier);
        var verified = await verifier.GetResponse<CardholderVerified, CardholderRejected>(
            new VerifyCardholder
            {
                ChallengeId = Guid.Parse(challengeId),
                ParticipantId = Participant,
                Certificate = Convert.FromBase64String(certificate),
                Signature = Convert.FromBase64String(signature),
            },
            cancellationToken).ConfigureAwait(false);
        if (verified.Is(out Response<CardholderRejected>? rejected))
        {
            var result = ApiProblems.Field(StatusCodes.Status422UnprocessableEntity, "certificate", rejected.Message.Reason, "Card not accepted");
            result.ProblemDetails.Extensions["reason"] = rejected.Message.Reason;
            return (null, result);
        }

        return verified.Is(out Response<CardholderVerified>? person)
            ? (person.Message, null)
            : throw new InvalidOperationException("The identity service answered neither verified nor rejected.");
    }
}
