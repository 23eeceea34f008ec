using BenchmarkDotNet.Running;

// dotnet run -c Release --project tests/Gateway.Middleware.Benchmarks -- --filter '*'
BenchmarkSwitcher.FromAssembly(typeof(Gateway.Middleware.Benchmarks.RouteSelectionBenchmarks).Assembly).Run(args);
