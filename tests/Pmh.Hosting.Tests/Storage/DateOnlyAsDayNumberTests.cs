using Dapper;
using Microsoft.Data.Sqlite;
using Pmh.Hosting.Storage;

namespace Pmh.Hosting.Tests.Storage;

public class DateOnlyAsDayNumberTests
{
    [Theory]
    [InlineData(2026, 4, 1, 20260401)]
    [InlineData(1999, 12, 31, 19991231)]
    [InlineData(2000, 2, 29, 20000229)]
    public void A_date_is_the_integer_yyyyMMdd_both_ways(int year, int month, int day, int dayNumber)
    {
        Assert.Equal(dayNumber, DateOnlyAsDayNumber.ToDayNumber(new DateOnly(year, month, day)));
        Assert.Equal(new DateOnly(year, month, day), DateOnlyAsDayNumber.FromDayNumber(dayNumber));
    }

    [Fact]
    public async Task Dapper_writes_a_date_parameter_as_yyyyMMdd_and_reads_it_back_as_a_date()
    {
        DateOnlyAsDayNumber.Register();
        await using var connection = new SqliteConnection("Data Source=:memory:");
        await connection.OpenAsync();
        await connection.ExecuteAsync("CREATE TABLE t (d INTEGER NULL)");

        await connection.ExecuteAsync("INSERT INTO t (d) VALUES (@D)", new { D = new DateOnly(2026, 4, 1) });
        await connection.ExecuteAsync("INSERT INTO t (d) VALUES (@D)", new { D = (DateOnly?)null });

        Assert.Equal([20260401L], await connection.QueryAsync<long>("SELECT d FROM t WHERE d IS NOT NULL"));
        Assert.Equal([new DateOnly(2026, 4, 1)], await connection.QueryAsync<DateOnly>("SELECT d FROM t WHERE d IS NOT NULL"));
        Assert.Equal([(DateOnly?)new DateOnly(2026, 4, 1), null], (await connection.QueryAsync<Row>("SELECT d AS D FROM t ORDER BY d DESC")).Select(r => r.D));
    }

    private sealed class Row
    {
        public DateOnly? D { get; set; }
    }
}
