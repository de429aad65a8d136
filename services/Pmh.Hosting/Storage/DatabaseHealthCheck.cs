using System.Data.Common;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Pmh.Hosting.Storage;

/// <summary>Ready when the database is migrated and answers a trivial query.</summary>
public sealed class DatabaseHealthCheck(ServiceDatabase database, DatabaseReadiness readiness) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!readiness.IsMigrated(database.Name))
        {
            return HealthCheckResult.Unhealthy($"{database.Name} database is not migrated yet");
        }

        try
        {
            var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
            await using (connection.ConfigureAwait(false))
            {
                var command = connection.CreateCommand();
                await using (command.ConfigureAwait(false))
                {
                    command.CommandText = "SELECT 1";
                    await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
                }
            }

            return HealthCheckResult.Healthy($"{database.Name} database ({database.Provider}) answers");
        }
        catch (DbException exception)
        {
            return HealthCheckResult.Unhealthy($"{database.Name} database ({database.Provider}) does not answer", exception);
        }
    }
}
