using System.Diagnostics;
using System.Globalization;

namespace Gateway.Middleware.HardeningTests.Soak;

/// <summary>What the soak records at each checkpoint: traffic so far and the process's resources.</summary>
internal sealed record ResourceSample(TimeSpan At, long Requests, long Failures, long RssBytes, long HeapBytes, int OpenFds, int HandleCount)
{
    public static ResourceSample Take(TimeSpan at, long requests, long failures)
    {
        using var process = Process.GetCurrentProcess();
        var fds = Directory.Exists("/proc/self/fd") ? Directory.GetFileSystemEntries("/proc/self/fd").Length : -1;
        return new ResourceSample(at, requests, failures, process.WorkingSet64, GC.GetTotalMemory(forceFullCollection: false), fds, process.HandleCount);
    }

    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"{At.TotalMinutes,6:F1} min  requests {Requests,9}  failures {Failures,3}  RSS {RssBytes / 1048576.0,7:F1} MB  heap {HeapBytes / 1048576.0,7:F1} MB  fds {OpenFds,5}  handles {HandleCount,5}");
}
