using Microsoft.Extensions.Hosting;
using Pmh.Identity.Storage;

namespace Pmh.Identity;

/// <summary>Deletes challenges an hour after they expired, every few minutes, so the table stays small.</summary>
public sealed class ChallengePurger(IdentityStore store, TimeProvider timeProvider) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMinutes(5), timeProvider);
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            try
            {
                await store.PurgeChallengesAsync(timeProvider.GetUtcNow() - TimeSpan.FromHours(1), stoppingToken).ConfigureAwait(false);
            }
            catch (System.Data.Common.DbException)
            {
                // The next tick tries again; expired challenges are refused whether purged or not.
            }
        }
    }
}
