using System.Net;
using Gateway.Middleware.FunctionalTests.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Middleware.FunctionalTests.Authorization;

/// <summary>
/// AuthorizationPolicy loaded from Istio YAML beside Gateway, ServiceEntry and VirtualService, through real
/// requests to a real upstream: Istio's evaluation order, and denied requests never reach the upstream.
/// </summary>
public sealed class AuthorizationPolicyYamlTests
{
    [Theory]
    [InlineData("GET", "/admin", HttpStatusCode.Forbidden)] // DENY /admin* wins over the ALLOW
    [InlineData("GET", "/admin/users", HttpStatusCode.Forbidden)]
    [InlineData("GET", "/api/items", HttpStatusCode.OK)] // ALLOW GET /api/{**}
    [InlineData("POST", "/api/items", HttpStatusCode.Forbidden)] // an ALLOW policy exists and none matches
    [InlineData("GET", "/other", HttpStatusCode.Forbidden)]
    public async Task DenyThenAllow_FromYaml(string method, string path, HttpStatusCode expected)
    {
        await using var upstream = await YamlEchoUpstream.StartAsync("web");
        var port = YamlGateway.ReservePort();
        await using var gateway = await YamlGateway.StartAsync([port], ("gateway.yaml", Resources(port, upstream.Port)), ("policies.yaml", Policies));

        using var response = await gateway.SendAsync("shop.example.com", path, method);

        Assert.Equal(expected, response.StatusCode);
        if (expected == HttpStatusCode.Forbidden)
        {
            Assert.Equal("RBAC: access denied", await response.Content.ReadAsStringAsync());
            Assert.Equal(0, upstream.Count);
        }
        else
        {
            Assert.Equal(1, upstream.Count);
        }
    }

    [Fact]
    public async Task SpecEmpty_FromYaml_DeniesEverything()
    {
        await using var upstream = await YamlEchoUpstream.StartAsync("web");
        var port = YamlGateway.ReservePort();
        await using var gateway = await YamlGateway.StartAsync([port], ("gateway.yaml", Resources(port, upstream.Port)), ("deny-all.yaml", """
            apiVersion: security.istio.io/v1
            kind: AuthorizationPolicy
            metadata: {name: deny-all, namespace: istio-system}
            spec: {}
            """));

        using var response = await gateway.SendAsync("shop.example.com", "/api/items");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(0, upstream.Count);
    }

    /// <summary>
    /// A policy change is served after a reload without a restart; an invalid policy is refused (listing the
    /// error) and the last good policies keep being enforced.
    /// </summary>
    [Fact]
    public async Task Reload_PolicyChanged_EnforcedAndInvalidChangeRefused()
    {
        await using var upstream = await YamlEchoUpstream.StartAsync("web");
        var port = YamlGateway.ReservePort();
        var folder = Path.Combine(Path.GetTempPath(), "gw-authz-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            await File.WriteAllTextAsync(Path.Combine(folder, "gateway.yaml"), Resources(port, upstream.Port));
            await File.WriteAllTextAsync(Path.Combine(folder, "policy.yaml"), DenyPath("/admin*"));
            await using var gateway = await Infrastructure.GatewayHost.StartAsync(g => g.LoadIstioYaml(folder, watch: false), port: port);
            var provider = gateway.Services.GetRequiredService<Gateway.Middleware.Configuration.GatewayConfigProvider>();
            using var client = gateway.CreateClient();

            Assert.Equal(HttpStatusCode.Forbidden, await StatusAsync(client, "/admin"));
            Assert.Equal(HttpStatusCode.OK, await StatusAsync(client, "/reports"));

            await File.WriteAllTextAsync(Path.Combine(folder, "policy.yaml"), DenyPath("/reports*"));
            Assert.True(provider.Reload());
            Assert.Equal(HttpStatusCode.OK, await StatusAsync(client, "/admin"));
            Assert.Equal(HttpStatusCode.Forbidden, await StatusAsync(client, "/reports"));

            await File.WriteAllTextAsync(Path.Combine(folder, "policy.yaml"), DenyPath("/a/{**}/b"));
            Assert.False(provider.Reload());
            Assert.Contains(provider.LastRejectedErrors, e => e.Contains("spec.rules[0].to[0].operation.paths[0]: '/a/{**}/b' is not a valid path template", StringComparison.Ordinal));
            Assert.Equal(HttpStatusCode.Forbidden, await StatusAsync(client, "/reports"));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static async Task<HttpStatusCode> StatusAsync(HttpClient client, string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Host = "shop.example.com";
        using var response = await client.SendAsync(request);
        return response.StatusCode;
    }

    private static string DenyPath(string path) => $$$"""
        apiVersion: security.istio.io/v1
        kind: AuthorizationPolicy
        metadata: {name: deny, namespace: istio-system}
        spec:
          action: DENY
          rules:
          - to: [{operation: {paths: ["{{{path}}}"]}}]
        """;

    private const string Policies = """
        apiVersion: security.istio.io/v1
        kind: AuthorizationPolicy
        metadata: {name: deny-admin, namespace: istio-system}
        spec:
          selector: {matchLabels: {istio: ingressgateway}}
          action: DENY
          rules:
          - to: [{operation: {paths: ["/admin*"]}}]
        ---
        apiVersion: security.istio.io/v1
        kind: AuthorizationPolicy
        metadata: {name: read-api, namespace: istio-system}
        spec:
          selector: {matchLabels: {istio: ingressgateway}}
          action: ALLOW
          rules:
          - to: [{operation: {methods: [GET], paths: ["/api/{**}", "/admin*"]}}]
        """;

    private static string Resources(int port, int web) => $$$"""
        apiVersion: networking.istio.io/v1
        kind: Gateway
        metadata: {name: ingress, namespace: istio-system}
        spec:
          selector: {istio: ingressgateway}
          servers:
          - port: {number: {{{port}}}, name: http, protocol: HTTP}
            hosts: [shop.example.com]
        ---
        apiVersion: networking.istio.io/v1
        kind: ServiceEntry
        metadata: {name: web}
        spec:
          hosts: [web.default.svc.cluster.local]
          resolution: STATIC
          ports: [{number: 80, name: http, protocol: HTTP}]
          endpoints: [{address: 127.0.0.1, ports: {http: {{{web}}}}}]
        ---
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: shop}
        spec:
          hosts: [shop.example.com]
          gateways: [istio-system/ingress]
          http:
          - route: [{destination: {host: web.default.svc.cluster.local}}]
        """;
}
