using Gateway.Middleware.Configuration.Yaml;

namespace Gateway.Middleware.Tests.Configuration.Yaml;

/// <summary>
/// <see cref="GatewayYamlFile.ReadServerPorts"/>: the ports a host must bind, read before the gateway loads
/// (Istio <c>servers[].port.number</c>, Gateway API <c>listeners[].port</c>).
/// </summary>
public sealed class GatewayYamlFileTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("gw-ports-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void ReadServerPorts_IstioAndGatewayApiInAFolder_DistinctPortsInOrderWithTls()
    {
        File.WriteAllText(Path.Combine(_folder, "a.yaml"), """
            apiVersion: networking.istio.io/v1
            kind: Gateway
            metadata: {name: web, namespace: default}
            spec:
              servers:
              - port: {number: 8080, name: http, protocol: HTTP}
                hosts: ["a.example.com"]
              - port: {number: 8080, name: http2, protocol: HTTP}
                hosts: ["b.example.com"]
              - port: {number: 8443, name: https, protocol: HTTPS}
                hosts: ["a.example.com"]
                tls: {mode: SIMPLE, credentialName: a-cert}
              - port: {number: 9000, name: tcp, protocol: TCP}
                hosts: ["*"]
            """);
        File.WriteAllText(Path.Combine(_folder, "b.yml"), """
            apiVersion: gateway.networking.k8s.io/v1
            kind: Gateway
            metadata: {name: api, namespace: default}
            spec:
              gatewayClassName: gateway-middleware
              listeners:
              - {name: http, port: 7080, protocol: HTTP}
            """);
        File.WriteAllText(Path.Combine(_folder, "notes.txt"), "port: 1");

        var ports = GatewayYamlFile.ReadServerPorts(_folder);

        // TCP servers are not served by the gateway, so their ports are not listed.
        Assert.Equal([new(7080, false), new(8080, false), new(8443, true)], ports);
    }

    [Fact]
    public void ReadServerPorts_InvalidModel_StillListsTheReadablePorts()
    {
        var file = Path.Combine(_folder, "gw.yaml");
        File.WriteAllText(file, Yaml.Gateway(port: 8080) + """

            ---
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: bad, namespace: default}
            spec:
              hosts: ["*"]
              gateways: [gw]
              http:
              - match: [{uri: {regex: "(["}}]
                route: [{destination: {host: nowhere}}]
            """);

        Assert.Equal([new GatewayServerPort(8080, false)], GatewayYamlFile.ReadServerPorts(file));
    }

    [Fact]
    public void ReadServerPorts_NoSuchPath_Throws()
        => Assert.Throws<FileNotFoundException>(() => GatewayYamlFile.ReadServerPorts(Path.Combine(_folder, "missing.yaml")));
}
