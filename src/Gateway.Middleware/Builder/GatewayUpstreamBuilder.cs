using System.Security.Cryptography.X509Certificates;
using Gateway.Middleware.Configuration;
using Gateway.Middleware.Upstreams;

namespace Gateway.Middleware.Builder;

/// <summary>Declares one upstream service: its endpoints and how the gateway talks to them.</summary>
public sealed partial class GatewayUpstreamBuilder
{
    private readonly string _name;
    private readonly List<EndpointConfig> _endpoints = [];
    private readonly List<SubsetConfig> _subsets = [];
    private UpstreamProtocol _protocol = UpstreamProtocol.Http1;
    private TimeSpan _connectTimeout = TimeSpan.FromSeconds(10);
    private X509Certificate2Collection? _trustedRoots;
    private string? _sni;

    internal GatewayUpstreamBuilder(string name)
    {
        _name = name;
    }

    /// <summary>
    /// Adds an endpoint address, <c>http://host:port</c> or <c>https://host:port</c> (no path). Requests are
    /// spread over the endpoints by the load balancer (least request unless <see cref="LoadBalancer"/> says otherwise).
    /// </summary>
    public GatewayUpstreamBuilder Endpoint(string address) => Endpoint(address, []);

    /// <summary>Adds an endpoint address.</summary>
    public GatewayUpstreamBuilder Endpoint(Uri address)
    {
        ArgumentNullException.ThrowIfNull(address);
        return Endpoint(address.OriginalString);
    }

    /// <summary>
    /// Adds an endpoint carrying labels that subsets select on, e.g.
    /// <c>.Endpoint("http://127.0.0.1:9081", ("version", "v2"))</c>.
    /// </summary>
    public GatewayUpstreamBuilder Endpoint(string address, params (string Key, string Value)[] labels)
        => Endpoint(address, servicePort: null, labels);

    /// <summary>
    /// Adds an endpoint that serves one port of a multi-port service (destinations pick it with
    /// <c>port:</c>), carrying labels.
    /// </summary>
    public GatewayUpstreamBuilder Endpoint(string address, int? servicePort, params (string Key, string Value)[] labels)
    {
        ArgumentNullException.ThrowIfNull(address);
        ArgumentNullException.ThrowIfNull(labels);
        _endpoints.Add(new EndpointConfig(address) { Labels = ToDictionary(labels), ServicePort = servicePort });
        return this;
    }

    /// <summary>
    /// Declares a subset: the endpoints carrying all of <paramref name="labels"/> (DestinationRule
    /// <c>subsets</c>), e.g. <c>.Subset("v2", ("version", "v2"))</c>.
    /// </summary>
    public GatewayUpstreamBuilder Subset(string name, params (string Key, string Value)[] labels)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(labels);
        _subsets.Add(new SubsetConfig(name, ToDictionary(labels)));
        return this;
    }

    /// <summary>The HTTP version spoken to the upstream. Default <see cref="UpstreamProtocol.Http1"/>.</summary>
    public GatewayUpstreamBuilder Protocol(UpstreamProtocol protocol)
    {
        _protocol = protocol;
        return this;
    }

    /// <summary>How long a TCP connect may take before the request fails with 503. Default 10 s (Envoy).</summary>
    public GatewayUpstreamBuilder ConnectTimeout(TimeSpan timeout)
    {
        _connectTimeout = timeout;
        return this;
    }

    /// <summary>
    /// Verifies <c>https</c> endpoints against these roots instead of the system store (Istio
    /// <c>tls.caCertificates</c>). The certificate's name is still checked against the SNI.
    /// </summary>
    public GatewayUpstreamBuilder TrustedRootCertificates(params X509Certificate2[] roots)
    {
        ArgumentNullException.ThrowIfNull(roots);
        _trustedRoots ??= [];
        _trustedRoots.AddRange(roots);
        return this;
    }

    /// <summary>The SNI sent to <c>https</c> endpoints (Istio <c>tls.sni</c>). Default: the endpoint host.</summary>
    public GatewayUpstreamBuilder Sni(string serverName)
    {
        ArgumentNullException.ThrowIfNull(serverName);
        _sni = serverName;
        return this;
    }

    private static Dictionary<string, string> ToDictionary((string Key, string Value)[] labels)
    {
        var dictionary = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in labels)
        {
            dictionary[key] = value;
        }

        return dictionary;
    }

    internal UpstreamConfig Build() => new()
    {
        Name = _name,
        Endpoints = [.. _endpoints],
        Subsets = [.. _subsets],
        Protocol = _protocol,
        ConnectTimeout = _connectTimeout,
        Tls = _trustedRoots is null && _sni is null ? null : new UpstreamTlsConfig { TrustedRoots = _trustedRoots, Sni = _sni },
        TrafficPolicy = BuildTrafficPolicy(),
        Source = $"upstream '{_name}'",
    };
}
