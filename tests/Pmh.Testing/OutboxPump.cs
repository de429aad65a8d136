using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Pmh.Hosting.Outbox;

namespace Pmh.Testing;

/// <summary>
/// Runs the outbox dispatchers of a container that no host runs (consumer tests with the MassTransit test harness):
/// what the consumers write to their outbox reaches the harness's bus as it would in the hub.
/// </summary>
public sealed class OutboxPump : IAsyncDisposable
{
    private readonly List<OutboxDispatcher> _dispatchers;

    private OutboxPump(List<OutboxDispatcher> dispatchers) => _dispatchers = dispatchers;

    public static async Task<OutboxPump> StartAsync(IServiceProvider services)
    {
        var dispatchers = services.GetServices<IHostedService>().OfType<OutboxDispatcher>().ToList();
        foreach (var dispatcher in dispatchers)
        {
            await dispatcher.StartAsync(CancellationToken.None).ConfigureAwait(false);
        }

        return new OutboxPump(dispatchers);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var dispatcher in _dispatchers)
        {
            await dispatcher.StopAsync(CancellationToken.None).ConfigureAwait(false);
            dispatcher.Dispose();
        }
    }
}
