using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Pmh.Testing;

/// <summary>
/// A TCP proxy on loopback in front of one server (say PostgreSQL for one service's database only), that can make
/// the server unreachable and reachable again: <see cref="Cut"/> resets every open connection and refuses new ones
/// (each is accepted and reset at once, so a client sees the connection fail straight away, as with a server that is
/// down); <see cref="Restore"/> forwards again.
/// </summary>
public sealed class FaultProxy : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly IPEndPoint _target;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<long, (TcpClient Client, TcpClient Server)> _open = new();
    private readonly Task _accepting;
    private long _next;
    private volatile bool _cut;
    private long _forwarded;
    private long _refused;
    private long _reset;

    public FaultProxy(string targetHost, int targetPort)
    {
        _target = new IPEndPoint(IPAddress.Parse(targetHost == "localhost" ? "127.0.0.1" : targetHost), targetPort);
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _accepting = AcceptAsync();
    }

    /// <summary>The loopback port clients connect to instead of the server's.</summary>
    public int Port { get; }

    public bool IsCut => _cut;

    /// <summary>Connections forwarded to the server.</summary>
    public long Forwarded => Interlocked.Read(ref _forwarded);

    /// <summary>Connections refused while cut.</summary>
    public long Refused => Interlocked.Read(ref _refused);

    /// <summary>Open connections reset by <see cref="Cut"/>.</summary>
    public long Reset => Interlocked.Read(ref _reset);

    /// <summary>The server becomes unreachable through the proxy: open connections are reset, new ones refused.</summary>
    public void Cut()
    {
        _cut = true;
        foreach (var (id, pair) in _open)
        {
            if (_open.TryRemove(id, out _))
            {
                Interlocked.Increment(ref _reset);
                Abort(pair.Client);
                Abort(pair.Server);
            }
        }
    }

    /// <summary>The server is reachable again through the proxy.</summary>
    public void Restore() => _cut = false;

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            if (_cut)
            {
                Interlocked.Increment(ref _refused);
                Abort(client);
                continue;
            }

            _ = ForwardAsync(client);
        }
    }

    private async Task ForwardAsync(TcpClient client)
    {
        var server = new TcpClient { NoDelay = true };
        client.NoDelay = true;
        try
        {
            await server.ConnectAsync(_target, _stop.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException)
        {
            Abort(client);
            server.Dispose();
            return;
        }

        var id = Interlocked.Increment(ref _next);
        _open[id] = (client, server);
        Interlocked.Increment(ref _forwarded);
        if (_cut && _open.TryRemove(id, out _))
        {
            Interlocked.Increment(ref _reset);
            Abort(client);
            Abort(server);
            return;
        }

        try
        {
            var up = CopyAsync(client.GetStream(), server.GetStream());
            var down = CopyAsync(server.GetStream(), client.GetStream());
            await Task.WhenAny(up, down).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException or SocketException)
        {
        }
        finally
        {
            if (_open.TryRemove(id, out _))
            {
                client.Dispose();
                server.Dispose();
            }
        }
    }

    private async Task CopyAsync(NetworkStream from, NetworkStream to)
    {
        try
        {
            await from.CopyToAsync(to, _stop.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or OperationCanceledException or SocketException)
        {
        }
    }

    /// <summary>Closes with a reset (RST), not an orderly FIN: the peer's next read or write fails at once.</summary>
    private static void Abort(TcpClient connection)
    {
        try
        {
            connection.Client.LingerState = new LingerOption(true, 0);
            connection.Client.Close();
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
        }

        connection.Dispose();
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _listener.Stop();
        await _accepting.ConfigureAwait(false);
        Cut();
        _stop.Dispose();
    }
}
