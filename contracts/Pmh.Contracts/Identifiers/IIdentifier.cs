namespace Pmh.Contracts.Identifiers;

/// <summary>An identifier parsed once at the boundary. <c>TryParse</c> reports why a value was refused.</summary>
public interface IIdentifier<TSelf> where TSelf : struct, IIdentifier<TSelf>
{
    static abstract bool TryParse(string? value, out TSelf result, out string? error);
}

public static class Identifier
{
    public static TId Parse<TId>(string? value) where TId : struct, IIdentifier<TId> =>
        TId.TryParse(value, out var result, out var error)
            ? result
            : throw new FormatException($"{typeof(TId).Name} {error}");
}
