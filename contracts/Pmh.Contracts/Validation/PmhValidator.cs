using System.Linq.Expressions;
using System.Text.Json;
using FluentValidation;

namespace Pmh.Contracts.Validation;

/// <summary>
/// Base for the hub's validators: failures name fields by their JSON (camelCase) path, so that a problem details
/// response says <c>certificates[3].myNumber</c> or <c>maxCopaymentAmount.monthlyYen</c>, the names the caller sent.
/// </summary>
/// <remarks>
/// FluentValidation's name resolver is process-wide; every validator of the hub derives from this class, so they
/// all name fields the same way from the first one created.
/// </remarks>
public abstract class PmhValidator<T> : AbstractValidator<T>
{
    static PmhValidator() => UseJsonNames();

    public static void UseJsonNames() =>
        ValidatorOptions.Global.PropertyNameResolver = static (_, member, expression) =>
            JsonPath(expression) ?? (member is null ? null : JsonNamingPolicy.CamelCase.ConvertName(member.Name));

    /// <summary>The whole member chain of <c>r =&gt; r.A!.B</c> as <c>a.b</c>, skipping conversions.</summary>
    private static string? JsonPath(LambdaExpression? expression)
    {
        var names = new List<string>();
        var node = expression?.Body;
        while (node is not null)
        {
            switch (node)
            {
                case MemberExpression member:
                    names.Add(JsonNamingPolicy.CamelCase.ConvertName(member.Member.Name));
                    node = member.Expression;
                    break;
                case UnaryExpression { NodeType: ExpressionType.Convert or ExpressionType.ConvertChecked } conversion:
                    node = conversion.Operand;
                    break;
                default:
                    node = null;
                    break;
            }
        }

        if (names.Count == 0)
        {
            return null;
        }

        names.Reverse();
        return string.Join('.', names);
    }
}
