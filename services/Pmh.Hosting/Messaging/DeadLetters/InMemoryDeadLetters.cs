using System.Net.Mime;
using MassTransit;
using MassTransit.Middleware;
using MassTransit.Serialization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Pmh.Hosting.Messaging.DeadLetters;

/// <summary>
/// The dead letters of the embedded set-up (in-memory bus, one process). Every receive endpoint's error pipe hands
/// a message its consumer gave up on to <see cref="Capture"/> instead of the in-memory <c>_error</c> queue, which
/// nothing could read; the operator then lists, replays and discards them here. They live as long as the process:
/// the in-memory bus keeps nothing across a restart either.
/// </summary>
public sealed partial class InMemoryDeadLetters : IDeadLetters
{
    /// <summary>Dead letters kept at most; beyond it the oldest is dropped (and logged as an error).</summary>
    public const int DefaultCapacity = 10_000;

    private readonly Lock _gate = new();
    private readonly List<Captured> _letters = [];
    private readonly IServiceProvider _services;
    private readonly ILogger<InMemoryDeadLetters> _logger;

    public InMemoryDeadLetters(IServiceProvider services, ILogger<InMemoryDeadLetters> logger, int capacity = DefaultCapacity)
    {
        _services = services;
        _logger = logger;
        Capacity = Math.Max(1, capacity);
    }

    public int Capacity { get; }

    /// <summary>Keeps a faulted message: its body, content type and headers with MassTransit's fault headers.</summary>
    public void Capture(ExceptionReceiveContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var messageId = context.TryGetPayload(out ConsumeContext? consume) ? consume.MessageId : context.GetMessageId();
        var inputAddress = context.InputAddress;
        var errorQueue = DeadLetterHeaders.InputQueueOf("", inputAddress?.ToString()) + DeadLetterHeaders.ErrorSuffix;
        var headers = new List<KeyValuePair<string, object?>>();
        headers.AddRange(context.TransportHeaders.GetAll().Select(h => new KeyValuePair<string, object?>(h.Key, h.Value)));
        headers.AddRange(context.ExceptionHeaders.GetAll().Select(h => new KeyValuePair<string, object?>(h.Key, h.Value)));
        Add(new Captured(messageId, errorQueue, inputAddress, context.GetBody(), context.ContentType, headers));
    }

    /// <summary>Keeps a dead letter (the error pipe's way in, and the tests').</summary>
    internal void Add(Captured letter)
    {
        Captured? dropped = null;
        lock (_gate)
        {
            if (_letters.Count >= Capacity)
            {
                dropped = _letters[0];
                _letters.RemoveAt(0);
            }

            _letters.Add(letter);
        }

        if (dropped is not null)
        {
            LogDropped(_logger, Capacity, dropped.Queue, dropped.Id);
        }
    }

    public Task<DeadLetterListing> ListAsync(string? queue, int limit, CancellationToken cancellationToken)
    {
        List<Captured> letters;
        lock (_gate)
        {
            letters = _letters.Where(l => queue is null || l.Queue == queue).ToList();
        }

        var queues = letters.GroupBy(l => l.Queue, StringComparer.Ordinal)
            .Select(g => new DeadLetterQueue(g.Key, g.Count()))
            .OrderBy(q => q.Queue, StringComparer.Ordinal)
            .ToList();
        var messages = letters.Take(Math.Max(0, limit)).Select(l => l.Describe(withHeaders: false)).ToList();
        return Task.FromResult(new DeadLetterListing(letters.Count, queues, messages));
    }

