namespace Gateway.Middleware.Authorization;

/// <summary>
/// Istio <c>Source</c>: every non-empty field must match; the values of one field are alternatives; the
/// <c>Not*</c> fields match when none of their values does.
/// </summary>
internal sealed record AuthorizationPolicySourceConfig
{
    /// <summary><c>iss/sub</c> of the validated JWT: exact, <c>prefix*</c>, <c>*suffix</c> or <c>*</c> (any authenticated request).</summary>
    public IReadOnlyList<string> RequestPrincipals { get; init; } = [];

    public IReadOnlyList<string> NotRequestPrincipals { get; init; } = [];

    /// <summary>The peer address of the connection: an IP or a CIDR block.</summary>
    public IReadOnlyList<string> IpBlocks { get; init; } = [];

    public IReadOnlyList<string> NotIpBlocks { get; init; } = [];

    /// <summary>The client address from <c>X-Forwarded-For</c> as trusted by the configured proxy hops (the peer with none).</summary>
    public IReadOnlyList<string> RemoteIpBlocks { get; init; } = [];

    public IReadOnlyList<string> NotRemoteIpBlocks { get; init; } = [];

    /// <summary>
    /// The validated client certificate's <c>spiffe://</c> URI SAN without the scheme
    /// (<c>cluster.local/ns/default/sa/sleep</c>); patterns as <see cref="RequestPrincipals"/>.
    /// </summary>
    public IReadOnlyList<string> Principals { get; init; } = [];

    public IReadOnlyList<string> NotPrincipals { get; init; } = [];

    /// <summary>The namespace of <see cref="Principals"/> (its <c>/ns/&lt;namespace&gt;/</c> segment).</summary>
    public IReadOnlyList<string> Namespaces { get; init; } = [];

    public IReadOnlyList<string> NotNamespaces { get; init; } = [];

    internal bool IsEmpty => RequestPrincipals.Count + NotRequestPrincipals.Count + IpBlocks.Count + NotIpBlocks.Count
        + RemoteIpBlocks.Count + NotRemoteIpBlocks.Count + Principals.Count + NotPrincipals.Count + Namespaces.Count + NotNamespaces.Count == 0;
}
