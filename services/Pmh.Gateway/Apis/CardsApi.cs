using System.Globalization;
using FluentValidation;
using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Pmh.Contracts.Identifiers;
using Pmh.Contracts.Identity;
using Pmh.Contracts.Validation;
using Pmh.Hosting.Privacy;

namespace Pmh.Gateway.Apis;

/// <summary>The card issuer's API: register a card's authentication certificate to a person, revoke a card.</summary>
public static class CardsApi
{
    // Validators are immutable once built, and building one compiles its rules: one of each, for every request.
    private static readonly CardRegistrationRequestValidator CardRegistrationRequestRules = new();
    private static readonly CardRevocationRequestValidator CardRevocationRequestRules = new();

    public static RouteGroupBuilder MapCardsApi(this RouteGroupBuilder api)
    {
        var cards = api.MapGroup("/cards").RequireAuthorization(GatewayPolicies.CardIssuer)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status403Forbidden);
        cards.MapPost("/", RegisterAsync).WithName("RegisterCard")
            .WithBody<CardRegistrationRequest, RouteHandlerBuilder>()
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        cards.MapPost("/revocations", RevokeAsync).WithName("RevokeCard")
            .WithBody<CardRevocationRequest, RouteHandlerBuilder>();
        return api;
    }

    private static async Task<Results<Created<RegisteredCard>, ProblemHttpResult>> RegisterAsync(
        HttpContext http, IRequestClient<RegisterCard> client, PersonKeys personKeys, TimeProvider time, CancellationToken cancellationToken)
    {
        var (request, problem) = await JsonBody.ReadValidAsync(http.Request, CardRegistrationRequestRules, "Invalid card registration", cancellationToken).ConfigureAwait(false);
        if (problem is not null)
        {
            return problem;
        }

        var birthDate = IsoDate.Parse(request!.BirthDate)!.Value;
        if (PlausibleDates.BirthDateProblem(birthDate, PlausibleDates.Today(time.GetUtcNow())) is { } implausible)
        {
            return ApiProblems.Field(StatusCodes.Status422UnprocessableEntity, "birthDate", implausible, "Implausible birth date");
        }

        // The My Number becomes the person key here; nothing of it goes further.
        var personKey = personKeys.For(MyNumber.Parse(request.MyNumber));
        var response = await client.GetResponse<CardRegistered, CardRegistrationRefused>(
            new RegisterCard
            {
                Certificate = Convert.FromBase64String(request.Certificate!),
                PersonKey = personKey,
                BirthDate = birthDate,
            },
            cancellationToken).ConfigureAwait(false);

        if (response.Is(out Response<CardRegistered>? registered))
        {
            return TypedResults.Created((string?)null, new RegisteredCard(registered.Message.Issuer, registered.Message.SerialNumber, registered.Message.NotAfter));
        }

        var reason = response.Is(out Response<CardRegistrationRefused>? refused) ? refused.Message.Reason : "unknown";
        return reason == CardRegistrationRefused.AlreadyRegistered
            ? ApiProblems.Field(StatusCodes.Status409Conflict, "certificate", "is registered already", "Card already registered")
            : ApiProblems.Field(StatusCodes.Status422UnprocessableEntity, "certificate", reason, "Certificate not accepted");
    }

    private static async Task<Results<Ok<RevokedCard>, ProblemHttpResult>> RevokeAsync(HttpContext http, IRequestClient<RevokeCard> client, CancellationToken cancellationToken)
    {
        var (request, problem) = await JsonBody.ReadValidAsync(http.Request, CardRevocationRequestRules, "Invalid card revocation", cancellationToken).ConfigureAwait(false);
        if (problem is not null)
        {
            return problem;
        }

        var response = await client.GetResponse<CardRevoked>(
            new RevokeCard
            {
                Issuer = request!.Issuer,
                SerialNumber = request.SerialNumber,
                Certificate = request.Certificate is null ? null : Convert.FromBase64String(request.Certificate),
            },
            cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(new RevokedCard(response.Message.Issuer, response.Message.SerialNumber, response.Message.WasRegistered));
    }
}

/// <summary>A card registered: its certificate's issuer, serial number and expiry.</summary>
public sealed record RegisteredCard(string Issuer, string SerialNumber, DateTimeOffset NotAfter);

/// <summary>A card revoked, and whether it had been registered at all.</summary>
public sealed record RevokedCard(string Issuer, string SerialNumber, bool WasRegistered);

public sealed class CardRegistrationRequest
{
    public string? Certificate { get; set; }

    public string? MyNumber { get; set; }

    public string? BirthDate { get; set; }
}

public sealed class CardRevocationRequest
{
    public string? Issuer { get; set; }

    public string? SerialNumber { get; set; }

    public string? Certificate { get; set; }
}

public sealed class CardRegistrationRequestValidator : PmhValidator<CardRegistrationRequest>
{
    public CardRegistrationRequestValidator()
    {
        RuleFor(r => r.Certificate).Must(CertificateRules.IsDerCertificate).WithMessage("is required as base64 of a DER X.509 certificate");
        RuleFor(r => r.MyNumber).MustBeMyNumber();
        RuleFor(r => r.BirthDate)
            .Must(v => IsoDate.IsValid(v))
            .WithMessage("is required as a date yyyy-MM-dd");
    }
}

public sealed class CardRevocationRequestValidator : PmhValidator<CardRevocationRequest>
{
    public CardRevocationRequestValidator()
    {
        RuleFor(r => r.Certificate).Must(CertificateRules.IsDerCertificate!).When(r => r.Certificate is not null)
            .WithMessage("must be base64 of a DER X.509 certificate");
        RuleFor(r => r.Issuer).NotEmpty().When(r => r.Certificate is null)
            .WithMessage("is required (with serialNumber) when no certificate is given");
        RuleFor(r => r.Issuer).Must(i => i!.Length <= 512 && !i.Any(char.IsControl) && CertificateRules.IsDistinguishedName(i))
            .When(r => r.Certificate is null && !string.IsNullOrEmpty(r.Issuer))
            .WithMessage("must be a distinguished name such as CN=Issuer CA, O=Example (at most 512 characters, no control characters)");
        RuleFor(r => r.SerialNumber).NotEmpty().Matches("^[0-9A-Fa-f: ]{1,128}$").Must(n => n is not null && n.Any(char.IsAsciiHexDigit)).When(r => r.Certificate is null)
            .WithMessage("is required as the hexadecimal serial number when no certificate is given");
    }
}

internal static class CertificateRules
{
    public static bool IsDistinguishedName(string name)
    {
        try
        {
            _ = new System.Security.Cryptography.X509Certificates.X500DistinguishedName(name);
            return true;
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return false;
        }
    }

    public static bool IsDerCertificate(string? base64)
    {
        if (string.IsNullOrEmpty(base64))
        {
            return false;
        }

        try
        {
            var der = Convert.FromBase64String(base64);
            using var certificate = System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadCertificate(der);
            return certificate.RawData.AsSpan().SequenceEqual(der); // exactly one DER certificate, nothing else

        }
        catch (Exception e) when (e is FormatException or System.Security.Cryptography.CryptographicException)
        {
            return false;
        }
    }
}
