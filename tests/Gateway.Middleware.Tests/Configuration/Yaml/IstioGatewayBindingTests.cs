using Gateway.Middleware.Configuration;

namespace Gateway.Middleware.Tests.Configuration.Yaml;

/// <summary>
/// Istio Gateway servers and VirtualService binding: <c>gateways</c> entries <c>name</c> or <c>ns/name</c>,
/// <c>mesh</c> only means not on the gateway, <c>servers.hosts</c> namespace prefixes, short host names,
/// several VirtualServices on one host (oldest first, catch-alls last).
/// </summary>
public sealed class IstioGatewayBindingTests
{
    private const string TwoServers = """
        apiVersion: networking.istio.io/v1beta1
        kind: Gateway
        metadata: {name: edge, namespace: istio-system}
        spec:
          selector: {istio: ingressgateway}
          servers:
          - port: {number: 80, name: http, protocol: HTTP}
            hosts: ["shop/shop.example.com", "./admin.example.com", "*/*.public.example.com", "plain.example.com"]
          - port: {number: 443, name: https, protocol: HTTPS}
            hosts: ["*.example.com"]
            tls: {mode: SIMPLE, credentialName: example-cert}
          - port: {number: 9000, name: tcp, protocol: TCP}
            hosts: ["*"]
        """;

    [Fact]
    public void Load_IstioGateway_ServerPerHttpServerWithHostsStrippedOfNamespace()
    {
        var result = Yaml.Load(TwoServers);

        Assert.Empty(result.Errors);
        Assert.Equal(2, result.Config.Servers.Count);
        var http = result.Config.Servers[0];
        Assert.Equal("istio-system/edge/servers[0]", http.Name);
        Assert.Equal(80, http.Port);
        Assert.Equal(["shop.example.com", "admin.example.com", "*.public.example.com", "plain.example.com"], http.Hosts);
        Assert.False(http.Tls);
        Assert.Equal("test.yaml#1 Gateway istio-system/edge: spec.servers[0]", http.Source);
        var https = result.Config.Servers[1];
        Assert.Equal((443, true), (https.Port, https.Tls));
        Assert.Contains("test.yaml#1 Gateway istio-system/edge: spec.servers[2].port.protocol: TCP servers are not served (the gateway serves HTTP)", result.Warnings);
    }

    [Theory]
    [InlineData("shop", "shop.example.com", true)]
    [InlineData("other", "shop.example.com", false)] // shop/ admits only VirtualServices of namespace shop
    [InlineData("istio-system", "admin.example.com", true)] // ./ is the Gateway's namespace
    [InlineData("shop", "admin.example.com", false)]
    [InlineData("anything", "a.public.example.com", true)] // */ admits every namespace
    [InlineData("anything", "plain.example.com", true)]
    public async Task Bind_ServerHostNamespacePrefix_AdmitsOnlyThatNamespace(string ns, string host, bool served)
    {
        // The HTTPS server's secret is not resolvable here (no secrets directory); binding concerns the HTTP one.
        var httpOnly = TwoServers.Replace("tls: {mode: SIMPLE, credentialName: example-cert}", "tls: {mode: PASSTHROUGH}", StringComparison.Ordinal)
            .Replace("protocol: HTTPS}", "protocol: TLS}", StringComparison.Ordinal);
        await using var gateway = await Yaml.StartAsync(httpOnly, Yaml.Service("a", ns), $$$"""
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: vs, namespace: {{{ns}}}}
            spec:
              hosts: ["{{{host}}}"]
              gateways: [istio-system/edge]
              http: [{route: [{destination: {host: a}}]}]
            """);

        Assert.Equal(served ? $"a.{ns}.svc.cluster.local" : "404", await gateway.UpstreamAsync("/", host));
    }

    [Fact]
    public async Task Bind_GatewayByShortNameAndNamespacedName()
    {
        await using var gateway = await Yaml.StartAsync(Yaml.Gateway("\"*\""), Yaml.Service("a"), Yaml.Service("b"), """
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: short, namespace: default}
            spec:
              hosts: [a.example.com]
              gateways: [gw]
              http: [{route: [{destination: {host: a}}]}]
            ---
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: qualified, namespace: other}
            spec:
              hosts: [b.example.com]
              gateways: [default/gw, mesh]
              http: [{route: [{destination: {host: b.default.svc.cluster.local}}]}]
            """);

        Assert.Equal("a.default.svc.cluster.local", await gateway.UpstreamAsync("/", "a.example.com"));
        Assert.Equal("b.default.svc.cluster.local", await gateway.UpstreamAsync("/", "b.example.com"));
    }

    [Theory]
    [InlineData("", "test.yaml#3 VirtualService default/vs: spec.gateways: binds to the mesh (sidecars) only, not to this gateway: not served")]
    [InlineData("gateways: [mesh]", "test.yaml#3 VirtualService default/vs: spec.gateways: binds to the mesh (sidecars) only, not to this gateway: not served")]
    [InlineData("gateways: [nowhere]", "test.yaml#3 VirtualService default/vs: spec.gateways[0]: Gateway default/nowhere not found")]
    [InlineData("gateways: [other/gw]", "test.yaml#3 VirtualService default/vs: spec.gateways[0]: Gateway other/gw not found")]
    public void Load_VirtualServiceNotBoundToAGateway_SkippedWithWarning(string gateways, string warning)
    {
        var result = Yaml.Load(Yaml.Gateway(), Yaml.Service("a"), $$$"""
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: vs, namespace: default}
            spec:
              hosts: [a.example.com]
              {{{gateways}}}
              http: [{route: [{destination: {host: a}}]}]
            """);

        Assert.Empty(result.Errors);
        Assert.Empty(result.Config.Routes);
        Assert.Contains(warning, result.Warnings);
    }

