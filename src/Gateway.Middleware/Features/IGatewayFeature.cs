namespace Gateway.Middleware.Features;

/// <summary>
/// What the gateway decided for the current request, published on <c>HttpContext.Features</c> by the
/// gateway middleware as each stage runs. Read it from your own middleware placed between the stages.
/// </summary>
public interface IGatewayFeature
{
    /// <summary>The host pattern (virtual host) the request's <c>Host</c> selected; <see langword="null"/> before host matching.</summary>
    string? VirtualHost { get; }

    /// <summary>The name of the matched route; <see langword="null"/> before routing or when nothing matched.</summary>
    string? RouteName { get; }

    /// <summary>The upstream (destination service) chosen for the request; <see langword="null"/> before routing.</summary>
    string? UpstreamName { get; }

    /// <summary>The subset of the upstream chosen (DestinationRule subset); <see langword="null"/> when none.</summary>
    string? Subset { get; }

    /// <summary>The server (Istio Gateway server, Gateway API listener) the request was matched on.</summary>
    string? ServerName { get; }

    /// <summary>The endpoint the forwarder dialled; <see langword="null"/> until it picks one.</summary>
    Uri? Endpoint { get; }
}
