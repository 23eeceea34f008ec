namespace Gateway.Middleware.FunctionalTests.Infrastructure;

/// <summary>Samples the managed heap while an operation runs and reports the largest growth seen.</summary>
public sealed class MemorySampler : IAsyncDisposable
{
    private readonly long _baseline;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private long _peak;

    public MemorySampler()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        _baseline = GC.GetTotalMemory(forceFullCollection: true);
        _peak = _baseline;
        _loop = SampleAsync();
    }

    /// <summary>Peak managed heap minus the heap when sampling started, in bytes.</summary>
    public long PeakGrowth => Interlocked.Read(ref _peak) - _baseline;

    private async Task SampleAsync()
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(5));
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token))
            {
                var now = GC.GetTotalMemory(forceFullCollection: false);
                if (now > Interlocked.Read(ref _peak))
                {
                    Interlocked.Exchange(ref _peak, now);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        _stop.Dispose();
    }
}
