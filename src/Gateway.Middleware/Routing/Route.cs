using Microsoft.AspNetCore.Http;

namespace Gateway.Middleware.Routing;

/// <summary>A compiled, immutable route.</summary>
internal sealed class Route
{
    private readonly RouteMatch[] _matches;
    private readonly RouteDestination[] _destinations;
    private readonly int _totalWeight;

    public Route(string name, RouteMatch[] matches, RouteDestination[] destinations, TimeSpan? timeout)
    {
        Name = name;
        _matches = matches;
        _destinations = destinations;
        Timeout = timeout;
        foreach (var destination in destinations)
        {
            _totalWeight += destination.Weight;
        }
    }

    public string Name { get; }

    public TimeSpan? Timeout { get; }

    public bool Matches(HttpRequest request)
    {
        if (_matches.Length == 0)
        {
            return true;
        }

        foreach (var match in _matches)
        {
            if (match.Matches(request))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Picks a destination by weight (Istio splits traffic per request, at random).</summary>
    public RouteDestination PickDestination()
    {
        if (_destinations.Length == 1 || _totalWeight <= 0)
        {
            return _destinations[0];
        }

        var ticket = Random.Shared.Next(_totalWeight);
        foreach (var destination in _destinations)
        {
            ticket -= destination.Weight;
            if (ticket < 0)
            {
                return destination;
            }
        }

        return _destinations[^1];
    }
}
