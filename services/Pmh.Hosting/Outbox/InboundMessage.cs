using MassTransit;

namespace Pmh.Hosting.Outbox;

/// <summary>
/// The message a consumer is handling, as the inbox and the outbox need it: the consumer's name and the message id
/// (the inbox key), and the conversation the messages it causes belong to.
/// </summary>
public sealed record InboundMessage(string Consumer, Guid MessageId, Guid? ConversationId = null, Guid? CorrelationId = null)
{
    /// <summary>The message of <paramref name="context"/>, handled by <paramref name="consumer"/>.</summary>
    public static InboundMessage From(ConsumeContext context, string consumer)
    {
        ArgumentNullException.ThrowIfNull(context);
        var id = context.MessageId
            ?? throw new InvalidOperationException($"A message for {consumer} has no message id; the inbox cannot recognise it again.");
        return new InboundMessage(consumer, id, context.ConversationId, context.CorrelationId);
    }
}
