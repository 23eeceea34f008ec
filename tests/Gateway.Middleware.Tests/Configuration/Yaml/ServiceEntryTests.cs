using Gateway.Middleware.Configuration;
using Gateway.Middleware.Upstreams;

namespace Gateway.Middleware.Tests.Configuration.Yaml;

/// <summary>
/// ServiceEntry (STATIC endpoints with named ports and labels, DNS, WorkloadEntry selection) and
/// DestinationRule subsets into upstreams: one per host, one endpoint per port × endpoint.
/// </summary>
public sealed class ServiceEntryTests
{
    [Fact]
    public void Load_StaticEndpoints_EndpointPerPortWithTargetPortAndLabels()
    {
        var config = Yaml.Config("""
            apiVersion: networking.istio.io/v1
            kind: ServiceEntry
            metadata: {name: reviews, namespace: default}
            spec:
              hosts: [reviews.default.svc.cluster.local, reviews.example.com]
              location: MESH_INTERNAL
              resolution: STATIC
              ports:
              - {number: 9080, name: http, protocol: HTTP}
              - {number: 9443, name: https, protocol: HTTPS, targetPort: 8443}
              endpoints:
              - {address: 10.0.0.1, ports: {http: 19080}, labels: {version: v1}}
              - {address: "::1", labels: {version: v2}, weight: 5, locality: us-east1}
            """);

        Assert.Equal(["reviews.default.svc.cluster.local", "reviews.example.com"], config.Upstreams.Select(u => u.Name));
        var upstream = config.Upstreams[0];
        Assert.Equal(
        [
            ("http://10.0.0.1:19080", 9080, "v1"),
            ("https://10.0.0.1:8443", 9443, "v1"),
            ("http://[::1]:9080", 9080, "v2"),
            ("https://[::1]:8443", 9443, "v2"),
        ], upstream.Endpoints.Select(e => (e.Address, e.ServicePort!.Value, e.Labels["version"])));
        Assert.Equal(UpstreamProtocol.Http1, upstream.Protocol);
        Assert.Equal("test.yaml#1 ServiceEntry default/reviews: spec.hosts[0]", upstream.Source);
        Assert.Equal(upstream.Endpoints, config.Upstreams[1].Endpoints);
    }

    [Theory]
    [InlineData("{number: 50051, name: grpc, protocol: GRPC}", UpstreamProtocol.Http2)]
    [InlineData("{number: 8080, name: h2, protocol: HTTP2}", UpstreamProtocol.Http2)]
    [InlineData("{number: 8080, name: grpc-web}", UpstreamProtocol.Http2)] // protocol from the port name prefix
    [InlineData("{number: 8080, name: http-api}", UpstreamProtocol.Http1)]
    public void Load_PortProtocol_UpstreamProtocol(string port, UpstreamProtocol expected)
    {
        var config = Yaml.Config($$$"""
            apiVersion: networking.istio.io/v1
            kind: ServiceEntry
            metadata: {name: svc}
            spec: {hosts: [svc.example.com], resolution: STATIC, ports: [{{{port}}}], endpoints: [{address: 127.0.0.1}]}
            """);

        Assert.Equal(expected, Assert.Single(config.Upstreams).Protocol);
    }

    [Fact]
    public void Load_DnsWithoutEndpoints_HostsThemselvesAreTheEndpoints()
    {
        var config = Yaml.Config("""
            apiVersion: networking.istio.io/v1
            kind: ServiceEntry
            metadata: {name: external}
            spec:
              hosts: [api.example.com, www.example.org]
              resolution: DNS
              ports: [{number: 80, name: http, protocol: HTTP}, {number: 443, name: tls, protocol: TLS}]
            """);

        Assert.Equal(["http://api.example.com:80", "https://api.example.com:443"], Yaml.Upstream(config, "api.example.com").Endpoints.Select(e => e.Address));
        Assert.Equal(["http://www.example.org:80", "https://www.example.org:443"], Yaml.Upstream(config, "www.example.org").Endpoints.Select(e => e.Address));
    }

    [Fact]
    public void Load_DnsWithEndpoints_EndpointNamesResolvedWhenConnecting()
    {
        var config = Yaml.Config("""
            apiVersion: networking.istio.io/v1
            kind: ServiceEntry
            metadata: {name: external}
            spec:
              hosts: [api.internal]
              resolution: DNS_ROUND_ROBIN
              ports: [{number: 80, name: http}]
              endpoints: [{address: backend-1.example.com, ports: {http: 8080}}, {address: backend-2.example.com}]
            """);

        Assert.Equal(["http://backend-1.example.com:8080", "http://backend-2.example.com:80"], Assert.Single(config.Upstreams).Endpoints.Select(e => e.Address));
    }

