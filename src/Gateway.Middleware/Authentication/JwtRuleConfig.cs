namespace Gateway.Middleware.Authentication;

/// <summary>
/// One Istio <c>JWTRule</c> (RequestAuthentication <c>jwtRules[]</c>): which issuer, where its keys come from,
/// where the token is read and what is forwarded once it is valid.
/// </summary>
internal sealed record JwtRuleConfig(string Issuer)
{
    /// <summary>Istio's JWKS refresh interval (<c>PILOT_JWT_PUB_KEY_REFRESH_INTERVAL</c>).</summary>
    public static readonly TimeSpan DefaultRefreshInterval = TimeSpan.FromMinutes(20);

    /// <summary>Envoy's default remote JWKS fetch timeout.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(5);

    /// <summary>Any one of these must be in the token's <c>aud</c>; empty skips the check (Istio).</summary>
    public IReadOnlyList<string> Audiences { get; init; } = [];

    /// <summary>An inline JWKS document; the only place an HMAC (<c>kty: oct</c>) key is accepted.</summary>
    public string? Jwks { get; init; }

    public string? JwksUri { get; init; }

    public IReadOnlyList<JwtHeaderLocation> FromHeaders { get; init; } = [];

    public IReadOnlyList<string> FromParams { get; init; } = [];

    public IReadOnlyList<string> FromCookies { get; init; } = [];

    public bool ForwardOriginalToken { get; init; }

    /// <summary>
    /// Whether a token must carry <c>exp</c> (default <see langword="true"/>, safer than Istio, which accepts
    /// tokens without one). When <see langword="false"/>, a token without <c>exp</c> is accepted and cached for
    /// at most <see cref="UnboundedTokenCacheTime"/>.
    /// </summary>
    public bool RequireExpiration { get; init; } = true;

    /// <summary>How long a validated token without <c>exp</c> may be served from the token cache.</summary>
    public static TimeSpan UnboundedTokenCacheTime { get; } = TimeSpan.FromMinutes(1);

    public string? OutputPayloadToHeader { get; init; }

    public IReadOnlyList<JwtClaimToHeader> OutputClaimToHeaders { get; init; } = [];

    /// <summary>The JWKS fetch timeout.</summary>
    public TimeSpan Timeout { get; init; } = DefaultTimeout;

    /// <summary>How often a <see cref="JwksUri"/> is fetched again.</summary>
    public TimeSpan RefreshInterval { get; init; } = DefaultRefreshInterval;

    /// <summary>Where the rule was declared, for error messages.</summary>
    public string Source { get; init; } = "";
}
