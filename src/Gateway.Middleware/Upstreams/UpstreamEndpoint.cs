using Gateway.Middleware.Configuration;

namespace Gateway.Middleware.Upstreams;

/// <summary>One address of an upstream: scheme, host and port the gateway dials.</summary>
internal sealed class UpstreamEndpoint
{
    public UpstreamEndpoint(Uri address)
    {
        Address = address;
        // "http://127.0.0.1:5001" without a trailing slash, so the request path appends directly.
        Prefix = address.GetLeftPart(UriPartial.Authority);
    }

    public Uri Address { get; }

    public string Prefix { get; }

    /// <summary>Whether requests to this endpoint are sent over TLS (the scheme of <see cref="Address"/>).</summary>
    public bool IsTls => Address.Scheme == Uri.UriSchemeHttps;

    /// <summary>
    /// The endpoint as the cluster's TLS settings make it: DISABLE sends plain text even to an
    /// <c>https://</c> address; SIMPLE, MUTUAL and ISTIO_MUTUAL originate TLS even to an <c>http://</c> one
    /// (ServiceEntry endpoints carry no scheme); without TLS settings the address's scheme decides.
    /// The port is kept as written.
    /// </summary>
    public static UpstreamEndpoint Create(Uri address, UpstreamTlsConfig? tls)
    {
        var useTls = tls is null ? address.Scheme == Uri.UriSchemeHttps : tls.Mode != UpstreamTlsMode.Disable;
        var scheme = useTls ? Uri.UriSchemeHttps : Uri.UriSchemeHttp;
        if (address.Scheme == scheme)
        {
            return new UpstreamEndpoint(address);
        }

        return new UpstreamEndpoint(new UriBuilder(address) { Scheme = scheme, Port = address.Port }.Uri);
    }

    public override string ToString() => Prefix;
}
