namespace Gateway.Middleware.Authorization;

/// <summary>
/// Istio <c>Operation</c>: every non-empty field must match; the values of one field are alternatives; the
/// <c>Not*</c> fields match when none of their values does.
/// </summary>
internal sealed record AuthorizationPolicyOperationConfig
{
    /// <summary>The request's host (port ignored unless the value has one), case-insensitive: exact, <c>*.suffix</c>, <c>prefix.*</c> or <c>*</c>.</summary>
    public IReadOnlyList<string> Hosts { get; init; } = [];

    public IReadOnlyList<string> NotHosts { get; init; } = [];

    /// <summary>The local port the request arrived on.</summary>
    public IReadOnlyList<int> Ports { get; init; } = [];

    public IReadOnlyList<int> NotPorts { get; init; } = [];

    /// <summary>HTTP methods, exact (case-sensitive as Envoy compares <c>:method</c>).</summary>
    public IReadOnlyList<string> Methods { get; init; } = [];

    public IReadOnlyList<string> NotMethods { get; init; } = [];

    /// <summary>The normalized path without query: exact, <c>prefix*</c>, <c>*suffix</c>, <c>*</c>, or a template with <c>{*}</c> / <c>{**}</c>.</summary>
    public IReadOnlyList<string> Paths { get; init; } = [];

    public IReadOnlyList<string> NotPaths { get; init; } = [];

    internal bool IsEmpty => Hosts.Count + NotHosts.Count + Ports.Count + NotPorts.Count + Methods.Count + NotMethods.Count
        + Paths.Count + NotPaths.Count == 0;
}
