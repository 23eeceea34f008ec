using Gateway.Middleware.Configuration;

namespace Gateway.Middleware.Routing.Actions;

/// <summary>What a compiled rule does once it matched: the destinations and every action of the rule.</summary>
internal sealed class RouteAction
{
    private readonly RouteDestination[] _destinations;
    private readonly int _totalWeight;

    public RouteAction(string name, RouteDestination[] destinations)
    {
        Name = name;
        _destinations = destinations;
        foreach (var destination in destinations)
        {
            _totalWeight += destination.Weight;
        }
    }

    public string Name { get; }

    /// <summary>Where the rule was declared (for logs and the config dump).</summary>
    public string Source { get; init; } = "";

    public RouteOrdering Ordering { get; init; }

    public ReadOnlySpan<RouteDestination> Destinations => _destinations;

    public TimeSpan? Timeout { get; init; }

    public RedirectAction? Redirect { get; init; }

    public DirectResponseAction? DirectResponse { get; init; }

    public RewriteAction? Rewrite { get; init; }

    public HeaderOperations? RequestHeaders { get; init; }

    public HeaderOperations? ResponseHeaders { get; init; }

    public FaultAction? Fault { get; init; }

    public RetryPolicy Retry { get; init; } = RetryPolicy.IstioDefault;

    public MirrorPolicy[] Mirrors { get; init; } = [];

    public CorsPolicy? Cors { get; init; }

    /// <summary>Whether the forwarder answers or delays before choosing an upstream: a redirect, a direct response or a fault.</summary>
    public bool HasLocalActions => Redirect is not null || DirectResponse is not null || Fault is not null;

    /// <summary>Picks a destination by weight (per request, at random, as Envoy's weighted clusters); null when there is none.</summary>
    public RouteDestination? PickDestination()
    {
        var destinations = _destinations;
        if (destinations.Length <= 1)
        {
            return destinations.Length == 0 ? null : destinations[0];
        }

        if (_totalWeight <= 0)
        {
            return null;
        }

        var ticket = Random.Shared.Next(_totalWeight);
        foreach (var destination in destinations)
        {
            ticket -= destination.Weight;
            if (ticket < 0)
            {
                return destination;
            }
        }

        return destinations[^1];
    }
}
