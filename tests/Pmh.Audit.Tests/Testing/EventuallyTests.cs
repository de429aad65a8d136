using Pmh.Testing;

namespace Pmh.Audit.Tests.Testing;

/// <summary>The shared polling helper (lives in Pmh.Testing, which has no test project of its own).</summary>
public sealed class EventuallyTests
{
    [Fact]
    public async Task Returns_the_value_once_the_condition_holds()
    {
        var polls = 0;

        var value = await Eventually.UntilAsync(() => ++polls, n => n >= 3, "three polls", interval: TimeSpan.FromMilliseconds(1));

        Assert.Equal(3, value);
    }

    [Fact]
    public async Task Fails_naming_what_was_awaited_and_the_timeout_when_the_condition_never_holds()
    {
        var failure = await Assert.ThrowsAnyAsync<Exception>(
            () => Eventually.UntilAsync(() => false, "the impossible", TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(5)));

        Assert.Equal("Timed out after 0.05 s waiting for the impossible.", failure.Message);
    }

    [Fact]
    public async Task A_slow_poll_that_ends_past_the_deadline_is_followed_by_one_more_check_before_failing()
    {
        var polls = 0;
        async Task<int> SlowPollAsync()
        {
            await Task.Delay(100);
            return ++polls;
        }

        // The first poll alone outlasts the 50 ms timeout; the condition holds on the second.
        var value = await Eventually.UntilAsync(SlowPollAsync, n => n >= 2, "a second poll", TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(1));

        Assert.Equal(2, value);
    }
}
