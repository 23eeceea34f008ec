using Gateway.Middleware.Authorization;

namespace Gateway.Middleware.Builder;

/// <summary>
/// Declares one rule of an authorization policy (Istio <c>Rule</c>). Each <see cref="From"/> or
/// <see cref="To"/> call adds an alternative; the rule matches when one <c>From</c> (if any), one <c>To</c>
/// (if any) and every <c>When</c> condition match. Within a call, every given field must match, any of a
/// field's values may match, and the <c>not…</c> fields must match none of theirs.
/// </summary>
public sealed class GatewayAuthorizationRuleBuilder
{
    private readonly List<AuthorizationPolicySourceConfig> _from = [];
    private readonly List<AuthorizationPolicyOperationConfig> _to = [];
    private readonly List<AuthorizationPolicyConditionConfig> _when = [];

    internal GatewayAuthorizationRuleBuilder()
    {
    }

    /// <summary>
    /// Adds a source. <paramref name="requestPrincipals"/> are the JWT's <c>iss/sub</c> (exact, <c>prefix*</c>,
    /// <c>*suffix</c>, or <c>*</c> for any valid token); <paramref name="ipBlocks"/> are IPs or CIDR blocks of
    /// the peer; <paramref name="remoteIpBlocks"/> of the client named by <c>X-Forwarded-For</c> per the
    /// trusted proxy hops; <paramref name="principals"/> are the <c>spiffe://</c> URI SAN (without the scheme,
    /// e.g. <c>cluster.local/ns/default/sa/sleep</c>) of the client certificate a MUTUAL or OPTIONAL_MUTUAL
    /// server validated, and <paramref name="namespaces"/> its <c>/ns/&lt;namespace&gt;/</c> segment; a request
    /// without a validated client certificate matches no principal or namespace, not even <c>*</c>.
    /// </summary>
    public GatewayAuthorizationRuleBuilder From(
        string[]? requestPrincipals = null,
        string[]? notRequestPrincipals = null,
        string[]? ipBlocks = null,
        string[]? notIpBlocks = null,
        string[]? remoteIpBlocks = null,
        string[]? notRemoteIpBlocks = null,
        string[]? principals = null,
        string[]? notPrincipals = null,
        string[]? namespaces = null,
        string[]? notNamespaces = null)
    {
        _from.Add(new AuthorizationPolicySourceConfig
        {
            RequestPrincipals = requestPrincipals ?? [],
            NotRequestPrincipals = notRequestPrincipals ?? [],
            IpBlocks = ipBlocks ?? [],
            NotIpBlocks = notIpBlocks ?? [],
            RemoteIpBlocks = remoteIpBlocks ?? [],
            NotRemoteIpBlocks = notRemoteIpBlocks ?? [],
            Principals = principals ?? [],
            NotPrincipals = notPrincipals ?? [],
            Namespaces = namespaces ?? [],
            NotNamespaces = notNamespaces ?? [],
        });
        return this;
    }

    /// <summary>
    /// Adds an operation. <paramref name="hosts"/> are case-insensitive (<c>*.example.com</c> allowed);
    /// <paramref name="ports"/> are local ports; <paramref name="methods"/> are exact; <paramref name="paths"/>
    /// are exact, <c>prefix*</c>, <c>*suffix</c>, <c>*</c>, or templates with <c>{*}</c> (one segment) and a
    /// trailing <c>{**}</c> (the rest), compared with the normalized path.
    /// </summary>
    public GatewayAuthorizationRuleBuilder To(
        string[]? hosts = null,
        string[]? notHosts = null,
        int[]? ports = null,
        int[]? notPorts = null,
        string[]? methods = null,
        string[]? notMethods = null,
        string[]? paths = null,
        string[]? notPaths = null)
    {
        _to.Add(new AuthorizationPolicyOperationConfig
        {
            Hosts = hosts ?? [],
            NotHosts = notHosts ?? [],
            Ports = ports ?? [],
            NotPorts = notPorts ?? [],
            Methods = methods ?? [],
            NotMethods = notMethods ?? [],
            Paths = paths ?? [],
            NotPaths = notPaths ?? [],
        });
        return this;
    }

    /// <summary>
    /// Adds a condition: the attribute <paramref name="key"/> matches one of <paramref name="values"/>. Keys:
    /// <c>request.auth.claims[name]</c> (nested <c>[a][b]</c>), <c>request.auth.principal</c>,
    /// <c>request.auth.audiences</c>, <c>request.auth.presenter</c>, <c>request.headers[name]</c>,
    /// <c>source.ip</c>, <c>remote.ip</c>, <c>source.principal</c>, <c>source.namespace</c>, <c>destination.port</c>,
    /// <c>connection.sni</c>.
    /// </summary>
    public GatewayAuthorizationRuleBuilder When(string key, params string[] values)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(values);
        _when.Add(new AuthorizationPolicyConditionConfig { Key = key, Values = values });
        return this;
    }

    /// <summary>Adds a condition: the attribute <paramref name="key"/> matches none of <paramref name="notValues"/>.</summary>
    public GatewayAuthorizationRuleBuilder WhenNot(string key, params string[] notValues)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(notValues);
        _when.Add(new AuthorizationPolicyConditionConfig { Key = key, NotValues = notValues });
        return this;
    }

    internal AuthorizationPolicyRuleConfig Build() => new()
    {
        From = [.. _from],
        To = [.. _to],
        When = [.. _when],
    };
}
