using System.Globalization;
using System.Text;
using BenchmarkDotNet.Attributes;
using Gateway.Middleware.Configuration;
using Gateway.Middleware.Configuration.Yaml;

namespace Gateway.Middleware.Benchmarks;

/// <summary>
/// What a start or a reload of the IstioGateway host costs with 1,000 VirtualService rules: parse the YAML, build
/// and validate the model, compile the snapshot (issue #8: under 100 ms).
/// </summary>
[MemoryDiagnoser]
public class YamlCompileBenchmarks
{
    private (string Path, string Text)[] _oneVirtualService = null!;
    private (string Path, string Text)[] _thousandVirtualServices = null!;

    [GlobalSetup]
    public void Setup()
    {
        _oneVirtualService = [("rules.yaml", Yaml(virtualServices: 1))];
        _thousandVirtualServices = [("rules.yaml", Yaml(virtualServices: 1000))];
        foreach (var files in new[] { _oneVirtualService, _thousandVirtualServices })
        {
            var result = IstioYaml.Load(files);
            if (result.Errors.Count > 0 || CountRules(result.Config) != 1000)
            {
                throw new InvalidOperationException("benchmark YAML does not load as 1,000 rules: " + string.Join("; ", result.Errors));
            }
        }
    }

    [Benchmark(Description = "YAML load + compile: 1 VirtualService with 1,000 http rules")]
    public void OneVirtualService() => LoadAndCompile(_oneVirtualService);

    [Benchmark(Description = "YAML load + compile: 1,000 VirtualServices of 1 rule")]
    public void ThousandVirtualServices() => LoadAndCompile(_thousandVirtualServices);

    private static void LoadAndCompile((string Path, string Text)[] files)
    {
        var result = IstioYaml.Load(files);
        using var snapshot = GatewayConfigCompiler.Compile(result.Config);
    }

    private static int CountRules(GatewayConfig config) => config.Routes.Count;

    /// <summary>A Gateway for <c>*.example.com</c>, a ServiceEntry, and 1,000 rules <c>prefix: /svcNNNN</c> (a quarter also matching a header).</summary>
    internal static string Yaml(int virtualServices)
    {
        var yaml = new StringBuilder("""
            apiVersion: networking.istio.io/v1
            kind: Gateway
            metadata: {name: gw, namespace: default}
            spec:
              selector: {istio: ingressgateway}
              servers:
              - port: {number: 8080, name: http, protocol: HTTP}
                hosts: ["*.example.com"]
            ---
            apiVersion: networking.istio.io/v1
            kind: ServiceEntry
            metadata: {name: up, namespace: default}
            spec:
              hosts: [up.default.svc.cluster.local]
              ports: [{number: 80, name: http, protocol: HTTP}]
              resolution: STATIC
              endpoints: [{address: 127.0.0.1}]

            """);
        var perService = 1000 / virtualServices;
        for (var v = 0; v < virtualServices; v++)
        {
            yaml.AppendLine("---")
                .AppendLine("apiVersion: networking.istio.io/v1")
                .AppendLine("kind: VirtualService")
                .AppendLine(CultureInfo.InvariantCulture, $"metadata: {{name: vs{v:D4}, namespace: default}}")
                .AppendLine("spec:")
                .AppendLine(CultureInfo.InvariantCulture, $"  hosts: [host{v % 100:D3}.example.com]")
                .AppendLine("  gateways: [gw]")
                .AppendLine("  http:");
            for (var r = 0; r < perService; r++)
            {
                var i = (v * perService) + r;
                yaml.AppendLine(CultureInfo.InvariantCulture, $"  - name: svc{i:D4}")
                    .AppendLine("    match:")
                    .AppendLine(CultureInfo.InvariantCulture, $"    - uri: {{prefix: /svc{i:D4}}}");
                if (i % 4 == 0)
                {
                    yaml.AppendLine(CultureInfo.InvariantCulture, $"      headers: {{x-tenant: {{exact: t{i}}}}}");
                }

                yaml.AppendLine("    route:")
                    .AppendLine("    - destination: {host: up.default.svc.cluster.local, port: {number: 80}}");
            }
        }

        return yaml.ToString();
    }
}
