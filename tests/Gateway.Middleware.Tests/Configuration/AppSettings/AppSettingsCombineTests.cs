using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Middleware.Tests.Configuration.AppSettings;

/// <summary>
/// Issue 4: the fluent builder, appsettings.json and YAML combine into one model, validated as a whole;
/// a server, upstream or route name used twice across them is an error naming the later declaration.
/// </summary>
public sealed class AppSettingsCombineTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("gateway-appsettings-").FullName;

    [Fact]
    public async Task Combine_BuilderAppSettingsAndYaml_EachServesItsRoutesAndReferencesCross()
    {
        var yaml = Path.Combine(_folder, "app.yaml");
        File.WriteAllText(yaml, """
            apiVersion: networking.istio.io/v1
            kind: Gateway
            metadata: {name: gw, namespace: default}
            spec:
              servers:
              - port: {number: 80, name: http, protocol: HTTP}
                hosts: [yaml.example.com]
            ---
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: app, namespace: default}
            spec:
              hosts: [yaml.example.com]
              gateways: [gw]
              http:
              - name: from-yaml
                route: [{destination: {host: app.default.svc.cluster.local}}]
            ---
            apiVersion: networking.istio.io/v1
            kind: ServiceEntry
            metadata: {name: app, namespace: default}
            spec:
              hosts: [app.default.svc.cluster.local]
              resolution: STATIC
              ports: [{number: 80, name: http, protocol: HTTP}]
              endpoints: [{address: 127.0.0.1, ports: {http: 9000}}]
            """);

        // The appsettings route sends to the builder's upstream; the builder's route to the appsettings one.
        await using var host = await AppSettingsTestHost.StartAsync(
            AppSettings.Section("""
                { "Gateway": {
                  "Servers": { "http": { "Port": 80, "Hosts": [ "code.example.com", "settings.example.com" ] } },
                  "Upstreams": { "settings-up": { "Endpoints": [ "http://127.0.0.1:2" ] } },
                  "Routes": [ { "Name": "from-settings", "Hosts": [ "settings.example.com" ], "Route": [ { "Destination": { "Host": "code-up" } } ] } ]
                } }
                """),
            g => g.AddUpstream("code-up", u => u.Endpoint("http://127.0.0.1:1"))
                .AddRoute("from-code", r => r.Hosts("code.example.com").RouteTo("settings-up"))
                .LoadIstioYaml(yaml, watch: false));

        Assert.Equal("from-code|settings-up|", await host.RouteAsync("/", "code.example.com"));
        Assert.Equal("from-settings|code-up|", await host.RouteAsync("/", "settings.example.com"));
        Assert.EndsWith("|app.default.svc.cluster.local|", await host.RouteAsync("/", "yaml.example.com"), StringComparison.Ordinal);
    }

    [Fact]
    public void Combine_SameNamesInBuilderAndAppSettings_DuplicateErrorsAtTheSectionPaths()
    {
        var errors = AppSettings.Errors(
            """
            { "Gateway": {
              "Servers": { "http": { "Port": 8080 } },
              "Upstreams": { "reviews": { "Endpoints": [ "http://127.0.0.1:2" ] } },
              "Routes": [ { "Name": "jason", "Route": [ { "Destination": { "Host": "reviews" } } ] } ]
            } }
            """,
            g => g.AddServer("http", s => s.Port(80))
                .AddUpstream("reviews", u => u.Endpoint("http://127.0.0.1:1"))
                .AddRoute("jason", r => r.RouteTo("reviews")));

        Assert.Equal(
            [
                "Gateway:Upstreams:reviews: duplicate upstream name 'reviews'",
                "Gateway:Servers:http: duplicate server name 'http'",
                "Gateway:Routes:0: duplicate route name 'jason'",
            ],
            errors);
    }

    [Fact]
    public void Combine_SameUpstreamInYamlAndAppSettings_DuplicateError()
    {
        var yaml = Path.Combine(_folder, "se.yaml");
        File.WriteAllText(yaml, """
            apiVersion: networking.istio.io/v1
            kind: ServiceEntry
            metadata: {name: app, namespace: default}
            spec:
              hosts: [app.default.svc.cluster.local]
              resolution: STATIC
              ports: [{number: 80, name: http, protocol: HTTP}]
              endpoints: [{address: 127.0.0.1, ports: {http: 9000}}]
            """);

        var errors = AppSettings.Errors(
            """{ "Gateway": { "Upstreams": { "app.default.svc.cluster.local": { "Endpoints": [ "http://127.0.0.1:2" ] } } } }""",
            g => g.LoadIstioYaml(yaml, watch: false));

        // LoadFromConfig was called first, so the YAML declaration is the later one.
        Assert.Equal([$"{yaml}#1 ServiceEntry default/app: spec.hosts[0]: duplicate upstream name 'app.default.svc.cluster.local'"], errors);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
