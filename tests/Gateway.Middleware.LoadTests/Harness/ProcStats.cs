using System.Globalization;

namespace Gateway.Middleware.LoadTests.Harness;

/// <summary>CPU time and peak RSS of a process and its descendants, from /proc (Linux).</summary>
internal static class ProcStats
{
    private const double ClockTicksPerSecond = 100; // sysconf(_SC_CLK_TCK) on Linux

    /// <summary>User + system CPU seconds of <paramref name="pid"/> and every descendant (nginx, haproxy workers).</summary>
    public static double CpuSeconds(int pid)
    {
        double total = 0;
        foreach (var p in Tree(pid))
        {
            if (ReadStat(p) is { } stat)
            {
                total += (stat.UserTicks + stat.SystemTicks) / ClockTicksPerSecond;
            }
        }

        return total;
    }

    /// <summary>Peak resident set (VmHWM) in MiB, summed over the process tree.</summary>
    public static double PeakRssMiB(int pid) => StatusMiB(pid, "VmHWM:");

    /// <summary>Current resident set (VmRSS) in MiB, summed over the process tree.</summary>
    public static double RssMiB(int pid) => StatusMiB(pid, "VmRSS:");

    private static double StatusMiB(int pid, string field)
    {
        long kib = 0;
        foreach (var p in Tree(pid))
        {
            try
            {
                foreach (var line in File.ReadLines($"/proc/{p}/status"))
                {
                    if (line.StartsWith(field, StringComparison.Ordinal))
                    {
                        kib += long.Parse(line[field.Length..].Replace("kB", "", StringComparison.Ordinal).Trim(), CultureInfo.InvariantCulture);
                    }
                }
            }
            catch (IOException)
            {
            }
        }

        return kib / 1024.0;
    }

    private static List<int> Tree(int root)
    {
        var parents = new Dictionary<int, int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(dir), CultureInfo.InvariantCulture, out var pid) && ReadStat(pid) is { } stat)
            {
                parents[pid] = stat.ParentPid;
            }
        }

        var result = new List<int> { root };
        for (var i = 0; i < result.Count; i++)
        {
            foreach (var (pid, parent) in parents)
            {
                if (parent == result[i])
                {
                    result.Add(pid);
                }
            }
        }

        return result;
    }

    private static (int ParentPid, long UserTicks, long SystemTicks)? ReadStat(int pid)
    {
        string text;
        try
        {
            text = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }

        // "pid (comm) state ppid ..." — comm may hold spaces, so split after the last ')'.
        var fields = text[(text.LastIndexOf(')') + 2)..].Split(' ');
        return (int.Parse(fields[1], CultureInfo.InvariantCulture),
            long.Parse(fields[11], CultureInfo.InvariantCulture),
            long.Parse(fields[12], CultureInfo.InvariantCulture));
    }
}
