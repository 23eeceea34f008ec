namespace Gateway.Middleware.Authentication;

/// <summary>Where a token is read from. Instances are shared so a rule can tell whether it accepts a location.</summary>
internal sealed record JwtTokenLocation(JwtTokenLocationKind Kind, string Name, string Prefix)
{
    /// <summary>Istio's default: <c>Authorization: Bearer &lt;token&gt;</c>, the scheme case-insensitive (RFC 6750 §2.1).</summary>
    public static readonly JwtTokenLocation AuthorizationBearer = new(JwtTokenLocationKind.Header, "Authorization", "Bearer ");

    /// <summary>Istio's default: <c>?access_token=</c> (RFC 6750 §2.3).</summary>
    public static readonly JwtTokenLocation AccessTokenParam = new(JwtTokenLocationKind.Param, "access_token", "");

    public bool IsAuthorizationBearer => ReferenceEquals(this, AuthorizationBearer);
}
