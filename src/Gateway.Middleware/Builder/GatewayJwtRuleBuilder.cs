using Gateway.Middleware.Authentication;

namespace Gateway.Middleware.Builder;

/// <summary>
/// Declares one JWT rule (Istio <c>RequestAuthentication.jwtRules[]</c>): the issuer's keys, the audiences
/// accepted, where the token is read and what is forwarded once it is valid.
/// </summary>
public sealed class GatewayJwtRuleBuilder
{
    private readonly List<string> _audiences = [];
    private readonly List<JwtHeaderLocation> _headers = [];
    private readonly List<string> _params = [];
    private readonly List<string> _cookies = [];
    private readonly List<JwtClaimToHeader> _claimHeaders = [];
    private readonly string _issuer;
    private string? _jwks;
    private string? _jwksUri;
    private bool _forwardOriginalToken;
    private bool _requireExpiration = true;
    private string? _payloadHeader;
    private TimeSpan _timeout = JwtRuleConfig.DefaultTimeout;
    private TimeSpan _refreshInterval = JwtRuleConfig.DefaultRefreshInterval;

    internal GatewayJwtRuleBuilder(string issuer)
    {
        _issuer = issuer;
    }

    /// <summary>The issuer's keys as an inline JWKS document. The only way to configure an HMAC (<c>kty: oct</c>) key.</summary>
    public GatewayJwtRuleBuilder Jwks(string json)
    {
        _jwks = json;
        return this;
    }

    /// <summary>
    /// Where the issuer publishes its JWKS. Fetched before the server starts, refreshed every 20 minutes (see
    /// <see cref="RefreshInterval"/>); an unknown <c>kid</c> refetches at most once per 5 minutes.
    /// </summary>
    public GatewayJwtRuleBuilder JwksUri(string uri)
    {
        _jwksUri = uri;
        return this;
    }

    /// <summary>The token's <c>aud</c> must contain one of these (403 otherwise). None: any audience.</summary>
    public GatewayJwtRuleBuilder Audiences(params string[] audiences)
    {
        _audiences.AddRange(audiences);
        return this;
    }

    /// <summary>Reads the token from a header, after an exact <paramref name="prefix"/> (e.g. <c>"Bearer "</c>).</summary>
    public GatewayJwtRuleBuilder FromHeader(string name, string prefix = "")
    {
        _headers.Add(new JwtHeaderLocation(name, prefix));
        return this;
    }

    /// <summary>Reads the token from a query parameter.</summary>
    public GatewayJwtRuleBuilder FromParam(string name)
    {
        _params.Add(name);
        return this;
    }

    /// <summary>Reads the token from a cookie.</summary>
    public GatewayJwtRuleBuilder FromCookie(string name)
    {
        _cookies.Add(name);
        return this;
    }

    /// <summary>Keeps the token on the forwarded request. Default: removed.</summary>
    public GatewayJwtRuleBuilder ForwardOriginalToken(bool forward = true)
    {
        _forwardOriginalToken = forward;
        return this;
    }

    /// <summary>
    /// Whether tokens must carry <c>exp</c>. Default <see langword="true"/> (safer than Istio, which accepts
    /// tokens without one); <see langword="false"/> matches Istio.
    /// </summary>
    public GatewayJwtRuleBuilder RequireExpiration(bool require = true)
    {
        _requireExpiration = require;
        return this;
    }

    /// <summary>Forwards the token's payload (base64url JSON) in this header.</summary>
    public GatewayJwtRuleBuilder OutputPayloadToHeader(string header)
    {
        _payloadHeader = header;
        return this;
    }

    /// <summary>
    /// Forwards a claim (string, number or boolean; nested with <c>a.b.c</c>) in a header, overwriting anything
    /// the client sent under that name; the header is removed from requests without a valid token.
    /// </summary>
    public GatewayJwtRuleBuilder OutputClaimToHeader(string header, string claim)
    {
        _claimHeaders.Add(new JwtClaimToHeader(header, claim));
        return this;
    }

    /// <summary>The JWKS fetch timeout. Default 5 seconds.</summary>
    public GatewayJwtRuleBuilder Timeout(TimeSpan timeout)
    {
        _timeout = timeout;
        return this;
    }

    /// <summary>How often the JWKS is fetched again. Default 20 minutes (Istio).</summary>
    public GatewayJwtRuleBuilder RefreshInterval(TimeSpan interval)
    {
        _refreshInterval = interval;
        return this;
    }

    internal JwtRuleConfig Build() => new(_issuer)
    {
        Jwks = _jwks,
        JwksUri = _jwksUri,
        Audiences = [.. _audiences],
        FromHeaders = [.. _headers],
        FromParams = [.. _params],
        FromCookies = [.. _cookies],
        ForwardOriginalToken = _forwardOriginalToken,
        RequireExpiration = _requireExpiration,
        OutputPayloadToHeader = _payloadHeader,
        OutputClaimToHeaders = [.. _claimHeaders],
        Timeout = _timeout,
        RefreshInterval = _refreshInterval,
        Source = $"jwtRule '{_issuer}'",
    };
}
