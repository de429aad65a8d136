using System.Text.Json;
using FluentValidation;

namespace Pmh.Contracts.Validation;

/// <summary>
/// Base for the hub's validators: failures name fields by their JSON (camelCase) names, so that a problem details
/// response says <c>certificates[3].myNumber</c>, the name the caller sent.
/// </summary>
public abstract class PmhValidator<T> : AbstractValidator<T>
{
    static PmhValidator() => UseJsonNames();

    public static void UseJsonNames() =>
        ValidatorOptions.Global.PropertyNameResolver = static (_, member, _) =>
            member is null ? null : JsonNamingPolicy.CamelCase.ConvertName(member.Name);
}
