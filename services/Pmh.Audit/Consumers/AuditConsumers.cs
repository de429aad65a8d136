using MassTransit;
using Pmh.Audit.Storage;
using Pmh.Contracts.Audit;
using Pmh.Hosting.Outbox;

namespace Pmh.Audit.Consumers;

/// <summary>
/// Appends an access (or a refusal) to the chain; a redelivered event is stored once (by its message id in the
/// inbox, recorded with the append, and by its event id).
/// </summary>
public sealed class AccessRecordedConsumer(AuditStore store) : IConsumer<AccessRecorded>
{
    public const string InboxName = "audit-access-recorded";

    public async Task Consume(ConsumeContext<AccessRecorded> context) =>
        await store.AppendAsync(context.Message, context.CancellationToken, InboundMessage.From(context, InboxName)).ConfigureAwait(false);
}

/// <summary>Answers <see cref="GetAccessLog"/> with the person's entries, newest first.</summary>
public sealed class GetAccessLogConsumer(AuditStore store) : IConsumer<GetAccessLog>
{
    public const int MaxLimit = 1000;

    public async Task Consume(ConsumeContext<GetAccessLog> context)
    {
        var request = context.Message;
        var entries = await store.ForPersonAsync(request.PersonKey, Math.Clamp(request.Limit, 1, MaxLimit), context.CancellationToken).ConfigureAwait(false);
        await context.RespondAsync(new AccessLog { Entries = entries }).ConfigureAwait(false);
    }
}

/// <summary>Answers <see cref="VerifyAuditChain"/> with the chain's first broken link, or that it is intact.</summary>
public sealed class VerifyAuditChainConsumer(AuditStore store) : IConsumer<VerifyAuditChain>
{
    public async Task Consume(ConsumeContext<VerifyAuditChain> context) =>
        await context.RespondAsync(await store.VerifyAsync(context.CancellationToken).ConfigureAwait(false)).ConfigureAwait(false);
}
