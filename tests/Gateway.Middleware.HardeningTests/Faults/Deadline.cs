using System.Diagnostics;

namespace Gateway.Middleware.HardeningTests.Faults;

/// <summary>Waits for a condition by polling, failing with <c>what</c> once the deadline passes (no fixed sleeps).</summary>
internal static class Deadline
{
    public static async Task UntilAsync(Func<bool> condition, TimeSpan deadline, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(clock.Elapsed < deadline, $"{what} (not within {deadline.TotalSeconds:0.#} s)");
            await Task.Delay(5);
        }
    }
}