    [Fact]
    public void Load_ShortHosts_ResolvedInTheResourceNamespace()
    {
        var config = Yaml.Config(Yaml.Gateway(), Yaml.Service("reviews", "bookinfo"), """
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: reviews, namespace: bookinfo}
            spec:
              hosts: [reviews]
              gateways: [default/gw]
              http: [{route: [{destination: {host: reviews}}]}]
            """);

        var route = Assert.Single(config.Routes);
        Assert.Equal(["reviews.bookinfo.svc.cluster.local"], route.Hosts);
        Assert.Equal(["default/gw/servers[0]"], route.Servers);
        Assert.Equal("reviews.bookinfo.svc.cluster.local", Assert.Single(route.Destinations).Upstream);
    }

    [Theory]
    [InlineData("/api/x", "default/old#0")]
    [InlineData("/shop/x", "default/new#0")] // the newer VirtualService's specific rule comes before the older catch-all
    [InlineData("/other", "default/old#1")]
    public async Task Route_SeveralVirtualServicesOnOneHost_OldestFirstCatchAllsLast(string path, string expected)
    {
        await using var gateway = await Yaml.StartAsync(Yaml.Gateway(), Yaml.Service("a"), """
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: new, namespace: default, creationTimestamp: "2024-05-01T00:00:00Z"}
            spec:
              hosts: [a.example.com]
              gateways: [gw]
              http:
              - match: [{uri: {prefix: /shop}}]
                route: [{destination: {host: a}}]
              - route: [{destination: {host: a}}]
            ---
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: old, namespace: default, creationTimestamp: "2024-01-01T00:00:00Z"}
            spec:
              hosts: [a.example.com]
              gateways: [gw]
              http:
              - match: [{uri: {prefix: /api}}]
                route: [{destination: {host: a}}]
              - match: [{uri: {prefix: /}}]
                route: [{destination: {host: a}}]
            """);

        Assert.Equal(expected, (await gateway.RouteAsync(path, "a.example.com")).Split('|')[0]);
    }

    [Theory]
    [InlineData("servers: [{port: {number: 443, name: https, protocol: HTTPS}, hosts: [a]}]", "spec.servers[0].tls: required for protocol HTTPS")]
    [InlineData("servers: [{port: {number: 443, name: https, protocol: HTTPS}, hosts: [a], tls: {mode: PASSTHROUGH}}]", "spec.servers[0].tls.mode: PASSTHROUGH needs protocol TLS")]
    [InlineData("servers: [{port: {number: 80, name: http, protocol: HTTP}}]", "spec.servers[0].hosts: at least one host is required")]
    [InlineData("servers: [{port: {name: http, protocol: HTTP}, hosts: [a]}]", "spec.servers[0].port.number: required")]
    [InlineData("servers: [{port: {number: 80, name: http}, hosts: [a]}]", "spec.servers[0].port.protocol: required")]
    [InlineData("servers: [{port: {number: 80, name: http, protocol: HTTP}, hosts: [a], tls: {mode: SIMPL}}]", "spec.servers[0].tls.mode: must be one of PASSTHROUGH, SIMPLE, MUTUAL, AUTO_PASSTHROUGH, ISTIO_MUTUAL, OPTIONAL_MUTUAL, got 'SIMPL'")]
    [InlineData("selector: {istio: ingressgateway}", "spec.servers: at least one server is required")]
    public void Load_InvalidIstioGateway_ErrorNamesTheField(string spec, string expected)
    {
        var result = Yaml.Load($"apiVersion: networking.istio.io/v1alpha3\nkind: Gateway\nmetadata: {{name: gw}}\nspec: {{{spec}}}");

        Assert.Contains(result.Errors, e => e.StartsWith("test.yaml#1 Gateway default/gw: " + expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Load_HttpsRedirect_PlainServerRedirects()
    {
        var result = Yaml.Load("apiVersion: networking.istio.io/v1\nkind: Gateway\nmetadata: {name: gw}\nspec: {servers: [{port: {number: 80, name: http, protocol: HTTP}, hosts: [a], tls: {httpsRedirect: true}}]}");

        Assert.Empty(result.Errors);
        Assert.Empty(result.Warnings);
        var server = Assert.Single(result.Config.Servers);
        Assert.True(server.HttpsRedirect);
        Assert.False(server.Tls);
    }

    [Fact]
    public void Load_TwoServersSameHostAndPort_ModelValidatorError()
    {
        var result = Yaml.Load(Yaml.Gateway(), Yaml.Gateway().Replace("name: gw,", "name: gw2,", StringComparison.Ordinal));

        Assert.Equal(["test.yaml#2 Gateway default/gw2: spec.servers[0]: hosts[0]: '*' on port 80 is already served by server 'default/gw/servers[0]'"], result.Errors);
    }
}
