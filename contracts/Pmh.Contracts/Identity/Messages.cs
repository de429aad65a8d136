namespace Pmh.Contracts.Identity;

/// <summary>Why a card was not accepted: exactly one of these codes, as the desk receives it.</summary>
public static class CardRejectionReasons
{
    public const string Malformed = "malformed";

    /// <summary>A CA certificate (basicConstraints CA:TRUE), or one without keyUsage digitalSignature: not a card's.</summary>
    public const string NotACardCertificate = "notACardCertificate";
    public const string UnknownIssuer = "unknownIssuer";
    public const string Expired = "expired";
    public const string Revoked = "revoked";
    public const string UnregisteredCard = "unregisteredCard";
    public const string BadSignature = "badSignature";
    public const string ChallengeExpired = "challengeExpired";
    public const string ChallengeReused = "challengeReused";
}

/// <summary>Request: a fresh challenge (random nonce, single use, short-lived) for a participant's card reader.</summary>
public sealed record IssueChallenge
{
    public required string ParticipantId { get; init; }
}

/// <summary>Answer to <see cref="IssueChallenge"/>.</summary>
public sealed record ChallengeIssued
{
    public required Guid ChallengeId { get; init; }

    public required byte[] Nonce { get; init; }

    public required DateTimeOffset ExpiresAt { get; init; }
}

/// <summary>
/// Request: prove a cardholder. The card's authentication certificate (DER) and its RSA PKCS#1 v1.5 SHA-256
/// signature over the challenge's nonce, presented by the participant the challenge was issued to.
/// </summary>
public sealed record VerifyCardholder
{
    public required Guid ChallengeId { get; init; }

    public required string ParticipantId { get; init; }

    public required byte[] Certificate { get; init; }

    public required byte[] Signature { get; init; }
}

/// <summary>Answer to <see cref="VerifyCardholder"/>: the card is good and belongs to this person.</summary>
public sealed record CardholderVerified
{
    public required string PersonKey { get; init; }

    public required DateOnly BirthDate { get; init; }
}

/// <summary>Answer to <see cref="VerifyCardholder"/>: refused, with one of <see cref="CardRejectionReasons"/>.</summary>
public sealed record CardholderRejected
{
    public required string Reason { get; init; }
}

/// <summary>Request (card issuer): register a card's authentication certificate to a person.</summary>
public sealed record RegisterCard
{
    public required byte[] Certificate { get; init; }

    public required string PersonKey { get; init; }

    public required DateOnly BirthDate { get; init; }
}

/// <summary>Answer to <see cref="RegisterCard"/>.</summary>
public sealed record CardRegistered
{
    public required string Issuer { get; init; }

    public required string SerialNumber { get; init; }

    public required DateTimeOffset NotAfter { get; init; }
}

/// <summary>Answer to <see cref="RegisterCard"/>: refused (<c>alreadyRegistered</c>, or a card rejection reason).</summary>
public sealed record CardRegistrationRefused
{
    public const string AlreadyRegistered = "alreadyRegistered";

    public required string Reason { get; init; }
}

/// <summary>Request (card issuer): revoke a card, by issuer and serial number or by its certificate.</summary>
public sealed record RevokeCard
{
    public string? Issuer { get; init; }

    public string? SerialNumber { get; init; }

    public byte[]? Certificate { get; init; }
}

/// <summary>Answer to <see cref="RevokeCard"/>.</summary>
public sealed record CardRevoked
{
    public required string Issuer { get; init; }

    public required string SerialNumber { get; init; }

    public required bool WasRegistered { get; init; }
}
