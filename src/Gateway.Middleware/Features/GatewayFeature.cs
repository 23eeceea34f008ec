using Gateway.Middleware.Configuration;
using Microsoft.AspNetCore.Http;
using Gateway.Middleware.Forwarding;
using Gateway.Middleware.Routing;
using Gateway.Middleware.Upstreams;

namespace Gateway.Middleware.Features;

/// <summary>The one per-request object the stages share; allocated once by the first gateway stage.</summary>
internal sealed class GatewayFeature : IGatewayFeature, IGatewayForwarderErrorFeature
{
    public GatewayFeature(GatewaySnapshot snapshot)
    {
        Snapshot = snapshot;
    }

    /// <summary>The feature of this request, created on the current snapshot by the first stage that runs.</summary>
    public static GatewayFeature GetOrCreate(HttpContext context, GatewayConfigProvider config)
    {
        if (context.Features.Get<IGatewayFeature>() is GatewayFeature existing)
        {
            return existing;
        }

        var feature = new GatewayFeature(config.Current);
        context.Features.Set<IGatewayFeature>(feature);
        return feature;
    }

    /// <summary>The configuration this request started on; it finishes on it even across a reload.</summary>
    public GatewaySnapshot Snapshot { get; }

    public VirtualHost? MatchedVirtualHost { get; set; }

    public Route? Route { get; set; }

    public RouteDestination? Destination { get; set; }

    public UpstreamCluster? Cluster { get; set; }

    public UpstreamEndpoint? SelectedEndpoint { get; set; }

    /// <summary>The identity of a validated JWT; null when the request carried none (set by the JWT stage).</summary>
    public Authentication.JwtPrincipal? Principal { get; set; }

    /// <summary>Whether the path normalization ran (the stage, or routing when used without it).</summary>
    public bool PathNormalized { get; set; }

    /// <summary>Whether the forwarder has settled the request's <c>x-request-id</c> (kept or replaced once, before the first try or mirror).</summary>
    public bool RequestIdAssigned { get; set; }

    /// <summary>The last try failed in a way the retry policy retries, but no retry was left (Envoy flag URX).</summary>
    public bool RetryLimitExceeded { get; set; }

    public GatewayForwarderError Error { get; set; }

    public Exception? Exception { get; set; }

    string? IGatewayFeature.VirtualHost => MatchedVirtualHost?.Name;

    string? IGatewayFeature.RouteName => Route?.Name;

    string? IGatewayFeature.UpstreamName => Cluster?.ServiceName;

    string? IGatewayFeature.Subset => Cluster?.Subset;

    string? IGatewayFeature.ServerName => MatchedVirtualHost?.ServerName;

    Uri? IGatewayFeature.Endpoint => SelectedEndpoint?.Address;
}
