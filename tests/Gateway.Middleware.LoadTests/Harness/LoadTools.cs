using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Gateway.Middleware.LoadTests.Harness;

/// <summary>Runs wrk (HTTP/1.1 keep-alive) or h2load (h2c) against a target and parses what they print.</summary>
internal sealed partial class LoadTools(RunOptions options, ChildProcesses children, string workDirectory)
{
    private int _runs;

    public async Task<LoadResult> RunAsync(Target target, int seconds, CancellationToken cancellationToken)
    {
        var cpuBefore = ProcStats.CpuSeconds(target.Process.Id);
        var clock = Stopwatch.StartNew();
        _lastMaxMs = double.NaN;
        var (rps, p50, p99, requests, errors) = target.Http2
            ? await H2LoadAsync(target, seconds, cancellationToken).ConfigureAwait(false)
            : await WrkAsync(target, seconds, cancellationToken).ConfigureAwait(false);
        var cpu = (ProcStats.CpuSeconds(target.Process.Id) - cpuBefore) / clock.Elapsed.TotalSeconds;
        return new LoadResult(rps, p50, p99, requests, errors, cpu) { MaxMs = _lastMaxMs };
    }

    private double _lastMaxMs = double.NaN;

    private async Task<(double, double, double, long, long)> WrkAsync(Target target, int seconds, CancellationToken cancellationToken)
    {
        var args = new List<string>
        {
            $"-t{options.Threads}", $"-c{options.Connections}", $"-d{seconds}s", "--latency",
            "-H", $"Host: {target.Host}", "-H", $"{Bench.Header}: {Bench.HeaderValue}",
        };
        if (target.Token is not null)
        {
            args.AddRange(["-H", $"Authorization: Bearer {target.Token}"]);
        }

        args.Add(target.Url.ToString());
        var output = await RunToolAsync("wrk", args, cancellationToken).ConfigureAwait(false);
        var rps = Number(RequestsPerSecond().Match(output), output);
        var p50 = Latency(output, "50%");
        var p99 = Latency(output, "99%");
        if (WrkLatencyLine().Match(output) is { Success: true } line)
        {
            _lastMaxMs = Milliseconds(line.Groups[1].Value, line.Groups[2].Value);
        }

        var requests = (long)Number(WrkRequests().Match(output), output);
        long errors = 0;
        if (WrkNon2xx().Match(output) is { Success: true } non2xx)
        {
            errors += long.Parse(non2xx.Groups[1].Value, CultureInfo.InvariantCulture);
        }

        if (WrkSocketErrors().Match(output) is { Success: true } socket)
        {
            for (var i = 1; i <= 4; i++)
            {
                errors += long.Parse(socket.Groups[i].Value, CultureInfo.InvariantCulture);
            }
        }

        return (rps, p50, p99, requests, errors);
    }

    private async Task<(double, double, double, long, long)> H2LoadAsync(Target target, int seconds, CancellationToken cancellationToken)
    {
        var log = Path.Combine(workDirectory, $"h2load-{Interlocked.Increment(ref _runs)}.tsv");
        var connections = Math.Max(options.Threads, options.Connections / 4);
        var args = new List<string>
        {
            "-t", options.Threads.ToString(CultureInfo.InvariantCulture), "-c", connections.ToString(CultureInfo.InvariantCulture), "-m", "4",
            "-D", seconds.ToString(CultureInfo.InvariantCulture),
            "-H", $":authority: {target.Host}", "-H", $"{Bench.Header}: {Bench.HeaderValue}",
            "--log-file", log,
        };
        if (target.Grpc)
        {
            args.AddRange(["-d", GrpcRequestFile(), "-H", "content-type: application/grpc", "-H", "te: trailers"]);
        }

        args.Add(target.Url.ToString());
        var output = await RunToolAsync("h2load", args, cancellationToken).ConfigureAwait(false);
        var rps = Number(H2LoadRps().Match(output), output);
        var requests = H2LoadRequests().Match(output);
        var done = long.Parse(requests.Groups[1].Value, CultureInfo.InvariantCulture);
        var failed = long.Parse(requests.Groups[2].Value, CultureInfo.InvariantCulture) + long.Parse(requests.Groups[3].Value, CultureInfo.InvariantCulture);
        var status = H2LoadStatus().Match(output);
        var non2xx = status.Success ? done - long.Parse(status.Groups[1].Value, CultureInfo.InvariantCulture) : 0;

        // h2load prints no percentiles; its log has one line per request: start (µs), status, duration (µs).
        var durations = new List<double>();
        foreach (var line in File.ReadLines(log))
        {
            var fields = line.Split('\t');
            if (fields.Length >= 3 && double.TryParse(fields[2], CultureInfo.InvariantCulture, out var micros))
            {
                durations.Add(micros / 1000.0);
            }
        }

        File.Delete(log);
        durations.Sort();
        return (rps, Percentile(durations, 0.50), Percentile(durations, 0.99), done, failed + Math.Max(0, non2xx));
    }

