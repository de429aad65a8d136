namespace Pmh.Contracts.Identifiers;

/// <summary>Why a value is not a valid identifier. The reason never repeats the value itself.</summary>
public static class IdentifierErrors
{
    public const string Required = "is required";
    public const string CheckDigit = "check digit does not match";

    public static string Digits(int length) => $"must be {length} digits";
}
