using System.Collections.Concurrent;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Pmh.Contracts.Identity;
using Pmh.Contracts.MaternalChild;
using Pmh.Contracts.Subsidy;
using Pmh.Contracts.Vaccination;

namespace Pmh.Hosting.Messaging;

/// <summary>
/// A message type the hub sends transient on RabbitMQ: non-persistent (delivery mode 1) and without waiting for the
/// broker's publisher confirm. Only for a request whose loss costs nothing but its caller's retry (a query, or a
/// request whose effect is harmless when lost, such as a challenge never answered) and for the replies to such
/// requests. Commands and events are never registered: they stay persistent, confirmed and sent through the outbox.
/// </summary>
public sealed record TransientMessage(Type MessageType);

/// <summary>
/// Request/response on RabbitMQ at the broker's own cost (issue 16): replies come by RabbitMQ's direct reply-to
/// (<c>amq.rabbitmq.reply-to</c>, MassTransit's reply-to request client factory) instead of through the bus's
/// temporary queue, and the reception's round trips (<see cref="ReceptionRoundTrips"/>, plus any
/// <see cref="TransientMessage"/> registered) are sent transient.
/// </summary>
/// <remarks>
/// <para>
/// Why by message type, in a send and publish filter: MassTransit sets a request's <c>RequestId</c> after the
/// configured send pipes have run, so a filter cannot tell a request by it; the message type is known from the start.
/// The filter runs after the transport made its send context and before the transport reads <c>Durable</c> and
/// <c>AwaitAck</c>, so both hold (tests/Pmh.Integration.Tests, RabbitMqRequestsTests, reads the delivery mode of
/// what reaches the queues).
/// </para>
/// <para>
/// What a transient request may lose, and why that is allowed: a request given up on is already documented as
/// possibly never delivered (<see cref="CancellableRequestClients"/>); every request registered here is asked again by
/// its caller when unanswered. The queues stay as they are (durable, quorum by default): a quorum queue keeps every
/// message in its log whatever the delivery mode, so the broker's work per request is not less; what the caller
/// saves is the wait for the confirm and the reply's trip through a queue.
/// </para>
/// <para>
/// Direct reply-to answers only the channel that sent the request. MassTransit's reply-to client sends from its own
/// reply-to endpoint, which is right for requests made outside a consumer (every request the hub makes is made from
/// an HTTP request or a hosted service). MassTransit issue 6158 reports requests made inside a consumer with this
/// factory timing out; the hub makes none, and a new one must not be added without a test over RabbitMQ.
/// </para>
/// <para>
/// After a broker connection loss the reply-to endpoint reconnects like every endpoint; a request in flight at that
/// moment loses its reply and ends at its caller's token or timeout, as before.
/// </para>
/// </remarks>
public static class RabbitMqRequests
{
    /// <summary>The round trips of a reception check: the challenge, the card verification, the three lookups, and their replies.</summary>
    public static readonly IReadOnlyList<Type> ReceptionRoundTrips =
    [
        typeof(IssueChallenge), typeof(ChallengeIssued),
        typeof(VerifyCardholder), typeof(CardholderVerified), typeof(CardholderRejected),
        typeof(CheckSubsidyEligibility), typeof(SubsidyEligibility),
        typeof(CheckVaccinationHistory), typeof(VaccinationHistory),
        typeof(CheckMaternalChildEntitlements), typeof(MaternalChildEntitlements),
    ];

    /// <summary>Registers a further message type to be sent transient (see <see cref="TransientMessage"/>).</summary>
    public static IServiceCollection AddTransientMessage<T>(this IServiceCollection services)
        where T : class =>
        services.AddSingleton(new TransientMessage(typeof(T)));

    /// <summary>
    /// Setting: replies by direct reply-to (default false: through the bus's temporary queue). Off by default: within the
    /// noise on reception, and the first clean-clone cluster run with it on had 5 of 24 checks 10-20 s after a node's loss
    /// unanswered, where the old path has served all of them in every run.
    /// </summary>
    public const string DirectReplyToSetting = "Pmh:Bus:DirectReplyTo";

    /// <summary>Setting: the reception's round trips sent transient (default false: persistent and confirmed; see <see cref="DirectReplyToSetting"/>).</summary>
    public const string TransientQueriesSetting = "Pmh:Bus:TransientQueries";

    /// <summary>Direct reply-to for every request client of the bus unless switched off; call inside <c>AddMassTransit</c> for RabbitMQ.</summary>
    public static void UseDirectReplyTo(IBusRegistrationConfigurator bus, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(bus);
        if (configuration.GetValue(DirectReplyToSetting, false))
        {
            bus.SetRabbitMqReplyToRequestClientFactory();
        }
    }

    /// <summary>Sends the reception's round trips and the registered <see cref="TransientMessage"/> types transient, unless switched off.</summary>
    public static void SendTransient(IBusRegistrationContext context, IRabbitMqBusFactoryConfigurator cfg)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(cfg);
        if (!context.GetRequiredService<IConfiguration>().GetValue(TransientQueriesSetting, false))
        {
            return;
        }

        var filter = new TransientMessageFilter(
            ReceptionRoundTrips.Concat(context.GetServices<TransientMessage>().Select(t => t.MessageType)));
        cfg.ConfigureSend(send => send.UseFilter(filter));
        cfg.ConfigurePublish(publish => publish.UseFilter(filter));
    }
}

/// <summary>Marks a send or publish of a registered type non-persistent and unconfirmed (see <see cref="RabbitMqRequests"/>).</summary>
internal sealed class TransientMessageFilter(IEnumerable<Type> messageTypes) : IFilter<SendContext>, IFilter<PublishContext>
{
    private readonly HashSet<Type> _types = [.. messageTypes];

    // By the send context's own type (RabbitMqMessageSendContext<T>, …): its message type, looked up once.
    private readonly ConcurrentDictionary<Type, bool> _transient = new();

    public Task Send(SendContext context, IPipe<SendContext> next)
    {
        Apply(context);
        return next.Send(context);
    }

    public Task Send(PublishContext context, IPipe<PublishContext> next)
    {
        Apply(context);
        return next.Send(context);
    }

    public void Probe(ProbeContext context) => context.CreateFilterScope("pmh-transient-messages");

    private void Apply(SendContext context)
    {
        if (_transient.GetOrAdd(context.GetType(), IsTransient))
        {
            context.Durable = false;
            context.TrySetAwaitAck(false);
        }
    }

    private bool IsTransient(Type contextType)
    {
        for (var type = contextType; type is not null; type = type.BaseType)
        {
            foreach (var contract in type.GetInterfaces().Append(type))
            {
                if (contract.IsGenericType && contract.GetGenericTypeDefinition() == typeof(SendContext<>)
                    && _types.Contains(contract.GetGenericArguments()[0]))
                {
                    return true;
                }
            }
        }

        return false;
    }
}
