using System.Globalization;

namespace Pmh.Hosting.Storage;

/// <summary>Reading values whose CLR type differs by provider (SQLite keeps timestamps as text).</summary>
public static class DbValues
{
    public static DateTimeOffset? ToDateTimeOffset(object? value) => value switch
    {
        null or DBNull => null,
        DateTimeOffset dto => dto,
        DateTime dt => new DateTimeOffset(DateTime.SpecifyKind(dt, DateTimeKind.Utc)),
        string s => DateTimeOffset.Parse(s, CultureInfo.InvariantCulture),
        _ => throw new InvalidOperationException($"Unexpected timestamp type {value.GetType()}"),
    };
}
