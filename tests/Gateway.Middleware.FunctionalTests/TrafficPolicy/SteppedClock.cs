namespace Gateway.Middleware.FunctionalTests.TrafficPolicy;

/// <summary>
/// A clock whose timestamps (what outlier detection reads) move only when the test steps them, while timers and
/// delays stay real, so retry backoffs and Kestrel keep running (a FakeTimeProvider would freeze those too).
/// </summary>
internal sealed class SteppedClock : TimeProvider
{
    private long _offset;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override long GetTimestamp() => Volatile.Read(ref _offset);

    public override DateTimeOffset GetUtcNow() => new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero).AddTicks(Volatile.Read(ref _offset));

    public void Advance(TimeSpan time) => Interlocked.Add(ref _offset, time.Ticks);
}
