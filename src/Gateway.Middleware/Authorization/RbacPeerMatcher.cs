using Gateway.Middleware.Tls;

namespace Gateway.Middleware.Authorization;

/// <summary>
/// <c>principals</c> / <c>source.principal</c> and <c>namespaces</c> / <c>source.namespace</c>: the identity
/// of the client certificate the gateway's TLS handshake validated (its <c>spiffe://</c> URI SAN). A request
/// without a validated client certificate matches nothing, not even <c>*</c>.
/// </summary>
internal sealed class RbacPeerMatcher : RbacMatcher
{
    private readonly RbacStringPattern[] _patterns;
    private readonly bool _namespace;

    public RbacPeerMatcher(RbacStringPattern[] patterns, bool matchNamespace)
    {
        _patterns = patterns;
        _namespace = matchNamespace;
    }

    public override bool Matches(in RbacRequest request)
        => request.Context.Features.Get<GatewayPeerIdentity>() is { } peer
            && (_namespace ? peer.Namespace : peer.Principal) is { } value
            && RbacStringPattern.MatchesAny(_patterns, value);
}
