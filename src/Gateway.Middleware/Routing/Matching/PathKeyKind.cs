namespace Gateway.Middleware.Routing.Matching;

internal enum PathKeyKind
{
    /// <summary>Checked for every request: no path condition, a regex, or a prefix that matches every path.</summary>
    Always,

    /// <summary>A candidate when the request path starts with the literal.</summary>
    Prefix,

    /// <summary>A candidate when the request path equals the literal.</summary>
    Exact,
}
