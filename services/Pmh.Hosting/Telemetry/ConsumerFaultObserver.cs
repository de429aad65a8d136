using MassTransit;

namespace Pmh.Hosting.Telemetry;

/// <summary>Counts every consume attempt that threw (<see cref="PmhTelemetry.ConsumerFaults"/>), by message and exception type.</summary>
public sealed class ConsumerFaultObserver : IConsumeObserver
{
    public Task PreConsume<T>(ConsumeContext<T> context) where T : class => Task.CompletedTask;

    public Task PostConsume<T>(ConsumeContext<T> context) where T : class => Task.CompletedTask;

    public Task ConsumeFault<T>(ConsumeContext<T> context, Exception exception) where T : class
    {
        PmhTelemetry.ConsumerFaults.Add(
            1,
            new KeyValuePair<string, object?>("message_type", typeof(T).Name),
            new KeyValuePair<string, object?>("exception_type", exception?.GetType().Name ?? "unknown"));
        return Task.CompletedTask;
    }
}
