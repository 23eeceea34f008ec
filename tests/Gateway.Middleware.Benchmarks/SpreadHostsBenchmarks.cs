using BenchmarkDotNet.Attributes;
using Gateway.Middleware.Configuration;
using Gateway.Middleware.Routing;
using Microsoft.AspNetCore.Http;

namespace Gateway.Middleware.Benchmarks;

/// <summary>
/// 1,000 Istio rules spread over 100 exact hosts (10 per host), and 1,000 Gateway API rules on one host
/// sorted by precedence: selecting the last rule.
/// </summary>
[MemoryDiagnoser]
public class SpreadHostsBenchmarks
{
    private GatewaySnapshot _spread = null!;
    private GatewaySnapshot _gatewayApi = null!;
    private RouteTable _spreadTable = null!;
    private RouteTable _gatewayApiTable = null!;
    private DefaultHttpContext _spreadRequest = null!;
    private DefaultHttpContext _gatewayApiRequest = null!;

    [GlobalSetup]
    public void Setup()
    {
        _spread = GatewayConfigCompiler.Compile(RouteConfigs.Istio(1000, hosts: 100));
        _spreadTable = _spread.Servers.ForPort(0);
        _spreadRequest = RouteSelectionBenchmarks.Request(RouteConfigs.HostName(99), $"/{RouteConfigs.RuleName(999)}/items/42");
        _gatewayApi = GatewayConfigCompiler.Compile(RouteConfigs.GatewayApi(1000));
        _gatewayApiTable = _gatewayApi.Servers.ForPort(0);
        _gatewayApiRequest = RouteSelectionBenchmarks.Request(RouteConfigs.HostName(0), $"/{RouteConfigs.RuleName(999)}/items/42");
        if ((SpreadOver100Hosts() as Route)?.Name != RouteConfigs.RuleName(999) || (GatewayApi1000Rules() as Route)?.Name != RouteConfigs.RuleName(999))
        {
            throw new InvalidOperationException("The benchmark requests do not select the expected rules.");
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _spread.Dispose();
        _gatewayApi.Dispose();
    }

    [Benchmark(Description = "1,000 Istio rules over 100 hosts: last rule")]
    public object? SpreadOver100Hosts() => _spreadTable.MatchHost(_spreadRequest.Request.Host.Value)?.Match(_spreadRequest);

    [Benchmark(Description = "1,000 Gateway API rules, one host: last rule")]
    public object? GatewayApi1000Rules() => _gatewayApiTable.MatchHost(_gatewayApiRequest.Request.Host.Value)?.Match(_gatewayApiRequest);
}
