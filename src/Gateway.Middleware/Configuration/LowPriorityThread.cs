using System.Runtime.InteropServices;

namespace Gateway.Middleware.Configuration;

/// <summary>
/// Runs one piece of CPU-heavy background work (a configuration reload: parse, validate, compile) on a thread of its
/// own whose OS priority is lowered, so that on a busy machine the threads serving requests are scheduled first and a
/// reload shows up as a slower reload rather than as a latency spike. On Linux the thread's nice value is raised to
/// 10 (an unprivileged process may always lower its own priority; the thread ends with the work, so nothing else runs
/// at the lowered priority); elsewhere <see cref="ThreadPriority.BelowNormal"/>.
/// </summary>
internal static class LowPriorityThread
{
    private const int PrioProcess = 0;
    private const int Nice = 10;

    public static void Start(Action<object?> work, object? state, string name)
    {
        var thread = new Thread(static boxed =>
        {
            var (work, state) = ((Action<object?>, object?))boxed!;
            Lower();
            work(state);
        })
        {
            IsBackground = true,
            Name = name,
        };
        thread.UnsafeStart((work, state));
    }

    private static void Lower()
    {
        try
        {
            if (OperatingSystem.IsLinux())
            {
                // setpriority(PRIO_PROCESS, tid, n) sets one thread's nice value on Linux.
                _ = SetPriority(PrioProcess, GetThreadId(), Nice);
            }
            else
            {
                Thread.CurrentThread.Priority = ThreadPriority.BelowNormal;
            }
        }
        catch (Exception ex) when (ex is EntryPointNotFoundException or DllNotFoundException or PlatformNotSupportedException or ThreadStateException)
        {
            // Best effort: the reload still runs, at normal priority.
        }
    }

    // DllImport rather than LibraryImport: two blittable int signatures need no marshalling, and LibraryImport would
    // make the whole library compile with unsafe code allowed.
#pragma warning disable SYSLIB1054
    [DllImport("libc", EntryPoint = "setpriority", SetLastError = true)]
    private static extern int SetPriority(int which, int who, int priority);

    [DllImport("libc", EntryPoint = "gettid")]
    private static extern int GetThreadId();
#pragma warning restore SYSLIB1054
}
