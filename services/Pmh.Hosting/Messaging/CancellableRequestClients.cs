using MassTransit;
using MassTransit.Mediator;
using Microsoft.Extensions.DependencyInjection;

namespace Pmh.Hosting.Messaging;

/// <summary>
/// Makes every <see cref="IRequestClient{TRequest}"/> the hub resolves give up the moment its caller's token is
/// cancelled. MassTransit's response task first awaits the request's send and only then looks at the token; a send
/// made while the broker connection is going away can wait for the broker's return. The fault suite saw it: with
/// the broker stopped, one desk's request waited 26 s, its 2.5 s deadline and the gateway's 5 s request timeout
/// long past. With this, the caller hears "try again" at its deadline, whatever the send is doing.
/// </summary>
/// <remarks>
/// A request given up on may still be delivered once the broker is back, exactly as one whose answer came too late:
/// every request the hub makes is a query or a command idempotent by the caller's id (receipt, submission,
/// redemption), and the caller was told that nothing was done, so it asks again.
/// </remarks>
public static class CancellableRequestClients
{
    /// <summary>Wraps MassTransit's open-generic request client registration; call after <c>AddMassTransit</c>.</summary>
    public static IServiceCollection AddCancellableRequestClients(this IServiceCollection services)
    {
        var original = services.LastOrDefault(d => d.ServiceType == typeof(IRequestClient<>))
            ?? throw new InvalidOperationException("AddMassTransit registers IRequestClient<>; call AddCancellableRequestClients after it.");
        var implementation = original.ImplementationType
            ?? throw new InvalidOperationException($"IRequestClient<> is registered without an implementation type ({original}).");
        services.Remove(original);
        services.Add(new ServiceDescriptor(typeof(IRequestClient<>), typeof(CancellableRequestClient<>), original.Lifetime));
        services.AddSingleton(new InnerRequestClientType(implementation));
        return services;
    }
}

/// <summary>The type MassTransit registered for <see cref="IRequestClient{TRequest}"/> (open generic).</summary>
internal sealed record InnerRequestClientType(Type OpenGeneric);

/// <summary>
/// MassTransit's request client (the mediator's for a request answered in this process: <see cref="InProcessRequests"/>), its answers bounded by the caller's token (see <see cref="CancellableRequestClients"/>).
/// </summary>
internal sealed class CancellableRequestClient<TRequest>(IServiceProvider services, InnerRequestClientType inner) : IRequestClient<TRequest>
    where TRequest : class
{
    // One compiled factory per request type: a desk's check resolves several clients, each time.
    private static ObjectFactory? s_factory;

    private readonly IRequestClient<TRequest> _inner = services.GetService<InProcessRequestTypes>() is { } inProcess && inProcess.Answers(typeof(TRequest))
        ? services.GetRequiredService<IScopedMediator>().CreateRequestClient<TRequest>()
        : (IRequestClient<TRequest>)(s_factory ??=
            ActivatorUtilities.CreateFactory(inner.OpenGeneric.MakeGenericType(typeof(TRequest)), Type.EmptyTypes))(services, null);

    public RequestHandle<TRequest> Create(TRequest message, CancellationToken cancellationToken = default, RequestTimeout timeout = default) =>
        _inner.Create(message, cancellationToken, timeout);

    public RequestHandle<TRequest> Create(object values, CancellationToken cancellationToken = default, RequestTimeout timeout = default) =>
        _inner.Create(values, cancellationToken, timeout);

    public Task<Response<T>> GetResponse<T>(TRequest message, CancellationToken cancellationToken = default, RequestTimeout timeout = default)
        where T : class =>
        _inner.GetResponse<T>(message, cancellationToken, timeout).WaitAsync(cancellationToken);

    public Task<Response<T>> GetResponse<T>(
        TRequest message, RequestPipeConfiguratorCallback<TRequest> callback, CancellationToken cancellationToken = default, RequestTimeout timeout = default)
        where T : class =>
        _inner.GetResponse<T>(message, callback, cancellationToken, timeout).WaitAsync(cancellationToken);

    public Task<Response<T>> GetResponse<T>(object values, CancellationToken cancellationToken = default, RequestTimeout timeout = default)
        where T : class =>
        _inner.GetResponse<T>(values, cancellationToken, timeout).WaitAsync(cancellationToken);

    public Task<Response<T>> GetResponse<T>(
        object values, RequestPipeConfiguratorCallback<TRequest> callback, CancellationToken cancellationToken = default, RequestTimeout timeout = default)
        where T : class =>
        _inner.GetResponse<T>(values, callback, cancellationToken, timeout).WaitAsync(cancellationToken);

    public Task<Response<T1, T2>> GetResponse<T1, T2>(TRequest message, CancellationToken cancellationToken = default, RequestTimeout timeout = default)
        where T1 : class
        where T2 : class =>
        _inner.GetResponse<T1, T2>(message, cancellationToken, timeout).WaitAsync(cancellationToken);

    public Task<Response<T1, T2>> GetResponse<T1, T2>(
        TRequest message, RequestPipeConfiguratorCallback<TRequest> callback, CancellationToken cancellationToken = default, RequestTimeout timeout = default)
        where T1 : class
        where T2 : class =>
        _inner.GetResponse<T1, T2>(message, callback, cancellationToken, timeout).WaitAsync(cancellationToken);

    public Task<Response<T1, T2>> GetResponse<T1, T2>(object values, CancellationToken cancellationToken = default, RequestTimeout timeout = default)
        where T1 : class
        where T2 : class =>
        _inner.GetResponse<T1, T2>(values, cancellationToken, timeout).WaitAsync(cancellationToken);

    public Task<Response<T1, T2>> GetResponse<T1, T2>(
        object values, RequestPipeConfiguratorCallback<TRequest> callback, CancellationToken cancellationToken = default, RequestTimeout timeout = default)
        where T1 : class
        where T2 : class =>
        _inner.GetResponse<T1, T2>(values, callback, cancellationToken, timeout).WaitAsync(cancellationToken);

    public Task<Response<T1, T2, T3>> GetResponse<T1, T2, T3>(TRequest message, CancellationToken cancellationToken = default, RequestTimeout timeout = default)
        where T1 : class
        where T2 : class
        where T3 : class =>
        _inner.GetResponse<T1, T2, T3>(message, cancellationToken, timeout).WaitAsync(cancellationToken);

    public Task<Response<T1, T2, T3>> GetResponse<T1, T2, T3>(
        TRequest message, RequestPipeConfiguratorCallback<TRequest> callback, CancellationToken cancellationToken = default, RequestTimeout timeout = default)
        where T1 : class
        where T2 : class
        where T3 : class =>
        _inner.GetResponse<T1, T2, T3>(message, callback, cancellationToken, timeout).WaitAsync(cancellationToken);

    public Task<Response<T1, T2, T3>> GetResponse<T1, T2, T3>(object values, CancellationToken cancellationToken = default, RequestTimeout timeout = default)
        where T1 : class
        where T2 : class
        where T3 : class =>
        _inner.GetResponse<T1, T2, T3>(values, cancellationToken, timeout).WaitAsync(cancellationToken);

    public Task<Response<T1, T2, T3>> GetResponse<T1, T2, T3>(
        object values, RequestPipeConfiguratorCallback<TRequest> callback, CancellationToken cancellationToken = default, RequestTimeout timeout = default)
        where T1 : class
        where T2 : class
        where T3 : class =>
        _inner.GetResponse<T1, T2, T3>(values, callback, cancellationToken, timeout).WaitAsync(cancellationToken);
}
