using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace Pmh.Hosting.Messaging.DeadLetters;

/// <summary>
/// The dead letters of the distributed set-up: the <c>*_error</c> queues of the hub's vhost on RabbitMQ, where
/// MassTransit moves a message its consumer gave up on, with the <c>MT-Fault-*</c> headers.
/// The queues are found through the management plugin's HTTP API; messages are read with basic.get without ack and
/// put back (nack, requeue) unless taken. A replay publishes the original body and headers (less the fault headers,
/// plus <see cref="DeadLetterHeaders.ReplayCount"/>) to the input queue with publisher confirms, and only then acks
/// the dead letter: a crash in between leaves it in both places (at least once), never in neither.
/// </summary>
public sealed class RabbitMqDeadLetters : IDeadLetters, Telemetry.IQueueDepths, IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    private readonly Uri _amqp;
    private readonly string _vhost;
    private readonly HttpClient _management;

    /// <param name="amqp">The hub's broker, <c>amqp://user:pass@host:port/vhost</c>.</param>
    /// <param name="management">The management API, <c>http://user:pass@host:15672/</c>; without credentials, the AMQP ones.</param>
    public RabbitMqDeadLetters(Uri amqp, Uri management)
    {
        ArgumentNullException.ThrowIfNull(amqp);
        ArgumentNullException.ThrowIfNull(management);
        _amqp = amqp;
        _vhost = VirtualHostOf(amqp);
        var credentials = management.UserInfo.Length > 0 ? management.UserInfo : amqp.UserInfo.Length > 0 ? amqp.UserInfo : "guest:guest";
        _management = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
        {
            BaseAddress = new UriBuilder(management) { UserName = "", Password = "", Path = management.AbsolutePath.TrimEnd('/') + "/" }.Uri,
            Timeout = Timeout,
        };
        _management.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(
            "Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(Uri.UnescapeDataString(credentials))));
    }

    /// <summary>
    /// <c>Pmh:Bus:ManagementUrl</c> when given, else the AMQP host on port 15672 with the AMQP credentials.
    /// </summary>
    public static Uri ManagementUrlFor(Uri amqp, string? configured)
    {
        ArgumentNullException.ThrowIfNull(amqp);
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return new Uri(configured);
        }

        var scheme = amqp.Scheme.Equals("amqps", StringComparison.OrdinalIgnoreCase) ? "https" : "http";
        var credentials = amqp.UserInfo.Length > 0 ? amqp.UserInfo + "@" : "";
        return new Uri($"{scheme}://{credentials}{amqp.Host}:15672/");
    }

    /// <summary>The vhost of an AMQP URI: its path without the leading slash, <c>/</c> when empty.</summary>
    public static string VirtualHostOf(Uri amqp)
    {
        ArgumentNullException.ThrowIfNull(amqp);
        var path = Uri.UnescapeDataString(amqp.AbsolutePath);
        return path.Length <= 1 ? "/" : path[1..];
    }

    public void Dispose() => _management.Dispose();

    public Task<DeadLetterListing> ListAsync(string? queue, int limit, CancellationToken cancellationToken) =>
        GuardAsync(async () =>
        {
            var queues = await QueuesAsync(queue, cancellationToken).ConfigureAwait(false);
            await using var connection = await ConnectAsync(cancellationToken).ConfigureAwait(false);
            await using var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            var counts = new List<DeadLetterQueue>();
            var messages = new List<DeadLetter>();
            foreach (var name in queues)
            {
                var count = await CountAsync(connection, name, cancellationToken).ConfigureAwait(false);
                if (count is null)
                {
                    continue;
                }

                counts.Add(new DeadLetterQueue(name, count.Value));
                var read = 0;
                ulong last = 0;
                while (messages.Count < limit && read < count)
                {
                    var message = await channel.BasicGetAsync(name, autoAck: false, cancellationToken).ConfigureAwait(false);
                    if (message is null)
                    {
                        break;
                    }

                    read++;
                    last = message.DeliveryTag;
                    messages.Add(Describe(name, message, withHeaders: false));
                }

                if (last != 0)
                {
                    await channel.BasicNackAsync(last, multiple: true, requeue: true, cancellationToken).ConfigureAwait(false);
                }
            }

            return new DeadLetterListing(counts.Sum(c => c.Count), counts, messages);
        }, cancellationToken);

    public Task<IReadOnlyList<DeadLetter>> FindAsync(string id, string? queue, CancellationToken cancellationToken) =>
        GuardAsync<IReadOnlyList<DeadLetter>>(async () =>
        {
            var found = new List<DeadLetter>();
            await TakeAsync(queue, l => l.Id.Equals(id, StringComparison.OrdinalIgnoreCase), (_, _, letter) =>
            {
                found.Add(letter);
                return Task.FromResult(false);
            }, firstPerQueue: true, cancellationToken).ConfigureAwait(false);
            return found;
        }, cancellationToken);

    public Task<int> ReplayAsync(string id, string? queue, CancellationToken cancellationToken) =>
        GuardAsync(() => TakeAsync(queue, l => l.Id.Equals(id, StringComparison.OrdinalIgnoreCase), ReplayOneAsync, firstPerQueue: true, cancellationToken), cancellationToken);

    public Task<int> ReplayAllAsync(string? queue, CancellationToken cancellationToken) =>
        GuardAsync(() => TakeAsync(queue, _ => true, ReplayOneAsync, firstPerQueue: false, cancellationToken), cancellationToken);

    public Task<int> DiscardAsync(string id, string? queue, CancellationToken cancellationToken) =>
        GuardAsync(() => TakeAsync(queue, l => l.Id.Equals(id, StringComparison.OrdinalIgnoreCase), (_, _, _) => Task.FromResult(true), firstPerQueue: true, cancellationToken), cancellationToken);

    /// <summary>
    /// Reads every message of the error queues (or of <paramref name="queue"/>) once, as many as each held when it
    /// was counted; for each that <paramref name="match"/>es, <paramref name="take"/> says whether to ack it (taken)
    /// or leave it; with <paramref name="firstPerQueue"/>, reading a queue stops at its first match. All that is not
    /// taken is requeued. Returns how many were taken.
    /// </summary>
    private async Task<int> TakeAsync(
        string? queue,
        Func<DeadLetter, bool> match,
        Func<IChannel, BasicGetResult, DeadLetter, Task<bool>> take,
        bool firstPerQueue,
        CancellationToken cancellationToken)
    {
        var queues = await QueuesAsync(queue, cancellationToken).ConfigureAwait(false);
        await using var connection = await ConnectAsync(cancellationToken).ConfigureAwait(false);
        await using var channel = await connection.CreateChannelAsync(
            new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true),
            cancellationToken).ConfigureAwait(false);
        var taken = 0;
        foreach (var name in queues)
        {
            var count = await CountAsync(connection, name, cancellationToken).ConfigureAwait(false) ?? 0;
            var left = new List<ulong>();
            try
            {
                for (var i = 0; i < count; i++)
                {
                    var message = await channel.BasicGetAsync(name, autoAck: false, cancellationToken).ConfigureAwait(false);
                    if (message is null)
                    {
                        break;
                    }

                    var letter = Describe(name, message, withHeaders: true);
                    if (!match(letter))
                    {
                        left.Add(message.DeliveryTag);
                        continue;
                    }

                    if (await take(channel, message, letter).ConfigureAwait(false))
                    {
                        await channel.BasicAckAsync(message.DeliveryTag, multiple: false, cancellationToken).ConfigureAwait(false);
                        taken++;
                    }
                    else
                    {
                        left.Add(message.DeliveryTag);
                    }

                    if (firstPerQueue)
                    {
                        break; // a message id is in a queue once: the rest need not be read
                    }
                }
            }
            finally
            {
                // Back where they were, for the next reader (closing the channel would requeue them as well).
                foreach (var tag in left)
                {
                    if (channel.IsOpen)
                    {
                        await channel.BasicNackAsync(tag, multiple: false, requeue: true, CancellationToken.None).ConfigureAwait(false);
                    }
                }
            }
        }

        return taken;
    }

    /// <summary>Publishes the dead letter to its input queue and waits for the broker's confirm (mandatory: it must reach the queue).</summary>
    private static async Task<bool> ReplayOneAsync(IChannel channel, BasicGetResult message, DeadLetter letter)
    {
        var properties = new BasicProperties(message.BasicProperties)
        {
            Headers = DeadLetterHeaders.ReplayHeaders(message.BasicProperties.Headers ?? new Dictionary<string, object?>()),
        };
        await channel.BasicPublishAsync("", letter.InputQueue, mandatory: true, properties, message.Body).ConfigureAwait(false);
        return true;
    }

    private static DeadLetter Describe(string queue, BasicGetResult message, bool withHeaders)
    {
        var messageId = Guid.TryParse(message.BasicProperties.MessageId, out var id) ? id : (Guid?)null;
        var headers = message.BasicProperties.Headers ?? new Dictionary<string, object?>();
        if (messageId is null && headers.TryGetValue("MessageId", out var header) && Guid.TryParse(DeadLetterHeaders.Text(header), out id))
        {
            messageId = id;
        }

        return DeadLetterHeaders.Describe(queue, messageId, headers, message.Body.Span, withHeaders);
    }

    /// <summary>Every queue of the vhost with its messages (ready and unacknowledged), as the management API last counted them.</summary>
    public Task<IReadOnlyList<Telemetry.QueueDepth>> ReadAsync(CancellationToken cancellationToken) =>
        GuardAsync<IReadOnlyList<Telemetry.QueueDepth>>(async () =>
        {
            using var response = await _management.GetAsync($"api/queues/{Uri.EscapeDataString(_vhost)}?columns=name,messages", cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                throw new DeadLettersUnavailableException(
                    $"The RabbitMQ management API answered {(int)response.StatusCode} {response.ReasonPhrase} for the queues of vhost '{_vhost}'.");
            }

            using var document = await JsonDocument.ParseAsync(
                await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false), cancellationToken: cancellationToken).ConfigureAwait(false);
            return document.RootElement.EnumerateArray()
                .Where(q => q.TryGetProperty("name", out var name) && name.ValueKind == JsonValueKind.String)
                .Select(q => new Telemetry.QueueDepth(
                    q.GetProperty("name").GetString()!,
                    q.TryGetProperty("messages", out var messages) && messages.TryGetInt64(out var count) ? count : 0))
                .OrderBy(q => q.Queue, StringComparer.Ordinal)
                .ToList();
        }, cancellationToken);

    /// <summary>The vhost's queues named <c>*_error</c> (or the one asked for, when it is one of them), in name order.</summary>
    private async Task<IReadOnlyList<string>> QueuesAsync(string? queue, CancellationToken cancellationToken)
    {
        var path = $"api/queues/{Uri.EscapeDataString(_vhost)}?columns=name";
        using var response = await _management.GetAsync(path, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return [];
        }

        if (!response.IsSuccessStatusCode)
        {
            throw new DeadLettersUnavailableException(
                $"The RabbitMQ management API answered {(int)response.StatusCode} {response.ReasonPhrase} for the queues of vhost '{_vhost}'.");
        }

        using var document = await JsonDocument.ParseAsync(
            await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false), cancellationToken: cancellationToken).ConfigureAwait(false);
        return document.RootElement.EnumerateArray()
            .Select(q => q.TryGetProperty("name", out var name) ? name.GetString() : null)
            .OfType<string>()
            .Where(name => name.EndsWith(DeadLetterHeaders.ErrorSuffix, StringComparison.Ordinal) && (queue is null || name == queue))
            .Order(StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>
    /// Messages ready in the queue now (the management API's figures lag by seconds); null when it is gone. On a
    /// channel of its own: a passive declare of a missing queue closes its channel.
    /// </summary>
    private static async Task<int?> CountAsync(IConnection connection, string queue, CancellationToken cancellationToken)
    {
        await using var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        try
        {
            return (int)(await channel.QueueDeclarePassiveAsync(queue, cancellationToken).ConfigureAwait(false)).MessageCount;
        }
        catch (OperationInterruptedException e) when (e.ShutdownReason?.ReplyCode == 404)
        {
            return null;
        }
    }

    private Task<IConnection> ConnectAsync(CancellationToken cancellationToken) =>
        new ConnectionFactory
        {
            Uri = _amqp,
            RequestedConnectionTimeout = Timeout,
            ContinuationTimeout = Timeout,
            AutomaticRecoveryEnabled = false,
            TopologyRecoveryEnabled = false,
            ClientProvidedName = "pmh-dead-letters",
        }.CreateConnectionAsync(cancellationToken);

    private static async Task<T> GuardAsync<T>(Func<Task<T>> operation, CancellationToken cancellationToken)
    {
        try
        {
            return await operation().ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpRequestException or BrokerUnreachableException or AlreadyClosedException or SocketException
                                      or OperationInterruptedException or PublishException or TimeoutException
                                      || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            throw new DeadLettersUnavailableException($"The dead letters cannot be reached now: {e.GetBaseException().Message}", e);
        }
    }
}
