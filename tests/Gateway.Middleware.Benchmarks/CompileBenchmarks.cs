using BenchmarkDotNet.Attributes;
using Gateway.Middleware.Configuration;

namespace Gateway.Middleware.Benchmarks;

/// <summary>Validating and compiling a configuration of 1,000 rules into a snapshot (startup and each reload).</summary>
[MemoryDiagnoser]
public class CompileBenchmarks
{
    private GatewayConfig _oneHost = null!;
    private GatewayConfig _hundredHosts = null!;

    [GlobalSetup]
    public void Setup()
    {
        _oneHost = RouteConfigs.Istio(1000, hosts: 1);
        _hundredHosts = RouteConfigs.Istio(1000, hosts: 100);
    }

    [Benchmark(Description = "compile 1,000 rules, one host")]
    public void CompileOneHost()
    {
        using var snapshot = GatewayConfigCompiler.Compile(_oneHost);
    }

    [Benchmark(Description = "compile 1,000 rules, 100 hosts")]
    public void CompileHundredHosts()
    {
        using var snapshot = GatewayConfigCompiler.Compile(_hundredHosts);
    }
}
