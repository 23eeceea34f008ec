namespace Gateway.Middleware.Configuration;

/// <summary>What the Gateway API uses to break precedence ties: oldest route, then name, then rule order.</summary>
/// <param name="CreationOrder">Lower is older (creation timestamp, else load order).</param>
/// <param name="QualifiedName">"namespace/name" of the HTTPRoute.</param>
/// <param name="RuleIndex">The rule's index in the route.</param>
internal sealed record GatewayApiRouteIdentity(long CreationOrder, string QualifiedName, int RuleIndex);
