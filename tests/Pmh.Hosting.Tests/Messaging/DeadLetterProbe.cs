using System.Collections.Concurrent;
using MassTransit;
using Pmh.Hosting.Messaging.DeadLetters;

namespace Pmh.Hosting.Tests.Messaging;

/// <summary>A message for the dead-letter tests; <see cref="Secret"/> stands for personal data in a body.</summary>
public sealed record DeadLetterProbe(string Note, string Secret);

/// <summary>Whether <see cref="DeadLetterProbeConsumer"/> is broken (throws) or fixed, and what it consumed.</summary>
public sealed class DeadLetterProbeState
{
    public const string Reason = "The probe cannot be handled while the cause is not fixed";

    public volatile bool Broken = true;

    public ConcurrentQueue<(Guid? MessageId, string Note, int? Replays)> Consumed { get; } = new();

    public int Attempts;
}

/// <summary>Throws a plain non-transient exception while broken; records what it consumed once fixed.</summary>
public sealed class DeadLetterProbeConsumer(DeadLetterProbeState state) : IConsumer<DeadLetterProbe>
{
    public Task Consume(ConsumeContext<DeadLetterProbe> context)
    {
        Interlocked.Increment(ref state.Attempts);
        if (state.Broken)
        {
            throw new InvalidOperationException(DeadLetterProbeState.Reason);
        }

        var replays = context.ReceiveContext.TransportHeaders.Get<int>(DeadLetterHeaders.ReplayCount);
        state.Consumed.Enqueue((context.MessageId, context.Message.Note, replays));
        return Task.CompletedTask;
    }
}
