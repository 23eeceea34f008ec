using System.Net;

namespace Gateway.Middleware.Tests.Routing;

/// <summary>What routing decided: the status, and on 200 the route and upstream that were selected.</summary>
public sealed record RoutingResult(HttpStatusCode Status, string? Route, string? Upstream);