    [Fact]
    public void Load_WorkloadSelector_SelectsWorkloadEntriesOfTheNamespaceByLabels()
    {
        var config = Yaml.Config("""
            apiVersion: networking.istio.io/v1
            kind: ServiceEntry
            metadata: {name: details, namespace: bookinfo}
            spec:
              hosts: [details.bookinfo.svc.cluster.local]
              resolution: STATIC
              ports: [{number: 9080, name: http, protocol: HTTP}]
              workloadSelector: {labels: {app: details}}
            ---
            apiVersion: networking.istio.io/v1
            kind: WorkloadEntry
            metadata: {name: details-vm-1, namespace: bookinfo}
            spec: {address: 10.1.0.1, ports: {http: 19080}, labels: {app: details, version: v1}, serviceAccount: details}
            ---
            apiVersion: networking.istio.io/v1beta1
            kind: WorkloadEntry
            metadata: {name: details-vm-2, namespace: bookinfo}
            spec: {address: 10.1.0.2, labels: {app: details, version: v2}}
            ---
            apiVersion: networking.istio.io/v1
            kind: WorkloadEntry
            metadata: {name: other-app, namespace: bookinfo}
            spec: {address: 10.1.0.3, labels: {app: ratings}}
            ---
            apiVersion: networking.istio.io/v1
            kind: WorkloadEntry
            metadata: {name: details-elsewhere, namespace: other}
            spec: {address: 10.1.0.4, labels: {app: details}}
            """);

        Assert.Equal(
            [("http://10.1.0.1:19080", "v1"), ("http://10.1.0.2:9080", "v2")],
            Assert.Single(config.Upstreams).Endpoints.Select(e => (e.Address, e.Labels["version"])));
    }

