using Gateway.Middleware.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Gateway.Middleware.Configuration.Yaml;
using Gateway.Middleware.Tests.Configuration.AppSettings;
using static Gateway.Middleware.Tests.Configuration.Yaml.DestinationRules.DestinationRuleYaml;

namespace Gateway.Middleware.Tests.Configuration.Yaml.DestinationRules;

/// <summary>
/// Several DestinationRules for one host merge as Istio merges them (oldest first: subsets add up, the first
/// top-level trafficPolicy wins); a host takes the rules of its most specific matching host; rules for a host
/// another source declares reach that declaration.
/// </summary>
public sealed class DestinationRuleMergeTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("gateway-dr-").FullName;

    [Fact]
    public void SameHost_OldestRuleTopLevelPolicyWins_SubsetsMerged_LaterPolicyWarned()
    {
        var result = Yaml.Load(
            Yaml.Service("svc"),
            Rule("trafficPolicy: {loadBalancer: {simple: RANDOM}}\nsubsets: [{name: v2, labels: {version: v2}}]", name: "newer").Replace("namespace: default}", "namespace: default, creationTimestamp: '2024-02-01T00:00:00Z'}", StringComparison.Ordinal),
            Rule("trafficPolicy: {loadBalancer: {simple: ROUND_ROBIN}}\nsubsets: [{name: v1, labels: {version: v1}}]", name: "older").Replace("namespace: default}", "namespace: default, creationTimestamp: '2024-01-01T00:00:00Z'}", StringComparison.Ordinal));

        Assert.Empty(result.Errors);
        var upstream = Yaml.Upstream(result.Config, Host);
        Assert.Equal(LoadBalancerPolicy.RoundRobin, upstream.TrafficPolicy!.LoadBalancer!.Policy);
        Assert.Equal("test.yaml#3 DestinationRule default/older", upstream.TrafficPolicy.Source);
        Assert.Equal(["v1", "v2"], upstream.Subsets.Select(s => s.Name));
        Assert.Equal(["test.yaml#2 DestinationRule default/newer: spec.trafficPolicy: ignored for 'svc.default.svc.cluster.local': test.yaml#3 DestinationRule default/older (older) already sets its top-level trafficPolicy"], result.Warnings);
    }

    [Fact]
    public void SameHost_OnlyLaterRuleSetsPolicy_ItsPolicyApplies()
    {
        var upstream = Yaml.Upstream(Yaml.Config(
            Yaml.Service("svc"),
            Rule("subsets: [{name: v1, labels: {version: v1}}]", name: "first"),
            Rule("trafficPolicy: {outlierDetection: {consecutive5xxErrors: 3}}", name: "second")), Host);

        Assert.Equal(3, upstream.TrafficPolicy!.OutlierDetection!.Consecutive5xxErrors);
        Assert.Equal("test.yaml#3 DestinationRule default/second", upstream.TrafficPolicy.Source);
    }

    [Fact]
    public void SameHost_SubsetDeclaredTwice_Error()
    {
        var result = Yaml.Load(Yaml.Service("svc"), Rule("subsets: [{name: v1, labels: {version: v1}}]", name: "a"), Rule("subsets: [{name: v2}, {name: v1}]", name: "b"));

        Assert.Equal(["test.yaml#3 DestinationRule default/b: spec.subsets[1].name: subset 'v1' of 'svc.default.svc.cluster.local' is already declared"], result.Errors);
    }

    [Fact]
    public void Wildcard_MoreSpecificRuleWins_WildcardAppliesElsewhere()
    {
        var result = Yaml.Load(
            Yaml.Service("a"),
            Yaml.Service("b"),
            Rule("trafficPolicy: {loadBalancer: {simple: RANDOM}}", name: "all", host: "'*.svc.cluster.local'"),
            Rule("trafficPolicy: {loadBalancer: {simple: ROUND_ROBIN}}", name: "default-ns", host: "'*.default.svc.cluster.local'"),
            Rule("trafficPolicy: {loadBalancer: {simple: LEAST_REQUEST}}\nsubsets: [{name: v1, labels: {version: v1}}]", name: "a", host: "a"));

        Assert.Empty(result.Errors);
        var a = Yaml.Upstream(result.Config, "a.default.svc.cluster.local");
        Assert.Equal(LoadBalancerPolicy.LeastRequest, a.TrafficPolicy!.LoadBalancer!.Policy);
        Assert.Equal("v1", Assert.Single(a.Subsets).Name);
        var b = Yaml.Upstream(result.Config, "b.default.svc.cluster.local");
        Assert.Equal(LoadBalancerPolicy.RoundRobin, b.TrafficPolicy!.LoadBalancer!.Policy); // the longest wildcard
        Assert.Empty(b.Subsets);
        Assert.Equal(["test.yaml#3 DestinationRule default/all: spec.host: every host '*.svc.cluster.local' covers has a DestinationRule for a more specific host; the rule has no effect"], result.Warnings);
    }

    [Fact]
    public void Merge_StandInPolicyAndSubsets_TakenByTheDeclaration()
    {
        var declared = new UpstreamConfig { Name = "reviews", Endpoints = [new EndpointConfig("http://127.0.0.1:1")], Subsets = [new SubsetConfig("v1", new Dictionary<string, string> { ["version"] = "v1" })] };
        var policy = new TrafficPolicyConfig { LoadBalancer = new LoadBalancerConfig { Policy = LoadBalancerPolicy.Random } };
        var standIn = new UpstreamConfig
        {
            Name = "reviews",
            IsPlaceholder = true,
            TrafficPolicy = policy,
            Subsets =
            [
                new SubsetConfig("v1", new Dictionary<string, string> { ["version"] = "other" }),
                new SubsetConfig("v2", new Dictionary<string, string> { ["version"] = "v2" }),
                new SubsetConfig("v3", new Dictionary<string, string> { [YamlModelBuilder.UnresolvedSubsetLabel] = "v3" }),
            ],
        };
        var upstreams = new List<UpstreamConfig> { standIn, declared };

        GatewayConfigProvider.RemoveReplacedPlaceholders(upstreams);

        var merged = Assert.Single(upstreams);
        Assert.False(merged.IsPlaceholder);
        Assert.Same(policy, merged.TrafficPolicy);
        Assert.Equal(["v1", "v2"], merged.Subsets.Select(s => s.Name)); // its own v1; no made-up v3
        Assert.Equal("v1", merged.Subsets[0].Labels["version"]);
    }

    [Fact]
    public void Merge_DeclarationWithItsOwnPolicy_KeepsItAndWarns()
    {
        var own = new TrafficPolicyConfig { LoadBalancer = new LoadBalancerConfig { Policy = LoadBalancerPolicy.RoundRobin } };
        var upstreams = new List<UpstreamConfig>
        {
            new() { Name = "reviews", TrafficPolicy = own, Source = "Gateway:Upstreams:reviews" },
            new() { Name = "reviews", IsPlaceholder = true, TrafficPolicy = new TrafficPolicyConfig { Source = "dr.yaml#1 DestinationRule default/reviews", SourcePath = "spec.trafficPolicy" } },
        };
        var warnings = new List<string>();

        GatewayConfigProvider.RemoveReplacedPlaceholders(upstreams, warnings);

        Assert.Same(own, Assert.Single(upstreams).TrafficPolicy);
        Assert.Equal(["dr.yaml#1 DestinationRule default/reviews: spec.trafficPolicy: ignored for 'reviews': Gateway:Upstreams:reviews has its own traffic policy"], warnings);
    }

    [Fact]
    public void Merge_StandInWithH2Upgrade_DeclarationSpeaksHttp2()
    {
        var result = Yaml.Load(Rule("trafficPolicy: {connectionPool: {http: {h2UpgradePolicy: UPGRADE}}}", host: "grpc.example.com"));
        var upstreams = new List<UpstreamConfig> { new() { Name = "grpc.example.com", Endpoints = [new EndpointConfig("http://127.0.0.1:1")] } };
        upstreams.AddRange(result.Config.Upstreams);

        GatewayConfigProvider.RemoveReplacedPlaceholders(upstreams);

        Assert.Equal(Gateway.Middleware.Upstreams.UpstreamProtocol.Http2, Assert.Single(upstreams).Protocol);
    }

    [Fact]
    public void Merge_StandInsOfTwoSources_RuleSubsetReplacesMadeUpOne()
    {
        var upstreams = new List<UpstreamConfig>
        {
            new() { Name = "reviews", IsPlaceholder = true, Subsets = [new SubsetConfig("v1", new Dictionary<string, string> { [YamlModelBuilder.UnresolvedSubsetLabel] = "v1" })] },
            new() { Name = "reviews", IsPlaceholder = true, Subsets = [new SubsetConfig("v1", new Dictionary<string, string> { ["version"] = "v1" })], TrafficPolicy = new TrafficPolicyConfig { Source = "second" } },
        };

        GatewayConfigProvider.RemoveReplacedPlaceholders(upstreams);

        var merged = Assert.Single(upstreams);
        Assert.Equal("v1", Assert.Single(merged.Subsets).Labels["version"]);
        Assert.Equal("second", merged.TrafficPolicy!.Source);
    }

    [Fact]
    public async Task Merge_YamlRuleForAnAppSettingsUpstream_RoutesToItsSubset()
    {
        var yaml = Path.Combine(_folder, "reviews.yaml");
        File.WriteAllText(yaml, Yaml.Gateway() + "\n---\n" + """
            apiVersion: networking.istio.io/v1
            kind: DestinationRule
            metadata: {name: reviews, namespace: default}
            spec:
              host: reviews
              trafficPolicy: {loadBalancer: {simple: ROUND_ROBIN}}
              subsets: [{name: v1, labels: {version: v1}}, {name: v2, labels: {version: v2}}]
            ---
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: reviews, namespace: default}
            spec:
              hosts: ["*"]
              gateways: [gw]
              http: [{name: to-v2, route: [{destination: {host: reviews, subset: v2}}]}]
            """);

        await using var host = await AppSettingsTestHost.StartAsync(
            AppSettings.AppSettings.Section("""
                { "Gateway": { "Upstreams": { "reviews.default.svc.cluster.local": { "Endpoints": [
                  { "Address": "http://127.0.0.1:1", "Labels": { "version": "v1" } },
                  { "Address": "http://127.0.0.1:2", "Labels": { "version": "v2" } }
                ] } } } }
                """),
            g => g.LoadIstioYaml(yaml, watch: false));

        Assert.Equal("default/reviews/to-v2|reviews.default.svc.cluster.local|v2", await host.RouteAsync("/"));
    }

    [Fact]
    public void RuleOnlyHost_GatewayApiBackendRef_StillUnresolved500()
    {
        var result = Yaml.Load(Yaml.GatewayApiGateway, Rule("subsets: [{name: v1}]", host: "missing"), """
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata: {name: r}
            spec: {parentRefs: [{name: gw}], rules: [{backendRefs: [{name: missing, port: 80}]}]}
            """);

        Assert.Empty(result.Errors);
        Assert.Equal("unresolved:Service default/missing", Assert.Single(Assert.Single(result.Config.Routes).Destinations).Upstream);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
