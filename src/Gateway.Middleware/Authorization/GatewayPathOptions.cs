namespace Gateway.Middleware.Authorization;

/// <summary>How the gateway treats request paths before routing and authorization (docs/paths.md).</summary>
public sealed class GatewayPathOptions
{
    /// <summary>
    /// The normalization applied to every request path before routing and authorization; routing,
    /// authorization and forwarding all see its result. Default <see cref="PathNormalization.MergeSlashes"/>
    /// (Istio's default is <see cref="PathNormalization.Base"/>, which does not merge <c>//</c>). Whatever
    /// the mode, a path containing <c>%00</c> or an invalid <c>%</c> escape is answered 400.
    /// </summary>
    public PathNormalization Normalization { get; set; } = PathNormalization.MergeSlashes;
}
