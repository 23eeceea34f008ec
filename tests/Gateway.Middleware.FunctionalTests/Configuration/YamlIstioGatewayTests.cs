using System.Net;

namespace Gateway.Middleware.FunctionalTests.Configuration;

/// <summary>
/// Istio <c>Gateway</c> servers (port, hosts with <c>ns/</c>, <c>./</c> and <c>*/</c> prefixes) and how
/// VirtualServices bind to them (<c>gateways:</c> by <c>name</c> or <c>ns/name</c>, none = mesh only, short hosts),
/// through real requests to a gateway listening on two ports.
/// </summary>
public sealed class YamlIstioGatewayTests : IClassFixture<YamlIstioGatewayTests.Fixture>
{
    private readonly Fixture _fixture;

    public YamlIstioGatewayTests(Fixture fixture)
    {
        _fixture = fixture;
    }

    /// <summary>
    /// Istio Gateway reference, <c>Server.hosts</c> and <c>VirtualService.gateways</c>; DESIGN.md host matching
    /// (case-insensitive, port in Host ignored, <c>*.suffix</c> never the apex). <c>port</c> 0 is the first
    /// listening port, 1 the second. The answer is the VirtualService that served the request, or the status.
    /// </summary>
    [Theory]
    [InlineData("a.example.com", 0, "/", "default/a")]
    [InlineData("A.Example.COM:8443", 0, "/", "default/a")] // host case-insensitive, port in Host ignored
    [InlineData("x.wild.example.com", 0, "/", "default/wild")]
    [InlineData("deep.x.wild.example.com", 0, "/", "default/wild")] // *.suffix matches one or more labels
    [InlineData("wild.example.com", 0, "/", "404")] // ... never the apex
    [InlineData("second.example.com", 1, "/", "default/a")] // the server on the second port
    [InlineData("second.example.com", 0, "/", "404")] // a host of another port's server
    [InlineData("a.example.com", 1, "/", "404")]
    [InlineData("local.example.com", 0, "/", "default/local")] // gateways: [local] = default/local
    [InlineData("shop.example.com", 0, "/", "shop/shop")] // shop/shop.example.com admits namespace shop
    [InlineData("shop.example.com", 0, "/intruder", "shop/shop")] // ... and not other/intruder's rules for the host
    [InlineData("admin.example.com", 0, "/", "istio-system/admin")] // ./ is the Gateway's namespace
    [InlineData("public.example.com", 0, "/", "other/public")] // */ admits every namespace
    [InlineData("mesh.example.com", 0, "/", "404")] // a VirtualService without gateways binds to the mesh only
    [InlineData("web.default.svc.cluster.local", 0, "/", "default/short-host")] // hosts: [web] in default
    [InlineData("web", 0, "/", "404")] // the short name is not the host
    [InlineData("unknown.example.com", 0, "/", "404")]
    [InlineData("ports.example.com", 0, "/", "default/ports")]
    [InlineData("ports.example.com", 1, "/", "default/ports#second-port")] // HTTPMatchRequest.port: the port the request arrived on
    public async Task Request_HostAndPort_ServedByTheVirtualServiceBoundToThatServer(string host, int port, string path, string expected)
    {
        var before = _fixture.Web.Count;
        using var response = await _fixture.Gateway.SendAsync(host, path, port: _fixture.Gateway.Ports[port]);

        if (expected == "404")
        {
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.Equal("", await response.Content.ReadAsStringAsync());
            Assert.Equal(before, _fixture.Web.Count);
            return;
        }

        var echo = await YamlEchoUpstream.ReadAsync(response);
        Assert.Equal("web", echo.Upstream);
        Assert.Equal(expected, Assert.Single(response.Headers.GetValues("x-vs")));
        Assert.Equal(path, echo.Target);
    }

    public sealed class Fixture : IAsyncLifetime
    {
        public YamlGateway Gateway { get; private set; } = null!;