    [Theory]
    [InlineData("hosts: [a.example.com], resolution: STATIC, ports: [{number: 80, name: http}], endpoints: [{address: 10.0.0.1, ports: {grpc: 90}}]", "spec.endpoints[0].ports.grpc: names no port of the ServiceEntry")]
    [InlineData("hosts: [\"*.example.com\"], resolution: DNS, ports: [{number: 80, name: http}]", "spec.hosts[0]: wildcard host '*.example.com' cannot be resolved with resolution DNS")]
    [InlineData("hosts: [a.example.com], resolution: STATIC, ports: [{number: 80, name: http}, {number: 80, name: web}]", "spec.ports[1].number: port 80 is declared twice")]
    [InlineData("hosts: [a.example.com], resolution: STATIC, ports: [{number: 80, name: http, protocol: SMTP}]", "spec.ports[0].protocol: unknown protocol 'SMTP'")]
    [InlineData("hosts: [a.example.com], resolution: STATIC", "spec.ports: at least one port is required")]
    [InlineData("resolution: STATIC, ports: [{number: 80, name: http}]", "spec.hosts: at least one host is required")]
    [InlineData("hosts: [a.example.com], resolution: STATC, ports: [{number: 80, name: http}]", "spec.resolution: must be one of NONE, STATIC, DNS, DNS_ROUND_ROBIN, DYNAMIC_DNS, got 'STATC'")]
    [InlineData("hosts: [a.example.com], resolution: STATIC, ports: [{number: 80, name: http}], endpoints: [{address: 10.0.0.1}], workloadSelector: {labels: {a: b}}", "spec.workloadSelector: endpoints and workloadSelector are mutually exclusive")]
    [InlineData("hosts: [a.example.com], resolution: STATIC, ports: [{number: 80, name: http}], endpoints: [{ports: {http: 80}}]", "spec.endpoints[0].address: required")]
    public void Load_InvalidServiceEntry_ErrorNamesTheField(string spec, string expected)
    {
        var result = Yaml.Load($"apiVersion: networking.istio.io/v1\nkind: ServiceEntry\nmetadata: {{name: se}}\nspec: {{{spec}}}");

        Assert.Contains(result.Errors, e => e.StartsWith("test.yaml#1 ServiceEntry default/se: " + expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Load_SameHostInTwoServiceEntries_Error()
    {
        var result = Yaml.Load(Yaml.Service("a"), Yaml.Service("a").Replace("name: a,", "name: a2,", StringComparison.Ordinal));

        Assert.Equal(["test.yaml#2 ServiceEntry default/a2: spec.hosts[0]: host 'a.default.svc.cluster.local' is already declared by test.yaml#1 ServiceEntry default/a: spec.hosts[0]"], result.Errors);
    }

    [Fact]
    public void Load_DestinationRule_SubsetsOnTheUpstreamShortHostResolved()
    {
        var config = Yaml.Config(Yaml.Service("reviews"), """
            apiVersion: networking.istio.io/v1
            kind: DestinationRule
            metadata: {name: reviews, namespace: default}
            spec:
              host: reviews
              trafficPolicy:
                loadBalancer: {simple: LEAST_REQUEST}
                connectionPool: {tcp: {maxConnections: 100, connectTimeout: 30ms}, http: {http2MaxRequests: 1000, h2UpgradePolicy: UPGRADE}}
                outlierDetection: {consecutive5xxErrors: 7, interval: 5m, baseEjectionTime: 15m}
                tls: {mode: SIMPLE, sni: reviews.example.com}
                portLevelSettings: [{port: {number: 80}, loadBalancer: {simple: ROUND_ROBIN}}]
              subsets:
              - {name: v1, labels: {version: v1}}
              - name: v2
                labels: {version: v2}
                trafficPolicy: {loadBalancer: {consistentHash: {httpCookie: {name: user, ttl: 0s}}}}
            """);

        var upstream = Yaml.Upstream(config, "reviews.default.svc.cluster.local");
        Assert.Equal(["v1", "v2"], upstream.Subsets.Select(s => s.Name));
        Assert.Equal("v2", upstream.Subsets[1].Labels["version"]);
    }

    [Fact]
    public void Load_DestinationRuleTrafficPolicyUnknownField_Error()
    {
        var result = Yaml.Load(Yaml.Service("a"), """
            apiVersion: networking.istio.io/v1
            kind: DestinationRule
            metadata: {name: a}
            spec: {host: a, trafficPolicy: {connectionPool: {http: {maxRequests: 1}}}}
            """);

        Assert.Equal(["test.yaml#2 DestinationRule default/a: spec.trafficPolicy.connectionPool.http.maxRequests: unknown field"], result.Errors);
    }

    [Fact]
    public void Load_DestinationRuleWildcardHost_AppliesToEveryCoveredUpstream()
    {
        var config = Yaml.Config(Yaml.Service("a"), Yaml.Service("b", "other"), """
            apiVersion: networking.istio.io/v1
            kind: DestinationRule
            metadata: {name: all}
            spec: {host: "*.svc.cluster.local", subsets: [{name: canary, labels: {track: canary}}]}
            """);

        Assert.All(config.Upstreams, u => Assert.Equal("canary", Assert.Single(u.Subsets).Name));
    }

    [Fact]
    public void Load_DestinationRuleForUnknownHost_Warning()
    {
        var result = Yaml.Load("""
            apiVersion: networking.istio.io/v1
            kind: DestinationRule
            metadata: {name: ghost}
            spec: {host: ghost, subsets: [{name: v1, labels: {version: v1}}]}
            """);

        Assert.Empty(result.Errors);
        Assert.Equal(["test.yaml#1 DestinationRule default/ghost: spec.host: no ServiceEntry declares 'ghost.default.svc.cluster.local': the rule applies when another source (AddUpstream, appsettings.json, another YAML source) declares it"], result.Warnings);
        var standIn = Assert.Single(result.Config.Upstreams);
        Assert.True(standIn.IsPlaceholder);
        Assert.Empty(standIn.Endpoints);
        Assert.Equal("v1", Assert.Single(standIn.Subsets).Name);
    }

    [Theory]
    [InlineData("v1", "reviews.default.svc.cluster.local/v1")]
    [InlineData("v2", "reviews.default.svc.cluster.local/v2")]
    public async Task Route_Subset_SelectedByDestination(string subset, string expected)
    {
        await using var gateway = await Yaml.StartAsync(Yaml.Gateway(), Yaml.Service("reviews"), """
            apiVersion: networking.istio.io/v1
            kind: DestinationRule
            metadata: {name: reviews}
            spec: {host: reviews, subsets: [{name: v1, labels: {version: v1}}, {name: v2, labels: {version: v2}}]}
            """, $$$"""
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: reviews}
            spec: {hosts: ["*"], gateways: [gw], http: [{route: [{destination: {host: reviews, subset: {{{subset}}}}}]}]}
            """);

        Assert.Equal(expected, await gateway.UpstreamAsync("/"));
    }
}
