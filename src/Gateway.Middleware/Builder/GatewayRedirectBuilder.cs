using Gateway.Middleware.Configuration;

namespace Gateway.Middleware.Builder;

/// <summary>Declares a redirect (Istio <c>HTTPRedirect</c>, Gateway API <c>RequestRedirect</c>).</summary>
public sealed class GatewayRedirectBuilder
{
    private RedirectConfig _config;

    internal GatewayRedirectBuilder(int defaultCode)
    {
        _config = new RedirectConfig { Code = defaultCode };
    }

    /// <summary>Replaces the whole path (Istio <c>uri</c>, Gateway API <c>ReplaceFullPath</c>).</summary>
    public GatewayRedirectBuilder Uri(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        _config = _config with { Path = path };
        return this;
    }

    /// <summary>Replaces only the prefix the rule matched (Gateway API <c>ReplacePrefixMatch</c>).</summary>
    public GatewayRedirectBuilder ReplacePrefix(string prefix)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        _config = _config with { PrefixReplacement = prefix };
        return this;
    }

    /// <summary>Replaces the host.</summary>
    public GatewayRedirectBuilder Authority(string authority)
    {
        ArgumentNullException.ThrowIfNull(authority);
        _config = _config with { Authority = authority };
        return this;
    }

    /// <summary>Replaces the scheme (<c>http</c> or <c>https</c>).</summary>
    public GatewayRedirectBuilder Scheme(string scheme)
    {
        ArgumentNullException.ThrowIfNull(scheme);
        _config = _config with { Scheme = scheme };
        return this;
    }

    /// <summary>Replaces the port.</summary>
    public GatewayRedirectBuilder Port(int port)
    {
        _config = _config with { Port = port };
        return this;
    }

    /// <summary>The status code: 301, 302, 303, 307 or 308.</summary>
    public GatewayRedirectBuilder Code(int code)
    {
        _config = _config with { Code = code };
        return this;
    }

    internal RedirectConfig Build() => _config;
}
