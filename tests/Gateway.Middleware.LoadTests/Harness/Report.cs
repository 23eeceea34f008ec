using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Gateway.Middleware.LoadTests.Harness;

/// <summary>The result tables (markdown), with the command and the machine they are valid for.</summary>
internal static class Report
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static string Build(RunOptions options, MachineFacts machine, List<Target> targets, Dictionary<Target, List<LoadResult>> results,
        Dictionary<Target, double> allocations, Dictionary<Process, double> peaks)
    {
        var text = new StringBuilder();
        text.AppendLine(Invariant, $"Command: `tests/load/run.sh {string.Join(' ', options.CommandLine)}` ({options.Rounds} alternating rounds of {options.Duration} s per target after {options.Warmup} s of warm-up; " +
            $"wrk -t{options.Threads} -c{options.Connections} HTTP/1.1 keep-alive, h2load -t{options.Threads} -c{Math.Max(options.Threads, options.Connections / 4)} -m4 h2c; " +
            $"allocations over {options.AllocRequests:N0} requests, 16 at a time).");
        text.AppendLine();
        text.AppendLine(Invariant, $"Machine: {machine.Describe()}.");
        text.AppendLine();
        text.AppendLine("Values are means over the rounds; CPU is the proxy process's user + system time per wall-clock second (1.00 = one core), its descendants included; " +
            "peak RSS is the process's VmHWM at the end (a process serving several targets reports one peak).");

        foreach (var scenario in new[] { "plain", "jwt", "h2", "grpc" })
        {
            var rows = targets.Where(t => t.Scenario == scenario).ToList();
            if (rows.Count == 0)
            {
                continue;
            }

            text.AppendLine();
            text.AppendLine(scenario switch
            {
                "plain" => "**Plain forwarding** (HTTP/1.1, host + header match, 13-byte body):",
                "jwt" => "**With JWT** (RS256, the same token on every request, ALLOW policy requiring a principal):",
                "h2" => "**HTTP/2** (h2c from the client, h2c to the upstream):",
                _ => "**gRPC unary** (h2c both ways, a 13-byte request and response message, `grpc-status` trailer):",
            });
            text.AppendLine();
            text.AppendLine("| Target | req/s | p50 ms | p99 ms | CPU (cores) | req/s per core | peak RSS MiB | allocated B/req | errors |");
            text.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
            foreach (var target in rows)
            {
                var r = results[target];
                var rps = r.Average(x => x.RequestsPerSecond);
                var cpu = r.Average(x => x.CpuCores);
                text.AppendLine(Invariant,
                    $"| {target.Name} | {rps:N0} | {r.Average(x => x.P50Ms):N2} | {r.Average(x => x.P99Ms):N2} | {cpu:N2} | {(cpu > 0 ? rps / cpu : 0):N0} | " +
                    $"{peaks[target.Process]:N0} | {(allocations.TryGetValue(target, out var a) ? a.ToString("N0", Invariant) : "—")} | {r.Sum(x => x.Errors)} |");
            }
        }

        var ratios = Ratios(targets, results, allocations).ToList();
        if (ratios.Count > 0)
        {
            text.AppendLine();
            text.AppendLine("**Ratios** (same run):");
            text.AppendLine();
            text.AppendLine("| Ratio | req/s | p99 | allocated B/req |");
            text.AppendLine("|---|---:|---:|---:|");
            foreach (var line in ratios)
            {
                text.AppendLine(line);
            }
        }

        return text.ToString();
    }

    private static IEnumerable<string> Ratios(List<Target> targets, Dictionary<Target, List<LoadResult>> results, Dictionary<Target, double> allocations)
    {
        Target? Find(string name) => targets.FirstOrDefault(t => t.Name == name);
        var pairs = new (string A, string B)[]
        {
            ("gateway (IstioGateway YAML)", "YARP"),
            ("gateway (Program.cs)", "YARP"),
            ("gateway (IstioGateway YAML) + JWT", "YARP + JwtBearer"),
            ("gateway (Program.cs) + JWT", "YARP + JwtBearer"),
            ("gateway (IstioGateway YAML) + JWT", "gateway (IstioGateway YAML)"),
            ("gateway (Program.cs) + JWT", "gateway (Program.cs)"),
            ("gateway (Program.cs) h2c", "YARP h2c"),
            ("gateway (Program.cs) gRPC", "YARP gRPC"),
        };
        foreach (var (aName, bName) in pairs)
        {
            if (Find(aName) is not { } a || Find(bName) is not { } b)
            {
                continue;
            }

            var rps = results[a].Average(x => x.RequestsPerSecond) / results[b].Average(x => x.RequestsPerSecond);
            var p99 = results[a].Average(x => x.P99Ms) / results[b].Average(x => x.P99Ms);
            var alloc = allocations.TryGetValue(a, out var aa) && allocations.TryGetValue(b, out var bb) && bb > 0 ? (aa / bb).ToString("N2", Invariant) + "×" : "—";
            yield return string.Create(Invariant, $"| {aName} / {bName} | {rps:N2}× | {p99:N2}× | {alloc} |");
        }
    }

    public static string Soak(List<(Target Target, List<(double Minutes, LoadResult Result, double RssMiB)> Chunks)> soaks)
    {
        if (soaks.Count == 0)
        {
            return "";
        }

        var text = new StringBuilder();
        text.AppendLine();
        text.AppendLine("**Soak** (wrk as above, back to back in 30 s chunks; RSS = VmRSS after each chunk):");
        text.AppendLine();
        text.AppendLine("| Target | minute | req/s | p99 ms | RSS MiB |");
        text.AppendLine("|---|---:|---:|---:|---:|");
        foreach (var (target, chunks) in soaks)
        {
            foreach (var (minutes, result, rss) in chunks)
            {
                text.AppendLine(Invariant, $"| {target.Name} | {minutes:N1} | {result.RequestsPerSecond:N0} | {result.P99Ms:N2} | {rss:N0} |");
            }

            var first = chunks[0].RssMiB;
            var last = chunks[^1].RssMiB;
            text.AppendLine(Invariant, $"| {target.Name}: RSS first → last chunk | | | | {first:N0} → {last:N0} ({(last - first) / first:+0.0%;-0.0%}) |");
        }

        return text.ToString();
    }
}
