using Gateway.Middleware.Configuration;
using Gateway.Middleware.Configuration.Yaml;

namespace Gateway.Middleware.Tests.Configuration.Yaml.Conformance;

/// <summary>
/// The conformance kit's configs load as the host will load them: without errors, bound as the cases expect,
/// and the two config-error cases fail naming the resource and field.
/// </summary>
public sealed class ConformanceCaseConfigTests
{
    public static TheoryData<string, string> ValidCases => new()
    {
        { "10-istio-hosts", ConformanceCases.IstioHosts },
        { "40-istio-traffic-shifting", ConformanceCases.IstioTrafficShifting },
        { "80-gatewayapi-matching", ConformanceCases.GatewayApiMatching },
        { "97-reload (base)", ConformanceCases.HotReloadBase },
        { "97-reload (first reload)", ConformanceCases.HotReloadValid },
    };

    [Theory]
    [MemberData(nameof(ValidCases))]
    public void Load_ConformanceCaseConfig_NoErrorsAndCompiles(string name, string yaml)
    {
        var result = IstioYaml.Load([($"{name}.yaml", yaml)]);

        Assert.Empty(result.Errors);
        Assert.NotEmpty(result.Config.Routes);
        using var snapshot = GatewayConfigCompiler.Compile(result.Config);
    }

