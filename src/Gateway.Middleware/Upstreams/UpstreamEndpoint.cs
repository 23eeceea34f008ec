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

    // Repeated targets (a hot API path, health checks) reuse the parsed Uri: building and parsing one costs ~0.25 KB
    // per request. A few slots per endpoint, picked by hash, each holding the last target that fell there; only short
    // targets are kept so the cache stays small.
    private const int TargetCacheSlots = 8;
    private const int MaxCachedTargetLength = 256;
    private static readonly UriCreationOptions TargetOptions = new() { DangerousDisablePathAndQueryCanonicalization = true };
    private readonly Uri?[] _targets = new Uri?[TargetCacheSlots];

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

    /// <summary>
    /// The absolute URI of a request to this endpoint: <see cref="Prefix"/>, then <paramref name="path"/> (escaped, starting
    /// with '/'), then <paramref name="query"/> (with its '?', or empty), sent as is (no canonicalization).
    /// </summary>
    public Uri TargetUri(string path, string? query)
    {
        query ??= "";
        var length = path.Length + query.Length;
        if (length > MaxCachedTargetLength)
        {
            return new Uri(string.Concat(Prefix, path, query), in TargetOptions);
        }

        var slot = (string.GetHashCode(path.AsSpan(), StringComparison.Ordinal) ^ query.Length) & (TargetCacheSlots - 1);
        var cached = Volatile.Read(ref _targets[slot]);
        if (cached is not null && IsTarget(cached.OriginalString, path, query))
        {
            return cached;
        }

        var uri = new Uri(string.Concat(Prefix, path, query), in TargetOptions);
        Volatile.Write(ref _targets[slot], uri);
        return uri;
    }

    private bool IsTarget(string original, string path, string query)
        => original.Length == Prefix.Length + path.Length + query.Length
            && original.AsSpan(Prefix.Length, path.Length).SequenceEqual(path)
            && original.AsSpan(Prefix.Length + path.Length).SequenceEqual(query);

    public override string ToString() => Prefix;
}
