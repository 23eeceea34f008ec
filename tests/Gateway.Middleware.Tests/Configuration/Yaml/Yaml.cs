using Gateway.Middleware.Configuration;
using Gateway.Middleware.Configuration.Yaml;

namespace Gateway.Middleware.Tests.Configuration.Yaml;

/// <summary>Shorthands for loading YAML text in tests.</summary>
internal static class Yaml
{
    /// <summary>A ServiceEntry for <c>{name}.{ns}.svc.cluster.local</c> on port <paramref name="port"/>, endpoint 127.0.0.1:<paramref name="target"/>.</summary>
    public static string Service(string name, string ns = "default", int port = 80, int target = 9000) => $$$"""
        apiVersion: networking.istio.io/v1
        kind: ServiceEntry
        metadata: {name: {{{name}}}, namespace: {{{ns}}}}
        spec:
          hosts: [{{{name}}}.{{{ns}}}.svc.cluster.local]
          resolution: STATIC
          ports: [{number: {{{port}}}, name: http, protocol: HTTP}]
          endpoints: [{address: 127.0.0.1, ports: {http: {{{target}}}}}]
        """;

    /// <summary>An Istio Gateway <c>default/gw</c> serving <paramref name="hosts"/> on port 80.</summary>
    public static string Gateway(string hosts = "\"*\"", int port = 80) => $$$"""
        apiVersion: networking.istio.io/v1
        kind: Gateway
        metadata: {name: gw, namespace: default}
        spec:
          servers:
          - port: {number: {{{port}}}, name: http, protocol: HTTP}
            hosts: [{{{hosts}}}]
        """;

    /// <summary>A Gateway API Gateway <c>default/gw</c> with one HTTP listener on port 80 admitting routes from every namespace.</summary>
    public const string GatewayApiGateway = """
        apiVersion: gateway.networking.k8s.io/v1
        kind: Gateway
        metadata: {name: gw, namespace: default}
        spec:
          gatewayClassName: gateway-middleware
          listeners:
          - {name: http, port: 80, protocol: HTTP, allowedRoutes: {namespaces: {from: All}}}
        """;

    public static YamlLoadResult Load(params string[] documents) => IstioYaml.Load([("test.yaml", string.Join("\n---\n", documents))]);

    /// <summary>Loads and asserts there is no error; returns the model.</summary>
    public static GatewayConfig Config(params string[] documents)
    {
        var result = Load(documents);
        Assert.Empty(result.Errors);
        return result.Config;
    }

    public static Task<YamlTestHost> StartAsync(params string[] documents) => YamlTestHost.StartAsync(("test.yaml", string.Join("\n---\n", documents)));

    public static RouteConfig Route(GatewayConfig config, string name) => config.Routes.Single(r => r.Name == name);

    public static UpstreamConfig Upstream(GatewayConfig config, string name) => config.Upstreams.Single(u => u.Name == name);
}
