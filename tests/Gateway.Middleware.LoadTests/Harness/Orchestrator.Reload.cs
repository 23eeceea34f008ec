using System.Globalization;
using System.Text;

namespace Gateway.Middleware.LoadTests.Harness;

internal static partial class Orchestrator
{
    private const int ReloadEverySeconds = 2;

    /// <summary>
    /// Issue #8's reload target: the IstioGateway host with 1,000 rules under the same wrk load, once steady and once
    /// while its configuration file is replaced every 2 s with a changed one (each applied: the config dump's generation
    /// counts them), in alternating rounds. A reload must cause no latency spike above 2x the steady p99.
    /// </summary>
    private static async Task<string> MeasureReloadAsync(
        RunOptions options, Target target, Action<int> rewrite, Uri configDump, ChildProcesses children, ProbeClient client, LoadTools load, CancellationToken cancellationToken)
    {
        await client.WaitReadyAsync(target, children, cancellationToken).ConfigureAwait(false);
        await client.CheckRoutingAsync(target, cancellationToken).ConfigureAwait(false);
        if (options.Warmup > 0)
        {
            Console.WriteLine($"warm-up {options.Warmup}s: {target.Name}");
            await load.RunAsync(target, options.Warmup, cancellationToken).ConfigureAwait(false);
        }

        var steady = new List<LoadResult>();
        var reloading = new List<(LoadResult Result, int Written, long Applied)>();
        var generation = 0;
        for (var round = 1; round <= options.Rounds; round++)
        {
            var quiet = await load.RunAsync(target, options.Duration, cancellationToken).ConfigureAwait(false);
            steady.Add(quiet);
            Console.WriteLine($"round {round}/{options.Rounds} reload {"steady",-22} {quiet.RequestsPerSecond,10:N0} req/s  p50 {quiet.P50Ms,7:N2} ms  p99 {quiet.P99Ms,7:N2} ms  max {quiet.MaxMs,7:N2} ms  errors {quiet.Errors}");

            var before = await client.GenerationAsync(configDump, cancellationToken).ConfigureAwait(false);
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var written = 0;
            var writer = Task.Run(async () =>
            {
                try
                {
                    while (true)
                    {
                        await Task.Delay(TimeSpan.FromSeconds(ReloadEverySeconds), stop.Token).ConfigureAwait(false);
                        rewrite(++generation);
                        written++;
                    }
                }
                catch (OperationCanceledException)
                {
                    // The measured run is over.
                }
            }, CancellationToken.None);
            var busy = await load.RunAsync(target, options.Duration, cancellationToken).ConfigureAwait(false);
            await stop.CancelAsync().ConfigureAwait(false);
            await writer.ConfigureAwait(false);

            // Give the last write its chance to be applied (polled with a deadline) before counting.
            var applied = 0L;
            var deadline = DateTime.UtcNow.AddSeconds(10);
            while (true)
            {
                applied = await client.GenerationAsync(configDump, cancellationToken).ConfigureAwait(false) - before;
                if (applied >= written || DateTime.UtcNow > deadline)
                {
                    break;
                }

                await Task.Delay(100, cancellationToken).ConfigureAwait(false);
            }

            reloading.Add((busy, written, applied));
            Console.WriteLine($"round {round}/{options.Rounds} reload {$"{written} rewrites, {applied} applied",-22} {busy.RequestsPerSecond,10:N0} req/s  p50 {busy.P50Ms,7:N2} ms  p99 {busy.P99Ms,7:N2} ms  max {busy.MaxMs,7:N2} ms  errors {busy.Errors}");
        }

        var text = new StringBuilder();
        text.AppendLine().AppendLine(CultureInfo.InvariantCulture, $"### Reload under load: {target.Name}").AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"wrk -t{options.Threads} -c{options.Connections}, {options.Duration} s per run; the configuration file (1,000 rules) is replaced every {ReloadEverySeconds} s during the reload runs.").AppendLine();
        text.AppendLine("| Round | Run | Config writes / applied | req/s | p50 ms | p99 ms | max ms | errors |");
        text.AppendLine("|---:|---|---:|---:|---:|---:|---:|---:|");
        for (var i = 0; i < steady.Count; i++)
        {
            var s = steady[i];
            var (b, written, applied) = reloading[i];
            text.AppendLine(CultureInfo.InvariantCulture, $"| {i + 1} | steady | – | {s.RequestsPerSecond:N0} | {s.P50Ms:N2} | {s.P99Ms:N2} | {s.MaxMs:N2} | {s.Errors} |");
            text.AppendLine(CultureInfo.InvariantCulture, $"| {i + 1} | reloading | {written} / {applied} | {b.RequestsPerSecond:N0} | {b.P50Ms:N2} | {b.P99Ms:N2} | {b.MaxMs:N2} | {b.Errors} |");
        }

        var steadyP99 = Median(steady.Select(r => r.P99Ms));
        var reloadP99 = Median(reloading.Select(r => r.Result.P99Ms));
        text.AppendLine().AppendLine(CultureInfo.InvariantCulture,
            $"Median p99: steady {steadyP99:N2} ms, reloading {reloadP99:N2} ms ({reloadP99 / steadyP99:N2}x; target: no spike above 2x the steady p99).");
        return text.ToString();
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count == 0 ? double.NaN : sorted[sorted.Count / 2];
    }
}
