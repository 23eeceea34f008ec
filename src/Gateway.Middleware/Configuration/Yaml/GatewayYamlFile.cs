namespace Gateway.Middleware.Configuration.Yaml;

/// <summary>
/// Reads facts a host needs from Istio / Gateway API YAML before the gateway is built, such as the ports to
/// listen on (Kestrel binds its endpoints before the gateway's configuration is loaded).
/// </summary>
public static class GatewayYamlFile
{
    /// <summary>
    /// The distinct ports named by the HTTP/HTTPS servers of Istio Gateways (<c>spec.servers[].port.number</c>)
    /// and the HTTP/HTTPS listeners of Gateway API Gateways (<c>spec.listeners[].port</c>), in ascending order.
    /// </summary>
    /// <remarks>
    /// The YAML is parsed without validating the model, so this never throws for an invalid configuration:
    /// servers that cannot be read are left out and the errors are reported when the gateway loads the same
    /// path (<c>LoadIstioYaml</c>). Servers of protocols the gateway does not serve (TCP, TLS passthrough) are
    /// left out too.
    /// </remarks>
    /// <param name="path">A YAML file or a folder of <c>*.yaml</c>/<c>*.yml</c> files (not recursive).</param>
    /// <returns>One entry per port; <see cref="GatewayServerPort.Tls"/> is set when any server on it terminates TLS.</returns>
    /// <exception cref="FileNotFoundException">No file or folder exists at <paramref name="path"/>.</exception>
    public static IReadOnlyList<GatewayServerPort> ReadServerPorts(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var result = IstioYaml.LoadPath(path, validateModel: false);
        var ports = new SortedDictionary<int, bool>();
        foreach (var server in result.Config.Servers)
        {
            if (server.Port is { } port)
            {
                ports[port] = server.Tls || (ports.TryGetValue(port, out var tls) && tls);
            }
        }

        var list = new List<GatewayServerPort>(ports.Count);
        foreach (var (port, tls) in ports)
        {
            list.Add(new GatewayServerPort(port, tls));
        }

        return list;
    }
}