    [Fact]
    public void Load_ConfigErrorBadRegex_NamesResourceAndField()
    {
        var error = Assert.Single(IstioYaml.Load([("config.yaml", ConformanceCases.ConfigErrorBadRegex)]).Errors);

        Assert.StartsWith("config.yaml#2 VirtualService default/bad-regex: spec.http[0].match[0].uri.regex: invalid pattern '([a-z'", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_ConfigErrorRouteAndRedirect_NamesResourceAndRedirect()
        => Assert.Equal(
            ["config.yaml#2 VirtualService default/both-actions: spec.http[0]: destinations, redirect and directResponse are mutually exclusive"],
            IstioYaml.Load([("config.yaml", ConformanceCases.ConfigErrorRouteAndRedirect)]).Errors);

    [Fact]
    public void Load_BrokenReload_SyntaxErrorWithFileAndLine()
    {
        var error = Assert.Single(IstioYaml.Load([("config.yaml", ConformanceCases.HotReloadBroken)]).Errors);

        Assert.StartsWith("config.yaml#1: line ", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_IstioHosts_UnboundVirtualServiceWarnedAndMissingHostHasNoEndpoints()
    {
        var result = IstioYaml.Load([("config.yaml", ConformanceCases.IstioHosts)]);

        Assert.Contains("config.yaml#4 VirtualService default/not-bound: spec.gateways: binds to the mesh (sidecars) only, not to this gateway: not served", result.Warnings);
        Assert.Empty(result.Config.Upstreams.Single(u => u.Name == "missing.default.svc.cluster.local").Endpoints);
        Assert.Equal(["http://127.0.0.1:9001"], result.Config.Upstreams.Single(u => u.Name == "httpbin.default.svc.cluster.local").Endpoints.Select(e => e.Address));
    }

    [Theory]
    [InlineData("httpbin.example.com", "/status/200", "httpbin.default.svc.cluster.local")]
    [InlineData("httpbin.example.com", "/delay/1", "httpbin.default.svc.cluster.local")]
    [InlineData("httpbin.example.com:8443", "/status/200", "httpbin.default.svc.cluster.local")]
    [InlineData("HTTPBIN.Example.COM", "/status/200", "httpbin.default.svc.cluster.local")]
    [InlineData("httpbin.example.com", "/headers", "404")]
    [InlineData("nothere.example.com", "/status/200", "404")]
    [InlineData("a.wild.example.com", "/x", "wild.default.svc.cluster.local")]
    [InlineData("a.b.wild.example.com", "/x", "wild.default.svc.cluster.local")]
    [InlineData("wild.example.com", "/x", "404")]
    [InlineData("awild.example.com", "/x", "404")]
    [InlineData("other.example.com", "/x", "404")]
    [InlineData("unbound.example.com", "/x", "404")]
    [InlineData("httpbin.example.com", "/nowhere", "missing.default.svc.cluster.local")] // no endpoints: the forwarder answers 503
    public async Task Route_IstioHostsCase_ExpectedUpstream(string host, string path, string expected)
    {
        await using var gateway = await YamlTestHost.StartAsync(("config.yaml", ConformanceCases.IstioHosts));

        Assert.Equal(expected, await gateway.UpstreamAsync(path, host, 8080));
    }

    [Theory]
    [InlineData("headers.example.com", "/", "Version:one", "infra-backend-v1")]
    [InlineData("headers.example.com", "/", "Version:two", "infra-backend-v2")]
    [InlineData("headers.example.com", "/", "Version:two;Color:orange", "infra-backend-v1")]
    [InlineData("headers.example.com", "/", "Version:two;Color:blue", "infra-backend-v2")]
    [InlineData("headers.example.com", "/", "Color:orange", "404")]
    [InlineData("headers.example.com", "/", "Color:yellow", "infra-backend-v2")]
    [InlineData("paths.example.com", "/match/exact/one", "", "infra-backend-v3")]
    [InlineData("paths.example.com", "/match/exact", "", "infra-backend-v2")]
    [InlineData("paths.example.com", "/match", "", "infra-backend-v1")]
    [InlineData("paths.example.com", "/match/prefix/one/any", "", "infra-backend-v2")]
    [InlineData("paths.example.com", "/match/prefix/any", "", "infra-backend-v1")]
    [InlineData("paths.example.com", "/match/any", "", "infra-backend-v3")]
    [InlineData("matching.example.com", "/", "Version:two", "infra-backend-v2")]
    [InlineData("matching.example.com", "/v2example", "", "infra-backend-v1")]
    [InlineData("matching.example.com", "/v2/", "", "infra-backend-v2")]
    [InlineData("exact.example.com", "/two", "", "infra-backend-v2")]
    [InlineData("exact.example.com", "/two/", "", "404")]
    [InlineData("exact.example.com", "/Two", "", "404")]
    [InlineData("query.example.com", "/?animal=dolphin&color=blue", "", "infra-backend-v3")]
    [InlineData("query.example.com", "/?ANIMAL=Whale", "", "infra-backend-v3")]
    [InlineData("query.example.com", "/?animal=whaledolphin", "", "404")]
    [InlineData("query.example.com", "/path2?animal=whale", "version:two", "infra-backend-v3")]
    [InlineData("query.example.com", "/path4?animal=kraken", "", "404")]
    [InlineData("query.example.com", "/path5?animal=hydra", "", "infra-backend-v1")]
    [InlineData("query.example.com", "/?animal=hydra", "version:four", "infra-backend-v3")]
    public async Task Route_GatewayApiMatchingCase_ExpectedBackend(string host, string path, string headers, string backend)
    {
        await using var gateway = await YamlTestHost.StartAsync(("config.yaml", ConformanceCases.GatewayApiMatching));
        var parsed = headers.Split(';', StringSplitOptions.RemoveEmptyEntries).Select(h => (h[..h.IndexOf(':', StringComparison.Ordinal)], h[(h.IndexOf(':', StringComparison.Ordinal) + 1)..])).ToArray();

        var upstream = await gateway.UpstreamAsync(path, host, 8080, "GET", parsed);

        Assert.Equal(backend == "404" ? "404" : $"{backend}.gateway-conformance-infra.svc.cluster.local", upstream);
    }

    [Theory]
    [InlineData("POST", "/", "", "infra-backend-v1")]
    [InlineData("GET", "/", "", "infra-backend-v2")]
    [InlineData("HEAD", "/", "", "404")]
    [InlineData("PATCH", "/path5", "", "infra-backend-v1")]
    [InlineData("PATCH", "/", "version:four", "infra-backend-v2")]
    public async Task Route_GatewayApiMethodMatching_ExpectedBackend(string method, string path, string headers, string backend)
    {
        await using var gateway = await YamlTestHost.StartAsync(("config.yaml", ConformanceCases.GatewayApiMatching));
        var parsed = headers.Length == 0 ? [] : new[] { (headers[..headers.IndexOf(':', StringComparison.Ordinal)], headers[(headers.IndexOf(':', StringComparison.Ordinal) + 1)..]) };

        var upstream = await gateway.UpstreamAsync(path, "method.example.com", 8080, method, parsed);

        Assert.Equal(backend == "404" ? "404" : $"{backend}.gateway-conformance-infra.svc.cluster.local", upstream);
    }

    [Fact]
    public void Load_TrafficShifting_WeightsAndSubsets()
    {
        var config = IstioYaml.Load([("config.yaml", ConformanceCases.IstioTrafficShifting)]).Config;

        Assert.Equal(
            [[("v1", 50), ("v3", 50)], [("v1", 80), ("v2", 20)], [("v2", 100), ("v3", 0)]],
            config.Routes.Select(r => r.Destinations.Select(d => (d.Subset!, d.Weight)).ToArray()).ToArray());
    }
}
