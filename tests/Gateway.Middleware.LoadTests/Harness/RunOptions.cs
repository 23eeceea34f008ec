using System.Globalization;

namespace Gateway.Middleware.LoadTests.Harness;

/// <summary>The harness's command line.</summary>
internal sealed record RunOptions
{
    public const string Usage = """
        Usage: dotnet Gateway.Middleware.LoadTests.dll [run] [options]   (or tests/load/run.sh [options])
          --duration <s>         seconds per measured round per target (default 10)
          --rounds <n>           alternating rounds A B C ... A B C ... (default 3)
          --warmup <s>           seconds of load per target before the rounds (default 5)
          --connections <n>      wrk connections (default 64); h2load uses n/4 connections x 4 streams
          --threads <n>          wrk/h2load threads (default 2)
          --alloc-requests <n>   requests per .NET proxy for allocated bytes per request (default 20000)
          --scenarios <list>     plain,jwt,h2,grpc,reload (default all); reload: the IstioGateway host with 1,000
                                 rules, p50/p99/max with and without its config rewritten every 2 s
          --only <list>          only targets whose name contains one of these (comma-separated)
          --istio-gateway <dll>  the IstioGateway sample's built dll (default: samples/IstioGateway/bin/Release/net10.0/IstioGateway.dll)
          --soak <minutes>       after the rounds, keep loading each plain-scenario gateway for this long (30 s
                                 chunks) and report req/s and RSS per chunk (memory flat across a soak?)
          --out <file>           also write the result tables (markdown) to this file
          --quick                smoke run: --duration 3 --rounds 2 --warmup 1 --alloc-requests 5000
        """;

    public int Duration { get; init; } = 10;

    public int Rounds { get; init; } = 3;

    public int Warmup { get; init; } = 5;

    public int Connections { get; init; } = 64;

    public int Threads { get; init; } = 2;

    public int AllocRequests { get; init; } = 20_000;

    public IReadOnlyList<string> Scenarios { get; init; } = ["plain", "jwt", "h2", "grpc", "reload"];

    public IReadOnlyList<string> Only { get; init; } = [];

    public string? IstioGatewayDll { get; init; }

    public string? Out { get; init; }

    public int SoakMinutes { get; init; }

    public bool Quick { get; init; }

    public IReadOnlyList<string> CommandLine { get; init; } = [];

    public static RunOptions Parse(string[] args)
    {
        var options = new RunOptions { CommandLine = args };
        if (args.Contains("--quick"))
        {
            options = options with { Quick = true, Duration = 3, Rounds = 2, Warmup = 1, AllocRequests = 5000 };
        }

        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            int NextInt() => int.Parse(Next(), CultureInfo.InvariantCulture) is var n and > 0 ? n : throw new ArgumentException($"{args[i]} must be positive");
            options = args[i] switch
            {
                "--quick" => options,
                "--duration" => options with { Duration = NextInt() },
                "--rounds" => options with { Rounds = NextInt() },
                "--warmup" => options with { Warmup = int.Parse(Next(), CultureInfo.InvariantCulture) },
                "--connections" => options with { Connections = NextInt() },
                "--threads" => options with { Threads = NextInt() },
                "--alloc-requests" => options with { AllocRequests = NextInt() },
                "--scenarios" => options with { Scenarios = Next().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) },
                "--only" => options with { Only = Next().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) },
                "--istio-gateway" => options with { IstioGatewayDll = Next() },
                "--out" => options with { Out = Next() },
                "--soak" => options with { SoakMinutes = NextInt() },
                _ => throw new ArgumentException($"unknown option '{args[i]}'"),
            };
        }

        return options;
    }
}
