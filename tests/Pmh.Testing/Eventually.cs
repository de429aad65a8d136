using System.Diagnostics;
using System.Globalization;
using Xunit;

namespace Pmh.Testing;

/// <summary>
/// Polls for something that must happen (a message consumed, a batch applied): returns the value once the condition
/// holds, and fails the test, naming what was awaited and the timeout, when it has not held by then. The condition
/// is checked once more after the deadline, so a slow last poll under load is not mistaken for a failure.
/// </summary>
public static class Eventually
{
    /// <summary>Generous on purpose: the wait ends as soon as the condition holds, so only a real failure waits this long.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    private static readonly TimeSpan DefaultInterval = TimeSpan.FromMilliseconds(25);

    /// <summary>Reads <paramref name="probe"/> until <paramref name="holds"/> is true of its value, and returns that value.</summary>
    public static async Task<T> UntilAsync<T>(Func<Task<T>> probe, Func<T, bool> holds, string awaited, TimeSpan? timeout = null, TimeSpan? interval = null)
    {
        ArgumentNullException.ThrowIfNull(probe);
        ArgumentNullException.ThrowIfNull(holds);
        var limit = timeout ?? DefaultTimeout;
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var expired = clock.Elapsed >= limit;
            var value = await probe().ConfigureAwait(false);
            if (holds(value))
            {
                return value;
            }

            if (expired)
            {
                Assert.Fail(string.Create(CultureInfo.InvariantCulture, $"Timed out after {limit.TotalSeconds:0.###} s waiting for {awaited}."));
            }

            await Task.Delay(interval ?? DefaultInterval).ConfigureAwait(false);
        }
    }

    /// <summary>Reads <paramref name="probe"/> until <paramref name="holds"/> is true of its value, and returns that value.</summary>
    public static Task<T> UntilAsync<T>(Func<T> probe, Func<T, bool> holds, string awaited, TimeSpan? timeout = null, TimeSpan? interval = null)
    {
        ArgumentNullException.ThrowIfNull(probe);
        return UntilAsync(() => Task.FromResult(probe()), holds, awaited, timeout, interval);
    }

    /// <summary>Waits until <paramref name="condition"/> is true.</summary>
    public static Task UntilAsync(Func<bool> condition, string awaited, TimeSpan? timeout = null, TimeSpan? interval = null)
    {
        ArgumentNullException.ThrowIfNull(condition);
        return UntilAsync(() => Task.FromResult(condition()), held => held, awaited, timeout, interval);
    }
}
