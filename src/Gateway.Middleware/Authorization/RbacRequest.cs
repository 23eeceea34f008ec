using Gateway.Middleware.Authentication;
using Microsoft.AspNetCore.Http;

namespace Gateway.Middleware.Authorization;

/// <summary>What the policy matchers read: the request, its validated principal and the trusted proxy hops.</summary>
internal readonly struct RbacRequest
{
    public RbacRequest(HttpContext context, JwtPrincipal? principal, int trustedProxyHops)
    {
        Context = context;
        Principal = principal;
        TrustedProxyHops = trustedProxyHops;
    }

    public HttpContext Context { get; }

    /// <summary>The validated JWT's identity; <see langword="null"/> when the request carried no valid token.</summary>
    public JwtPrincipal? Principal { get; }

    /// <summary>Envoy's <c>xff_num_trusted_hops</c>: which <c>X-Forwarded-For</c> entry is the client (<c>remote.ip</c>).</summary>
    public int TrustedProxyHops { get; }
}
