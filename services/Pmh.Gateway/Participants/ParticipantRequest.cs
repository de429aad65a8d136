using FluentValidation;
using Pmh.Contracts.Identifiers;
using Pmh.Contracts.Validation;

namespace Pmh.Gateway.Participants;

/// <summary>
/// The body of <c>POST /api/v1/participants</c>: every field as text, so that a wrong value is refused naming its
/// field. The role is given by name, as configuration names it (<c>"Municipality"</c>, <c>"Pharmacy"</c>, …).
/// </summary>
public sealed class ParticipantRequest
{
    public string? Id { get; set; }

    /// <summary>The participant's display name; the id when absent.</summary>
    public string? Name { get; set; }

    /// <summary>One of <see cref="ParticipantRequestValidator.RoleNames"/>.</summary>
    public string? Role { get; set; }

    /// <summary>The municipality code (6 digits), the medical institution or pharmacy code (10 digits), or for a card
    /// issuer or the operator an optional label.</summary>
    public string? Code { get; set; }

    /// <summary>The participant this request describes, once <see cref="ParticipantRequestValidator"/> accepted it.</summary>
    public Participant ToParticipant() =>
        new(Id!, string.IsNullOrEmpty(Name) ? Id! : Name, ParticipantRequestValidator.ParseRole(Role)!.Value, Code ?? "");
}

/// <summary>
/// What a participant may be: an id of 1 to 64 letters, digits, '.', '_' and '-'; a name of at most 200 characters
/// with no control characters; a defined role by name (numbers are refused: they are no name, and 99 names nothing);
/// and the code of its role — a municipality's 6-digit code, a medical institution's 10-digit code with fee table 1
/// or 3, a pharmacy's with fee table 4 — or, for a card issuer or the operator, an optional label like an id.
/// </summary>
public sealed class ParticipantRequestValidator : PmhValidator<ParticipantRequest>
{
    public const int MaxNameLength = 200;

    public static readonly IReadOnlyList<string> RoleNames = Enum.GetNames<ParticipantRole>();

    private const string IdPattern = "^[A-Za-z0-9._-]{1,64}$";

    public ParticipantRequestValidator()
    {
        RuleFor(r => r.Id).NotEmpty().WithMessage(IdentifierErrors.Required)
            .Matches(IdPattern).WithMessage("must be 1 to 64 characters of letters, digits, '.', '_' and '-'");
        RuleFor(r => r.Name).Must(n => n!.Length <= MaxNameLength).When(r => r.Name is not null)
            .WithMessage($"must be at most {MaxNameLength} characters");
        RuleFor(r => r.Name).Must(n => !n!.Any(char.IsControl)).When(r => r.Name is not null)
            .WithMessage("must not contain control characters");
        RuleFor(r => r.Role).Must(r => ParseRole(r) is not null)
            .WithMessage($"is required as one of {string.Join(", ", RoleNames)}");
        RuleFor(r => r.Code).Custom((code, context) =>
        {
            if (CodeProblem(ParseRole(context.InstanceToValidate.Role), code) is { } problem)
            {
                context.AddFailure(problem);
            }
        });
    }

    /// <summary>The role a name gives (letters only, any case), or null: numbers and unknown names give none.</summary>
    public static ParticipantRole? ParseRole(string? name) =>
        name is { Length: > 0 and <= 32 } && name.All(char.IsAsciiLetter) && Enum.TryParse<ParticipantRole>(name, ignoreCase: true, out var role)
            ? role
            : null;

    /// <summary>Why <paramref name="code"/> is no code of <paramref name="role"/>, or null (also when the role is unknown: that is the role's error).</summary>
    public static string? CodeProblem(ParticipantRole? role, string? code) => role switch
    {
        ParticipantRole.Municipality => MunicipalityCode.TryParse(code, out _, out var e) ? null : e,
        ParticipantRole.MedicalInstitution => !MedicalInstitutionCode.TryParse(code, out var c, out var e) ? e
            : c.Kind == InstitutionKind.Pharmacy ? "must be a medical institution code (fee table 1 or 3), not a pharmacy's (4)" : null,
        ParticipantRole.Pharmacy => !MedicalInstitutionCode.TryParse(code, out var c, out var e) ? e
            : c.Kind != InstitutionKind.Pharmacy ? "must be a pharmacy code (fee table 4 as its third digit)" : null,
        ParticipantRole.CardIssuer or ParticipantRole.Operator =>
            string.IsNullOrEmpty(code) || System.Text.RegularExpressions.Regex.IsMatch(code, IdPattern) ? null
                : "must be empty or 1 to 64 characters of letters, digits, '.', '_' and '-'",
        _ => null,
    };
}
