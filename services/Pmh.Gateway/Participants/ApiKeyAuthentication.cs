using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Pmh.Gateway.Participants;

/// <summary>
/// <c>Authorization: Bearer &lt;key&gt;</c>, as the real registration API's bearer authentication. The key is hashed
/// and looked up; the principal carries the participant's id, role and code.
/// </summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    ParticipantDirectory directory) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? header = Request.Headers.Authorization;
        if (string.IsNullOrEmpty(header))
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) || header.Length <= "Bearer ".Length)
        {
            return Task.FromResult(AuthenticateResult.Fail("The Authorization header must be 'Bearer <key>'."));
        }

        var participant = directory.FindByKey(header["Bearer ".Length..].Trim());
        if (participant is null)
        {
            return Task.FromResult(AuthenticateResult.Fail("Unknown API key."));
        }

        var identity = new ClaimsIdentity(
            [
                new Claim(Participant.IdClaim, participant.Id),
                new Claim(ClaimTypes.Name, participant.Name),
                new Claim(ClaimTypes.Role, participant.Role.ToString()),
                new Claim(Participant.CodeClaim, participant.Code),
            ],
            SchemeName);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.Headers.WWWAuthenticate = "Bearer";
        return base.HandleChallengeAsync(properties);
    }
}
