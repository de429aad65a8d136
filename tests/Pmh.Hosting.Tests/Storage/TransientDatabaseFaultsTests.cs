using Microsoft.Data.Sqlite;
using Pmh.Hosting.Storage;

namespace Pmh.Hosting.Tests.Storage;

public class TransientDatabaseFaultsTests
{
    [Fact]
    public void A_busy_or_locked_SQLite_database_is_transient()
    {
        Assert.True(TransientDatabaseFaults.IsTransient(new SqliteException("busy", 5)));
        Assert.True(TransientDatabaseFaults.IsTransient(new SqliteException("locked", 6)));
    }

    [Fact]
    public void A_constraint_violation_is_not_transient()
    {
        Assert.False(TransientDatabaseFaults.IsTransient(new SqliteException("constraint", 19)));
    }

    [Fact]
    public async Task The_pipeline_runs_a_unit_again_after_a_transient_fault_but_not_after_a_permanent_one()
    {
        var pipeline = TransientDatabaseFaults.CreatePipeline(TimeProvider.System);
        var attempts = 0;

        var result = await pipeline.ExecuteAsync(_ => ++attempts < 3 ? throw new SqliteException("busy", 5) : ValueTask.FromResult(attempts));

        Assert.Equal(3, result);

        attempts = 0;
        await Assert.ThrowsAsync<SqliteException>(async () =>
            await pipeline.ExecuteAsync(_ => { attempts++; throw new SqliteException("constraint", 19); }));
        Assert.Equal(1, attempts);
    }
}
