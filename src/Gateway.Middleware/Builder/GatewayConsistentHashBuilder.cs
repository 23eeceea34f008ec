using Gateway.Middleware.Configuration;

namespace Gateway.Middleware.Builder;

/// <summary>
/// Declares a consistent hash (Istio <c>loadBalancer.consistentHash</c>, Envoy ring hash): requests with the same
/// key go to the same endpoint while it is healthy. Give exactly one key; a request without it goes to a random
/// endpoint.
/// </summary>
public sealed class GatewayConsistentHashBuilder
{
    private ConsistentHashConfig _config = new();
    private string? _key;

    internal GatewayConsistentHashBuilder()
    {
    }

    /// <summary>Hashes on a request header (Istio <c>httpHeaderName</c>), e.g. <c>Header("x-user")</c>.</summary>
    public GatewayConsistentHashBuilder Header(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        SetKey("httpHeaderName");
        _config = _config with { HttpHeaderName = name };
        return this;
    }

    /// <summary>
    /// Hashes on a cookie (Istio <c>httpCookie</c>). When the client has none and <paramref name="ttl"/> is given,
    /// the gateway generates one and answers with <c>Set-Cookie: name="value"; Max-Age=ttl; Path=path; HttpOnly</c>
    /// (a zero ttl makes a session cookie), so the client's next requests stick to the same endpoint. Without a
    /// ttl no cookie is generated.
    /// </summary>
    public GatewayConsistentHashBuilder Cookie(string name, TimeSpan? ttl = null, string? path = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (ttl is { } value)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, TimeSpan.Zero, nameof(ttl));
        }

        SetKey("httpCookie");
        _config = _config with { HttpCookie = new HashCookieConfig(name) { Ttl = ttl, Path = path } };
        return this;
    }

    /// <summary>Hashes on the client's IP address, the connection's remote address (Istio <c>useSourceIp</c>).</summary>
    public GatewayConsistentHashBuilder SourceIp()
    {
        SetKey("useSourceIp");
        _config = _config with { UseSourceIp = true };
        return this;
    }

    /// <summary>Hashes on a query parameter (Istio <c>httpQueryParameterName</c>).</summary>
    public GatewayConsistentHashBuilder QueryParameter(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        SetKey("httpQueryParameterName");
        _config = _config with { HttpQueryParameterName = name };
        return this;
    }

    /// <summary>Points on the hash ring (Istio <c>ringHash.minimumRingSize</c>). Default 1024.</summary>
    public GatewayConsistentHashBuilder MinimumRingSize(int size)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(size);
        _config = _config with { MinimumRingSize = size };
        return this;
    }

    internal ConsistentHashConfig Build()
        => _key is null ? throw new InvalidOperationException("consistentHash: give a key (Header, Cookie, SourceIp or QueryParameter).") : _config;

    private void SetKey(string key)
    {
        if (_key is not null && _key != key)
        {
            throw new InvalidOperationException($"consistentHash: one hash key only, got {_key} and {key}.");
        }

        _key = key;
    }
}