    public Task<IReadOnlyList<DeadLetter>> FindAsync(string id, string? queue, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<DeadLetter>>(
                _letters.Where(l => l.Matches(id, queue)).Select(l => l.Describe(withHeaders: true)).ToList());
        }
    }

    public Task<int> ReplayAsync(string id, string? queue, CancellationToken cancellationToken) =>
        ReplayWhereAsync(l => l.Matches(id, queue), cancellationToken);

    public Task<int> ReplayAllAsync(string? queue, CancellationToken cancellationToken) =>
        ReplayWhereAsync(l => queue is null || l.Queue == queue, cancellationToken);

    public Task<int> DiscardAsync(string id, string? queue, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(_letters.RemoveAll(l => l.Matches(id, queue)));
        }
    }

    /// <summary>
    /// Takes the matching dead letters out and sends each, body and headers as they were (less the fault headers,
    /// plus the replay count), to its input queue; one that cannot be sent is put back.
    /// </summary>
    private async Task<int> ReplayWhereAsync(Func<Captured, bool> match, CancellationToken cancellationToken)
    {
        List<Captured> taken;
        lock (_gate)
        {
            taken = _letters.Where(match).ToList();
            _letters.RemoveAll(l => taken.Contains(l));
        }

        var bus = _services.GetRequiredService<IBus>();
        var replayed = 0;
        try
        {
            foreach (var letter in taken)
            {
                await SendAsync(bus, letter, cancellationToken).ConfigureAwait(false);
                replayed++;
            }
        }
        catch
        {
            lock (_gate)
            {
                _letters.InsertRange(0, taken.Skip(replayed));
            }

            throw;
        }

        return replayed;
    }

    private static async Task SendAsync(IBus bus, Captured letter, CancellationToken cancellationToken)
    {
        var address = letter.InputAddress ?? new Uri("queue:" + letter.InputQueue);
        var endpoint = await bus.GetSendEndpoint(address).ConfigureAwait(false);
        var headers = DeadLetterHeaders.ReplayHeaders(letter.Headers);
        var contentType = letter.ContentType ?? new ContentType("application/vnd.masstransit+json");
        await endpoint.Send(new DeadLetterReplay(), context =>
        {
            context.MessageId = letter.MessageId;
            foreach (var (key, value) in headers)
            {
                if (value is not null)
                {
                    context.Headers.Set(key, value);
                }
            }

            // The body goes as it was received: the consumer reads the original envelope, message id and type.
            context.Serializer = new CopyBodySerializer(contentType, new BytesMessageBody(letter.Body));
        }, cancellationToken).ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "The in-memory dead letters are full ({Capacity}): the oldest, {Queue} {Id}, was dropped")]
    private static partial void LogDropped(ILogger logger, int capacity, string queue, string id);

    /// <summary>One captured message: what a replay needs, kept in this process only.</summary>
    internal sealed record Captured(
        Guid? MessageId,
        string Queue,
        Uri? InputAddress,
        byte[] Body,
        ContentType? ContentType,
        IReadOnlyList<KeyValuePair<string, object?>> Headers)
    {
        public string Id { get; } = DeadLetterHeaders.IdOf(MessageId, Body);

        public string InputQueue => DeadLetterHeaders.InputQueueOf(Queue, InputAddress?.ToString());

        public bool Matches(string id, string? queue) =>
            string.Equals(Id, id, StringComparison.OrdinalIgnoreCase) && (queue is null || Queue == queue);

        public DeadLetter Describe(bool withHeaders) => DeadLetterHeaders.Describe(Queue, MessageId, Headers, Body, withHeaders);
    }
}

/// <summary>
/// The type a replay is sent as on the in-memory bus; never serialized (the original body is sent in its place).
/// </summary>
public sealed record DeadLetterReplay;

/// <summary>
/// The error pipe of an in-memory receive endpoint: MassTransit's fault event as usual, then the message goes to the
/// process's <see cref="InMemoryDeadLetters"/> instead of the in-memory <c>_error</c> queue.
/// </summary>
public sealed class InMemoryDeadLetterFilter(InMemoryDeadLetters deadLetters) : IFilter<ExceptionReceiveContext>
{
    public void Probe(ProbeContext context) => context.CreateFilterScope("pmhDeadLetters");

    public async Task Send(ExceptionReceiveContext context, IPipe<ExceptionReceiveContext> next)
    {
        deadLetters.Capture(context);
        await next.Send(context).ConfigureAwait(false);
    }

    /// <summary>Gives the endpoint this error pipe (fault event first, as MassTransit's default pipe does).</summary>
    public static void Configure(IReceiveEndpointConfigurator endpoint, InMemoryDeadLetters deadLetters)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        endpoint.ConfigureError(pipe =>
        {
            pipe.UseFilter(new GenerateFaultFilter());
            pipe.UseFilter(new InMemoryDeadLetterFilter(deadLetters));
        });
    }
}
