using MassTransit;

namespace Pmh.Hosting.Outbox;

/// <summary>One outbox row on its way: the message, its type and the envelope it must travel with.</summary>
public sealed record OutboxEnvelope(Guid MessageId, object Message, Type MessageType, Uri? Destination, OutboxHeaders? Headers);

/// <summary>Where the dispatcher hands rows to: the bus of this process (a seam for tests of broker faults).</summary>
public interface IOutboxTransport
{
    Task DeliverAsync(OutboxEnvelope envelope, CancellationToken cancellationToken);
}

/// <summary>
/// Publishes or sends through MassTransit, keeping the outbox's message id as the MessageId, so a consumer's inbox
/// recognises a row sent twice (after a crash, or by two dispatchers) as one message.
/// </summary>
public sealed class BusOutboxTransport(IBus bus) : IOutboxTransport
{
    public async Task DeliverAsync(OutboxEnvelope envelope, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        if (envelope.Destination is null)
        {
            await bus.Publish(envelope.Message, envelope.MessageType, Pipe.Execute<PublishContext>(c => Stamp(c, envelope)), cancellationToken)
                .ConfigureAwait(false);
            return;
        }

        var endpoint = await bus.GetSendEndpoint(envelope.Destination).ConfigureAwait(false);
        await endpoint.Send(envelope.Message, envelope.MessageType, Pipe.Execute<SendContext>(c => Stamp(c, envelope)), cancellationToken)
            .ConfigureAwait(false);
    }

    private static void Stamp(SendContext context, OutboxEnvelope envelope)
    {
        context.MessageId = envelope.MessageId;
        if (envelope.Headers is { } headers)
        {
            context.ConversationId = headers.ConversationId ?? context.ConversationId;
            context.CorrelationId = headers.CorrelationId ?? context.CorrelationId;
            context.InitiatorId = headers.InitiatorId ?? context.InitiatorId;
        }
    }
}
