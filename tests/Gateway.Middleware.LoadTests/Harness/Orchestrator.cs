using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Gateway.Middleware.LoadTests.Harness;

/// <summary>
/// One benchmark run: starts the upstream and every proxy on free loopback ports, waits until each answers,
/// checks that each really routes on host + header (and JWT), warms each up, drives them in alternating rounds,
/// measures allocated bytes per request of the .NET proxies, prints the tables, and kills every child process.
/// </summary>
internal static partial class Orchestrator
{
    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Contains("--help") || args.Contains("-h"))
        {
            Console.WriteLine(RunOptions.Usage);
            return 0;
        }

        RunOptions options;
        try
        {
            options = RunOptions.Parse(args);
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException)
        {
            await Console.Error.WriteLineAsync(ex.Message).ConfigureAwait(false);
            await Console.Error.WriteLineAsync(RunOptions.Usage).ConfigureAwait(false);
            return 2;
        }

        if (!OperatingSystem.IsLinux())
        {
            await Console.Error.WriteLineAsync("the harness reads /proc for CPU and memory: Linux only").ConfigureAwait(false);
            return 2;
        }

        using var cancellation = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cancellation.Cancel();
        };
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            cancellation.Cancel();
        });

        var work = Directory.CreateTempSubdirectory("gateway-load-").FullName;
        using var children = new ChildProcesses(work);
        try
        {
            return await RunCoreAsync(options, children, work, cancellation.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            await Console.Error.WriteLineAsync("cancelled: stopping every child process").ConfigureAwait(false);
            return 130;
        }
        catch (InvalidOperationException ex)
        {
            await Console.Error.WriteLineAsync($"load run failed: {ex.Message}").ConfigureAwait(false);
            return 1;
        }
        finally
        {
            children.KillAll();
            Console.WriteLine($"child logs and configuration: {work}");
        }
    }

    private static async Task<int> RunCoreAsync(RunOptions options, ChildProcesses children, string work, CancellationToken cancellationToken)
    {
        var machine = MachineFacts.Read();
        Console.WriteLine("machine: " + machine.Describe());
        var tools = Tools.Find();
        foreach (var line in tools.Describe())
        {
            Console.WriteLine(line);
        }

        var apps = new Apps(options, children, work, tools);
        var targets = apps.Plan(Console.WriteLine);
        var reload = options.Scenarios.Contains("reload") ? apps.ReloadTarget(Console.WriteLine) : null;
        if (targets.Count == 0 && reload is null)
        {
            throw new InvalidOperationException("no target left to measure (missing tools, or --scenarios/--only excluded everything)");
        }

        using var client = new ProbeClient();
        foreach (var target in targets)
        {
            await client.WaitReadyAsync(target, children, cancellationToken).ConfigureAwait(false);
            await client.CheckRoutingAsync(target, cancellationToken).ConfigureAwait(false);
        }

        Console.WriteLine($"all {targets.Count} targets answer 200 and route on host + header{(targets.Any(t => t.Token is not null) ? " (+ JWT)" : "")}");

        var load = new LoadTools(options, children, work);
        if (options.Warmup > 0)
        {
            foreach (var target in targets)
            {
                Console.WriteLine($"warm-up {options.Warmup}s: {target.Name}");
                await load.RunAsync(target, options.Warmup, cancellationToken).ConfigureAwait(false);
            }
        }

        var results = targets.ToDictionary(t => t, _ => new List<LoadResult>());
        for (var round = 1; round <= options.Rounds; round++)
        {
            foreach (var target in targets)
            {
                var result = await load.RunAsync(target, options.Duration, cancellationToken).ConfigureAwait(false);
                results[target].Add(result);
                Console.WriteLine($"round {round}/{options.Rounds} {target.Scenario,-5} {target.Name,-34} {result.RequestsPerSecond,10:N0} req/s  p50 {result.P50Ms,7:N2} ms  p99 {result.P99Ms,7:N2} ms  cpu {result.CpuCores:N2}  errors {result.Errors}");
            }
        }

        var allocations = new Dictionary<Target, double>();
        foreach (var target in targets.Where(t => t.AllocPort is not null))
        {
            allocations[target] = await client.AllocatedBytesPerRequestAsync(target, options.AllocRequests, cancellationToken).ConfigureAwait(false);
        }

        var soaks = new List<(Target Target, List<(double Minutes, LoadResult Result, double RssMiB)> Chunks)>();
        foreach (var target in options.SoakMinutes > 0 ? targets.Where(t => t.Scenario == "plain" && t.Name.StartsWith("gateway", StringComparison.Ordinal)) : [])
        {
            var chunks = new List<(double, LoadResult, double)>();
            var chunkSeconds = Math.Min(30, options.SoakMinutes * 60);
            for (var elapsed = 0; elapsed < options.SoakMinutes * 60; elapsed += chunkSeconds)
            {
                var result = await load.RunAsync(target, chunkSeconds, cancellationToken).ConfigureAwait(false);
                var rss = ProcStats.RssMiB(target.Process.Id);
                chunks.Add(((elapsed + chunkSeconds) / 60.0, result, rss));
                Console.WriteLine($"soak {target.Name,-34} {(elapsed + chunkSeconds) / 60.0,5:N1} min {result.RequestsPerSecond,10:N0} req/s  p99 {result.P99Ms,7:N2} ms  RSS {rss,6:N0} MiB");
            }

            soaks.Add((target, chunks));
        }

        var reloadReport = reload is { } r
            ? await MeasureReloadAsync(options, r.Target, r.Rewrite, r.ConfigDump, children, client, load, cancellationToken).ConfigureAwait(false)
            : "";

        var peaks = targets.Select(t => t.Process).Distinct().ToDictionary(p => p, p => ProcStats.PeakRssMiB(p.Id));
        var report = Report.Build(options, machine with { LoadAverageAfter = MachineFacts.LoadAverage() }, targets, results, allocations, peaks)
            + Report.Soak(soaks) + reloadReport;
        Console.WriteLine();
        Console.WriteLine(report);
        if (options.Out is not null)
        {
            await File.WriteAllTextAsync(options.Out, report, cancellationToken).ConfigureAwait(false);
            Console.WriteLine($"written to {options.Out}");
        }

        return 0;
    }

    internal static string DotNetHost() =>
        Environment.ProcessPath is { } path && Path.GetFileNameWithoutExtension(path) == "dotnet" ? path : "dotnet";

    internal static string SelfDll() => Path.Combine(AppContext.BaseDirectory, "Gateway.Middleware.LoadTests.dll");

    internal static Process Unused() => throw new UnreachableException();
}