    private async Task<string> RunToolAsync(string tool, List<string> args, CancellationToken cancellationToken)
    {
        var name = $"{tool}-{Interlocked.Increment(ref _runs)}";
        var process = children.Start(name, tool, args);
        try
        {
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        process.WaitForExit(); // drains the redirected output into the log
        var output = await File.ReadAllTextAsync(children.LogPath(name), cancellationToken).ConfigureAwait(false);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{tool} exited with {process.ExitCode}:\n{output}");
        }

        File.Delete(children.LogPath(name));
        return output;
    }

    /// <summary>The gRPC request h2load POSTs: one uncompressed 13-byte message.</summary>
    public static byte[] GrpcRequest { get; } = [0, 0, 0, 0, 13, 0x0A, 11, .. "hello world"u8.ToArray()];

    private string GrpcRequestFile()
    {
        var path = Path.Combine(workDirectory, "grpc-request.bin");
        if (!File.Exists(path))
        {
            File.WriteAllBytes(path, GrpcRequest);
        }

        return path;
    }

    private static double Percentile(List<double> sorted, double q) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(q * sorted.Count) - 1)];

    private static double Number(Match match, string output) => match.Success
        ? double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture)
        : throw new InvalidOperationException($"cannot parse the load tool's output:\n{output}");

    private static double Latency(string output, string percentile)
    {
        var match = Regex.Match(output, $@"^\s*{Regex.Escape(percentile)}\s+([\d.]+)(us|ms|s)\s*$", RegexOptions.Multiline, TimeSpan.FromSeconds(1));
        if (!match.Success)
        {
            throw new InvalidOperationException($"no {percentile} latency in wrk's output:\n{output}");
        }

        return Milliseconds(match.Groups[1].Value, match.Groups[2].Value);
    }

    private static double Milliseconds(string number, string unit)
    {
        var value = double.Parse(number, CultureInfo.InvariantCulture);
        return unit switch { "us" => value / 1000, "s" => value * 1000, _ => value };
    }

    // "    Latency   421.05us  612.33us  27.08ms   95.34%": average, standard deviation, max.
    [GeneratedRegex(@"^\s*Latency\s+[\d.]+(?:us|ms|s)\s+[\d.]+(?:us|ms|s)\s+([\d.]+)(us|ms|s)", RegexOptions.Multiline)]
    private static partial Regex WrkLatencyLine();

    [GeneratedRegex(@"Requests/sec:\s+([\d.]+)")]
    private static partial Regex RequestsPerSecond();

    [GeneratedRegex(@"(\d+) requests in")]
    private static partial Regex WrkRequests();

    [GeneratedRegex(@"Non-2xx or 3xx responses:\s+(\d+)")]
    private static partial Regex WrkNon2xx();

    [GeneratedRegex(@"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)")]
    private static partial Regex WrkSocketErrors();

    [GeneratedRegex(@"finished in [^,]+, ([\d.]+) req/s")]
    private static partial Regex H2LoadRps();

    [GeneratedRegex(@"requests: \d+ total, \d+ started, (\d+) done, \d+ succeeded, (\d+) failed, (\d+) errored")]
    private static partial Regex H2LoadRequests();

    [GeneratedRegex(@"status codes: (\d+) 2xx")]
    private static partial Regex H2LoadStatus();
}
