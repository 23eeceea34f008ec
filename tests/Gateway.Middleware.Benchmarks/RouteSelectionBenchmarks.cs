using BenchmarkDotNet.Attributes;
using Gateway.Middleware.Configuration;
using Gateway.Middleware.Routing;
using Microsoft.AspNetCore.Http;

namespace Gateway.Middleware.Benchmarks;

/// <summary>
/// Route selection as the routing middleware does it per request: the host's virtual host, then its first
/// matching rule. Istio rules (<c>prefix: /svcNNNN</c>, first match wins) on one host; the best case
/// matches the first rule, the worst the last.
/// </summary>
[MemoryDiagnoser]
public class RouteSelectionBenchmarks
{
    private GatewaySnapshot _snapshot = null!;
    private RouteTable _table = null!;
    private VirtualHost _virtualHost = null!;
    private DefaultHttpContext _first = null!;
    private DefaultHttpContext _last = null!;
    private DefaultHttpContext _none = null!;

    [Params(10, 100, 1000)]
    public int Rules { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _snapshot = GatewayConfigCompiler.Compile(RouteConfigs.Istio(Rules, hosts: 1));
        _table = _snapshot.Servers.ForPort(0);
        _virtualHost = _table.MatchHost(RouteConfigs.HostName(0))!;
        _first = Request(RouteConfigs.HostName(0), $"/{RouteConfigs.RuleName(0)}/items/42");
        _last = Request(RouteConfigs.HostName(0), $"/{RouteConfigs.RuleName(Rules - 1)}/items/42");
        _none = Request(RouteConfigs.HostName(0), "/unknown/items/42");
        Check(_first, RouteConfigs.RuleName(0));
        Check(_last, RouteConfigs.RuleName(Rules - 1));
        Check(_none, null);
    }

    [GlobalCleanup]
    public void Cleanup() => _snapshot.Dispose();

    [Benchmark(Description = "best case: first rule")]
    public object? FirstRule() => Select(_first);

    [Benchmark(Description = "worst case: last rule")]
    public object? LastRule() => Select(_last);

    [Benchmark(Description = "no rule matches (404)")]
    public object? NoRule() => Select(_none);

    [Benchmark(Description = "last rule, linear scan (no index)")]
    public object? LastRuleLinear()
    {
        var virtualHost = _table.MatchHost(_last.Request.Host.Value);
        foreach (var route in virtualHost!.Routes)
        {
            if (route.Matches(_last))
            {
                return route;
            }
        }

        return null;
    }

    internal static DefaultHttpContext Request(string host, string path)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = "GET";
        context.Request.Scheme = "http";
        context.Request.Host = new HostString(host);
        context.Request.Path = path;
        return context;
    }

    private Route? Select(HttpContext context) => _table.MatchHost(context.Request.Host.Value)?.Match(context);

    private void Check(HttpContext context, string? expected)
    {
        if (Select(context)?.Name != expected || (_virtualHost.Match(context)?.Name != expected))
        {
            throw new InvalidOperationException($"{context.Request.Path} did not select {expected ?? "nothing"}.");
        }
    }
}