        public YamlEchoUpstream Web { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            Web = await YamlEchoUpstream.StartAsync("web");
            int[] ports = [YamlGateway.ReservePort(), YamlGateway.ReservePort()];
            Gateway = await YamlGateway.StartAsync(
                ports,
                ("gateways.yaml", Gateways(ports[0], ports[1])),
                ("services.yaml", Services(Web.Port)),
                ("virtual-services.yaml", VirtualServices),
                ("ports.yaml", PortMatch(ports[1])));
        }

        public async Task DisposeAsync()
        {
            await Gateway.DisposeAsync();
            await Web.DisposeAsync();
        }

        private static string Gateways(int port, int second) => $$$"""
            apiVersion: networking.istio.io/v1
            kind: Gateway
            metadata: {name: ingress, namespace: istio-system}
            spec:
              selector: {istio: ingressgateway}
              servers:
              - port: {number: {{{port}}}, name: http, protocol: HTTP}
                hosts: [a.example.com, "*.wild.example.com", mesh.example.com, "*.svc.cluster.local", ports.example.com]
              - port: {number: {{{port}}}, name: http-scoped, protocol: HTTP}
                hosts: [shop/shop.example.com, ./admin.example.com, "*/public.example.com"]
              - port: {number: {{{second}}}, name: http-second, protocol: HTTP}
                hosts: [second.example.com, ports.example.com]
            ---
            apiVersion: networking.istio.io/v1beta1
            kind: Gateway
            metadata: {name: local}
            spec:
              servers:
              - port: {number: {{{port}}}, name: http, protocol: HTTP}
                hosts: [local.example.com]
            """;

        private static string Services(int web) => $$$"""
            apiVersion: networking.istio.io/v1
            kind: ServiceEntry
            metadata: {name: web}
            spec:
              hosts: [web.default.svc.cluster.local]
              resolution: STATIC
              ports: [{number: 80, name: http, protocol: HTTP}]
              endpoints: [{address: 127.0.0.1, ports: {http: {{{web}}}}}]
            """;

        /// <summary>Each VirtualService tags its answers with <c>x-vs: ns/name</c>.</summary>
        private static string VirtualServices => string.Join("\n---\n",
            VirtualService("default", "a", "[a.example.com, second.example.com]", "[istio-system/ingress]"),
            VirtualService("default", "wild", "[\"*.wild.example.com\"]", "[istio-system/ingress]"),
            VirtualService("default", "local", "[local.example.com]", "[local]"),
            VirtualService("shop", "shop", "[shop.example.com]", "[istio-system/ingress]"),
            VirtualService("other", "intruder", "[shop.example.com]", "[istio-system/ingress]", "/intruder"),
            VirtualService("istio-system", "admin", "[admin.example.com]", "[ingress]"),
            VirtualService("other", "public", "[public.example.com]", "[istio-system/ingress]"),
            VirtualService("default", "mesh-only", "[mesh.example.com]", null),
            VirtualService("default", "short-host", "[web]", "[istio-system/ingress]"));

        private static string PortMatch(int second) => $$$"""
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: ports}
            spec:
              hosts: [ports.example.com]
              gateways: [istio-system/ingress]
              http:
              - match: [{port: {{{second}}}}]
                headers:
                  response:
                    set: {x-vs: "default/ports#second-port"}
                route: [{destination: {host: web.default.svc.cluster.local}}]
              - headers:
                  response:
                    set: {x-vs: default/ports}
                route: [{destination: {host: web.default.svc.cluster.local}}]
            """;

        private static string VirtualService(string ns, string name, string hosts, string? gateways, string prefix = "/") => $$$"""
            apiVersion: networking.istio.io/v1alpha3
            kind: VirtualService
            metadata: {name: {{{name}}}, namespace: {{{ns}}}}
            spec:
              hosts: {{{hosts}}}
              {{{(gateways is null ? "" : $"gateways: {gateways}")}}}
              http:
              - match: [{uri: {prefix: {{{prefix}}}}}]
                headers:
                  response:
                    set: {x-vs: "{{{ns}}}/{{{name}}}"}
                route: [{destination: {host: web.default.svc.cluster.local}}]
            """;
    }
}
