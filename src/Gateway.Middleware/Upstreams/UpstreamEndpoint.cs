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

    public bool IsTls => Address.Scheme == Uri.UriSchemeHttps;

    public override string ToString() => Prefix;
}
