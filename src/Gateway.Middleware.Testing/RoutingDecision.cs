using System.Globalization;
using System.Text;

namespace Gateway.Middleware.Testing;

/// <summary>What the gateway would do with one request (<see cref="GatewayRoutingProbe.Route"/>), with assertions.</summary>
public sealed partial class RoutingDecision
{
    internal RoutingDecision(string request, RoutingOutcome outcome, int? statusCode)
    {
        Request = request;
        Outcome = outcome;
        StatusCode = statusCode;
    }

    /// <summary>The request, described: method, URL, headers.</summary>
    public string Request { get; }

    /// <summary>Forward, not found, redirect, direct response or bad request.</summary>
    public RoutingOutcome Outcome { get; }

    /// <summary>The status the gateway answers itself (404, the redirect's code, the direct response's, 400); <see langword="null"/> when it forwards.</summary>
    public int? StatusCode { get; }

    /// <summary>The matched rule's name (e.g. <c>default/reviews.0</c> for YAML, the <c>AddRoute</c> name); <see langword="null"/> when none matched.</summary>
    public string? RouteName { get; init; }

    /// <summary>Where the matched rule was declared (file, document, resource, field path); <c>""</c> when none matched.</summary>
    public string RouteSource { get; init; } = "";

    /// <summary>The matched virtual host's pattern (e.g. <c>bookinfo.example.com</c>, <c>*</c>); <see langword="null"/> when no host matched.</summary>
    public string? VirtualHost { get; init; }

    /// <summary>Every destination of the matched rule with its weight (all of a weighted split, none for redirects).</summary>
    public IReadOnlyList<RoutedDestination> Destinations { get; init; } = [];

    /// <summary>The destination when the rule has exactly one; <see langword="null"/> otherwise.</summary>
    public RoutedDestination? Destination => Destinations.Count == 1 ? Destinations[0] : null;

    /// <summary>The redirect's <c>Location</c>; <see langword="null"/> unless <see cref="Outcome"/> is <see cref="RoutingOutcome.Redirect"/>.</summary>
    public string? Location { get; init; }

    /// <summary>The direct response's body; <see langword="null"/> unless <see cref="Outcome"/> is <see cref="RoutingOutcome.DirectResponse"/>.</summary>
    public string? Body { get; init; }

    /// <summary>The path the rule sees after normalization (and forwards, before any rewrite).</summary>
    public string NormalizedPath { get; init; } = "";

    /// <summary>E.g. <c>GET http://bookinfo.example.com/reviews/1 [end-user: jason] → route 'reviews' → reviews… subset v2 weight 100</c>.</summary>
    /// <returns>The description.</returns>
    public override string ToString()
    {
        var text = new StringBuilder(Request).Append(" → ");
        switch (Outcome)
        {
            case RoutingOutcome.NotFound:
                text.Append(VirtualHost is null ? "no virtual host matches: 404" : $"virtual host '{VirtualHost}', no rule matches: 404");
                return text.ToString();
            case RoutingOutcome.BadRequest:
                return text.Append("path cannot be normalized: 400").ToString();
        }

        text.Append("route '").Append(RouteName).Append('\'');
        if (RouteSource.Length > 0)
        {
            text.Append(" (").Append(RouteSource).Append(')');
        }

        text.Append(" → ");
        switch (Outcome)
        {
            case RoutingOutcome.Redirect:
                text.Append(CultureInfo.InvariantCulture, $"redirect {StatusCode} to {Location}");
                break;
            case RoutingOutcome.DirectResponse:
                text.Append(CultureInfo.InvariantCulture, $"direct response {StatusCode}");
                if (!string.IsNullOrEmpty(Body))
                {
                    text.Append(" \"").Append(Body).Append('"');
                }

                break;
            default:
                text.Append(Destinations.Count == 0 ? "no destination" : string.Join(", ", Destinations));
                break;
        }

        return text.ToString();
    }
}
