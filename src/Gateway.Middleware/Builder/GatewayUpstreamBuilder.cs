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
    private GatewayUpstreamTlsBuilder? _tls;

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
    /// Configures TLS origination to this upstream (Istio DestinationRule <c>trafficPolicy.tls</c>), e.g.
    /// <c>.Tls(t =&gt; t.CaCertificates("ca.pem").SubjectAltNames("spiffe://cluster.local/ns/default/sa/reviews"))</c>.
    /// Without it, <c>https://</c> endpoints get TLS verified against the system store and their host name.
    /// </summary>
    public GatewayUpstreamBuilder Tls(Action<GatewayUpstreamTlsBuilder> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        configure(_tls ??= new GatewayUpstreamTlsBuilder());
        return this;
    }

    /// <summary>
    /// Mode MUTUAL from PEM files: presents <paramref name="certificatePath"/>/<paramref name="privateKeyPath"/>
    /// and trusts the roots in <paramref name="caCertificatesPath"/> (the system store when
    /// <see langword="null"/>). Files reload when their content changes.
    /// </summary>
    public GatewayUpstreamBuilder MutualTls(string certificatePath, string privateKeyPath, string? caCertificatesPath = null)
        => Tls(t =>
        {
            t.ClientCertificate(certificatePath, privateKeyPath);
            if (caCertificatesPath is not null)
            {
                t.CaCertificates(caCertificatesPath);
            }
        });

    /// <summary>Mode MUTUAL in memory: presents <paramref name="clientCertificate"/> (with its key) and trusts <paramref name="trustedRoots"/>.</summary>
    public GatewayUpstreamBuilder MutualTls(X509Certificate2 clientCertificate, params X509Certificate2[] trustedRoots)
        => Tls(t => t.ClientCertificate(clientCertificate).TrustedRoots(trustedRoots));

    /// <summary>
    /// Verifies the upstream against these roots instead of the system store (Istio <c>tls.caCertificates</c>),
    /// mode SIMPLE. The certificate's name is still checked against the SNI.
    /// </summary>
    public GatewayUpstreamBuilder TrustedRootCertificates(params X509Certificate2[] roots)
        => Tls(t => t.TrustedRoots(roots));

    /// <summary>The SNI sent to the upstream (Istio <c>tls.sni</c>), mode SIMPLE. Default: the endpoint host.</summary>
    public GatewayUpstreamBuilder Sni(string serverName)
        => Tls(t => t.Sni(serverName));

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
        Tls = _tls?.Build(),
        TrafficPolicy = BuildTrafficPolicy(),
        Source = $"upstream '{_name}'",
    };
}
