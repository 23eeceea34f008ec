using System.Diagnostics;

namespace Gateway.Middleware.HardeningTests.Faults;

/// <summary>Samples the process's resident set (RSS) every 10 ms and reports the peak growth over the start.</summary>
internal sealed class ProcessMemory : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private readonly long _baseline;
    private long _peak;

    public ProcessMemory()
    {
        _baseline = Rss();
        _peak = _baseline;
        _loop = SampleAsync();
    }

    public long PeakGrowth => Interlocked.Read(ref _peak) - _baseline;

    public static long Rss()
    {
        using var process = Process.GetCurrentProcess();
        return process.WorkingSet64;
    }

    private async Task SampleAsync()
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(10));
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token))
            {
                var now = Rss();
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
