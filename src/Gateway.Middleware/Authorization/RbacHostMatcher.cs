namespace Gateway.Middleware.Authorization;

/// <summary>
/// <c>hosts</c>: the request's host, case-insensitive, with Istio's <c>*</c>, <c>*suffix</c> and <c>prefix*</c>.
/// The port of the <c>Host</c> header is ignored unless the value names one, so <c>example.com</c> also
/// matches <c>example.com:8443</c> (a DENY cannot be sidestepped by adding a port), and a trailing dot
/// (the fully qualified <c>example.com.</c>, the same DNS name) is ignored, so a DENY cannot be sidestepped
/// by adding one either.
/// </summary>
internal sealed class RbacHostMatcher : RbacMatcher
{
    private readonly RbacStringPattern[] _withoutPort;
    private readonly RbacStringPattern[] _withPort;

    public RbacHostMatcher(RbacStringPattern[] withoutPort, RbacStringPattern[] withPort)
    {
        _withoutPort = withoutPort;
        _withPort = withPort;
    }

    public override bool Matches(in RbacRequest request)
    {
        var authority = (request.Context.Request.Host.Value ?? "").AsSpan();
        var host = WithoutPort(authority);
        var fullyQualified = host.Length > 1 && host[^1] == '.';
        var nameLength = host.Length;
        if (fullyQualified)
        {
            host = host.TrimEnd('.');
        }

        if (_withoutPort.Length > 0 && RbacStringPattern.MatchesAny(_withoutPort, host, StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        if (_withPort.Length == 0)
        {
            return false;
        }

        // Rare: "example.com.:8443" is compared as "example.com:8443".
        return RbacStringPattern.MatchesAny(_withPort, fullyQualified ? string.Concat(host, authority[nameLength..]) : authority, StringComparison.OrdinalIgnoreCase);
    }

    internal static ReadOnlySpan<char> WithoutPort(ReadOnlySpan<char> authority)
    {
        if (authority.StartsWith('['))
        {
            var close = authority.IndexOf(']');
            return close < 0 ? authority : authority[..(close + 1)];
        }

        var colon = authority.LastIndexOf(':');
        return colon < 0 ? authority : authority[..colon];
    }
}
