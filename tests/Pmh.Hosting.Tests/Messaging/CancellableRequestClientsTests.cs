using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Pmh.Hosting.Messaging;

namespace Pmh.Hosting.Tests.Messaging;

public class CancellableRequestClientsTests
{
    public sealed record Ping(string Text);

    public sealed record Pong(string Text);

    [Fact]
    public async Task A_request_whose_send_hangs_is_given_up_the_moment_its_token_is_cancelled()
    {
        // MassTransit's response task awaits the send before it looks at the token; this inner client behaves so.
        var services = new ServiceCollection();
        services.AddScoped(typeof(IRequestClient<>), typeof(SendNeverEnds<>));
        services.AddCancellableRequestClients();
        await using var provider = services.BuildServiceProvider();
        await using var scope = provider.CreateAsyncScope();
        var client = scope.ServiceProvider.GetRequiredService<IRequestClient<Ping>>();
        using var deadline = new CancellationTokenSource();

        var single = client.GetResponse<Pong>(new Ping("a"), deadline.Token);
        var either = client.GetResponse<Pong, Ping>(new Ping("b"), deadline.Token);
        Assert.False(single.IsCompleted);
        await deadline.CancelAsync();

        // Cancelled as the token is, not when the send ends (it never does).
        Assert.True(single.IsCanceled);
        Assert.True(either.IsCanceled);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => single);
    }

    [Fact]
    public void The_hub_bus_resolves_the_cancellable_client_wrapping_MassTransits_own()
    {
        var builder = HostBuilders.With("Production", ("Pmh:HubSecret", HostBuilders.Secret), ("Pmh:Bus:Transport", "RabbitMq"),
            ("ConnectionStrings:RabbitMq", "amqp://guest:guest@127.0.0.1:5673/"));

        builder.AddPmhHub(ServiceSelection.Parse("subsidy", ["gateway", "subsidy"])).AddPmhBus();

        var registration = Assert.Single(builder.Services, d => d.ServiceType == typeof(IRequestClient<>));
        Assert.Equal(typeof(CancellableRequestClient<>), registration.ImplementationType);
        var inner = Assert.Single(builder.Services, d => d.ServiceType == typeof(InnerRequestClientType)).ImplementationInstance;
        Assert.Equal("MassTransit", ((InnerRequestClientType)inner!).OpenGeneric.Assembly.GetName().Name);
    }

    private sealed class SendNeverEnds<TRequest> : IRequestClient<TRequest>
        where TRequest : class
    {
        private static readonly TaskCompletionSource Never = new();

        public RequestHandle<TRequest> Create(TRequest message, CancellationToken cancellationToken = default, RequestTimeout timeout = default) => throw new NotSupportedException();

        public RequestHandle<TRequest> Create(object values, CancellationToken cancellationToken = default, RequestTimeout timeout = default) => throw new NotSupportedException();

        public Task<Response<T>> GetResponse<T>(TRequest message, CancellationToken cancellationToken = default, RequestTimeout timeout = default)
            where T : class => Hang<Response<T>>();

        public Task<Response<T>> GetResponse<T>(TRequest message, RequestPipeConfiguratorCallback<TRequest> callback, CancellationToken cancellationToken = default, RequestTimeout timeout = default)
            where T : class => Hang<Response<T>>();

        public Task<Response<T>> GetResponse<T>(object values, CancellationToken cancellationToken = default, RequestTimeout timeout = default)
            where T : class => Hang<Response<T>>();

        public Task<Response<T>> GetResponse<T>(object values, RequestPipeConfiguratorCallback<TRequest> callback, CancellationToken cancellationToken = default, RequestTimeout timeout = default)
            where T : class => Hang<Response<T>>();

        public Task<Response<T1, T2>> GetResponse<T1, T2>(TRequest message, CancellationToken cancellationToken = default, RequestTimeout timeout = default)
            where T1 : class
            where T2 : class => Hang<Response<T1, T2>>();

        public Task<Response<T1, T2>> GetResponse<T1, T2>(TRequest message, RequestPipeConfiguratorCallback<TRequest> callback, CancellationToken cancellationToken = default, RequestTimeout timeout = default)
            where T1 : class
            where T2 : class => Hang<Response<T1, T2>>();

        public Task<Response<T1, T2>> GetResponse<T1, T2>(object values, CancellationToken cancellationToken = default, RequestTimeout timeout = default)
            where T1 : class
            where T2 : class => Hang<Response<T1, T2>>();

        public Task<Response<T1, T2>> GetResponse<T1, T2>(object values, RequestPipeConfiguratorCallback<TRequest> callback, CancellationToken cancellationToken = default, RequestTimeout timeout = default)
            where T1 : class
            where T2 : class => Hang<Response<T1, T2>>();

        public Task<Response<T1, T2, T3>> GetResponse<T1, T2, T3>(TRequest message, CancellationToken cancellationToken = default, RequestTimeout timeout = default)
            where T1 : class
            where T2 : class
            where T3 : class => Hang<Response<T1, T2, T3>>();

        public Task<Response<T1, T2, T3>> GetResponse<T1, T2, T3>(TRequest message, RequestPipeConfiguratorCallback<TRequest> callback, CancellationToken cancellationToken = default, RequestTimeout timeout = default)
            where T1 : class
            where T2 : class
            where T3 : class => Hang<Response<T1, T2, T3>>();

        public Task<Response<T1, T2, T3>> GetResponse<T1, T2, T3>(object values, CancellationToken cancellationToken = default, RequestTimeout timeout = default)
            where T1 : class
            where T2 : class
            where T3 : class => Hang<Response<T1, T2, T3>>();

        public Task<Response<T1, T2, T3>> GetResponse<T1, T2, T3>(object values, RequestPipeConfiguratorCallback<TRequest> callback, CancellationToken cancellationToken = default, RequestTimeout timeout = default)
            where T1 : class
            where T2 : class
            where T3 : class => Hang<Response<T1, T2, T3>>();

        private static async Task<T> Hang<T>()
        {
            await Never.Task;
            throw new InvalidOperationException("unreachable");
        }
    }
}
