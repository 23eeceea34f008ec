using System.Runtime;
using System.Runtime.InteropServices;

namespace Gateway.Middleware.LoadTests.Harness;

/// <summary>What the tables are only valid for.</summary>
internal sealed record MachineFacts(string Cpu, int Cores, string Os, string Runtime, string LoadAverageBefore, string? LoadAverageAfter)
{
    public static MachineFacts Read()
    {
        var cpu = "unknown CPU";
        try
        {
            cpu = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? cpu;
        }
        catch (IOException)
        {
        }

        return new MachineFacts(cpu, Environment.ProcessorCount, RuntimeInformation.OSDescription, RuntimeInformation.FrameworkDescription, LoadAverage(), null);
    }

    public static string LoadAverage()
    {
        try
        {
            return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            return "?";
        }
    }

    public string Describe() =>
        $"{Cpu}, {Cores} cores, {Os}, {Runtime}; load average before: {LoadAverageBefore}{(LoadAverageAfter is null ? "" : $", after: {LoadAverageAfter}")}; " +
        $".NET apps: Server GC (Microsoft.NET.Sdk.Web default; harness itself: {(GCSettings.IsServerGC ? "server" : "workstation")}), TieredPGO on (.NET default)";
}
