namespace Gateway.Middleware.Testing;

/// <summary>What the gateway does with a request, as <see cref="GatewayRoutingProbe"/> decides it.</summary>
public enum RoutingOutcome
{
    /// <summary>A rule matched and forwards to its destination(s).</summary>
    Forward = 0,

    /// <summary>No host or no rule matches: 404 with an empty body.</summary>
    NotFound = 1,

    /// <summary>The rule redirects (Istio <c>redirect</c>, Gateway API <c>RequestRedirect</c>).</summary>
    Redirect = 2,

    /// <summary>The rule answers itself (Istio <c>directResponse</c>).</summary>
    DirectResponse = 3,

    /// <summary>The path cannot be normalized (e.g. <c>%00</c>): 400.</summary>
    BadRequest = 4,
}
