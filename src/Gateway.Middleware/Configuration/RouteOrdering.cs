namespace Gateway.Middleware.Configuration;

/// <summary>How the rules bound to one host are ordered.</summary>
internal enum RouteOrdering
{
    /// <summary>Istio VirtualService: declaration order, first match wins.</summary>
    FirstMatch,

    /// <summary>Gateway API HTTPRoute: most specific match wins (exact path, longest prefix, method, ...).</summary>
    GatewayApiPrecedence,
}
