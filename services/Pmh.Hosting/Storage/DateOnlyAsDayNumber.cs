using System.Data;
using System.Globalization;
using Dapper;

namespace Pmh.Hosting.Storage;

/// <summary>
/// Stores a <see cref="DateOnly"/> as the integer yyyyMMdd (2026-04-01 → 20260401), the way every service's tables
/// keep their dates: it sorts and compares as the date does on every provider. Registered once, by
/// <see cref="ServiceDatabase"/>'s static constructor, so a store passes and reads <see cref="DateOnly"/> directly.
/// </summary>
public sealed class DateOnlyAsDayNumber : SqlMapper.TypeHandler<DateOnly>
{
    private static readonly Lazy<bool> Registration = new(() =>
    {
        // Dapper maps DateOnly to DbType.Date itself, and its own map wins over a handler: take DateOnly out of it.
        SqlMapper.RemoveTypeMap(typeof(DateOnly));
        SqlMapper.RemoveTypeMap(typeof(DateOnly?));
        SqlMapper.AddTypeHandler(new DateOnlyAsDayNumber());
        return true;
    });

    /// <summary>Registers the handler with Dapper (once, however often it is called).</summary>
    public static void Register() => _ = Registration.Value;

    /// <summary>2026-04-01 → 20260401.</summary>
    public static int ToDayNumber(DateOnly date) => (date.Year * 10000) + (date.Month * 100) + date.Day;

    /// <summary>20260401 → 2026-04-01.</summary>
    public static DateOnly FromDayNumber(long dayNumber) =>
        new((int)(dayNumber / 10000), (int)(dayNumber / 100 % 100), (int)(dayNumber % 100));

    public override void SetValue(IDbDataParameter parameter, DateOnly value)
    {
        ArgumentNullException.ThrowIfNull(parameter);
        parameter.DbType = DbType.Int32;
        parameter.Value = ToDayNumber(value);
    }

    public override DateOnly Parse(object value) => FromDayNumber(Convert.ToInt64(value, CultureInfo.InvariantCulture));
}
