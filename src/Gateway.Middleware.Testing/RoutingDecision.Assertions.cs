namespace Gateway.Middleware.Testing;

public sealed partial class RoutingDecision
{
    /// <summary>
    /// Asserts that the request is forwarded and that one of the rule's destinations is <paramref name="host"/>
    /// (same name, or its Kubernetes short name: <c>reviews</c> for <c>reviews.default.svc.cluster.local</c>) with,
    /// when given, <paramref name="subset"/>, <paramref name="port"/> and <paramref name="weight"/>.
    /// </summary>
    /// <param name="host">The upstream name, service host or short name.</param>
    /// <param name="subset">The subset, or <see langword="null"/> for any.</param>
    /// <param name="port">The port, or <see langword="null"/> for any.</param>
    /// <param name="weight">The weight, or <see langword="null"/> for any.</param>
    /// <returns>The matching destination.</returns>
    /// <exception cref="GatewayAssertionException">It is not (the message says what happens instead).</exception>
    public RoutedDestination AssertRoutesTo(string host, string? subset = null, int? port = null, int? weight = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(host);
        if (Outcome == RoutingOutcome.Forward)
        {
            foreach (var destination in Destinations)
            {
                if (destination.Is(host, subset, port) && (weight is null || weight == destination.Weight))
                {
                    return destination;
                }
            }
        }

        var expected = host + (subset is null ? "" : " subset " + subset) + (port is null ? "" : $" port {port}") + (weight is null ? "" : $" weight {weight}");
        throw new GatewayAssertionException($"Expected the request to be routed to {expected}, but:\n  {this}");
    }

    /// <summary>Asserts that no host or rule matches (the gateway answers 404).</summary>
    /// <exception cref="GatewayAssertionException">Something matched.</exception>
    public void AssertNotFound()
    {
        if (Outcome != RoutingOutcome.NotFound)
        {
            throw new GatewayAssertionException($"Expected no route (404), but:\n  {this}");
        }
    }

    /// <summary>Asserts a redirect, with <paramref name="statusCode"/> and <paramref name="location"/> when given.</summary>
    /// <param name="location">The expected <c>Location</c>, or <see langword="null"/> for any.</param>
    /// <param name="statusCode">The expected code, or <see langword="null"/> for any.</param>
    /// <exception cref="GatewayAssertionException">It is not that redirect.</exception>
    public void AssertRedirect(string? location = null, int? statusCode = null)
    {
        if (Outcome != RoutingOutcome.Redirect || (location is not null && location != Location) || (statusCode is not null && statusCode != StatusCode))
        {
            throw new GatewayAssertionException($"Expected a redirect{(statusCode is null ? "" : $" {statusCode}")}{(location is null ? "" : " to " + location)}, but:\n  {this}");
        }
    }

    /// <summary>Asserts a direct response with <paramref name="statusCode"/>, and <paramref name="body"/> when given.</summary>
    /// <param name="statusCode">The expected status.</param>
    /// <param name="body">The expected body, or <see langword="null"/> for any.</param>
    /// <exception cref="GatewayAssertionException">It is not that direct response.</exception>
    public void AssertDirectResponse(int statusCode, string? body = null)
    {
        if (Outcome != RoutingOutcome.DirectResponse || statusCode != StatusCode || (body is not null && body != Body))
        {
            throw new GatewayAssertionException($"Expected a direct response {statusCode}{(body is null ? "" : $" \"{body}\"")}, but:\n  {this}");
        }
    }
}
