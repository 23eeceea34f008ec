using Microsoft.AspNetCore.Connections.Features;

namespace Gateway.Middleware.Authorization;

/// <summary><c>connection.sni</c>: the TLS server name the client sent; a plain-text request has none.</summary>
internal sealed class RbacSniMatcher : RbacMatcher
{
    private readonly RbacStringPattern[] _patterns;

    public RbacSniMatcher(RbacStringPattern[] patterns)
    {
        _patterns = patterns;
    }

    public override bool Matches(in RbacRequest request)
        => request.Context.Features.Get<ITlsHandshakeFeature>()?.HostName is { Length: > 0 } sni
            && RbacStringPattern.MatchesAny(_patterns, sni, StringComparison.OrdinalIgnoreCase);
}
