using Gateway.Middleware.Features;
using Gateway.Middleware.Forwarding;
using Microsoft.AspNetCore.Http;

namespace Gateway.Middleware.Diagnostics;

/// <summary>
/// Envoy's <c>%RESPONSE_CODE_DETAILS%</c> for the outcomes the gateway records (Envoy's "Response code details"
/// page); null (logged <c>-</c>) for the ones it does not distinguish, e.g. the reason of a JWT or RBAC denial.
/// </summary>
internal static class AccessLogResponseCodeDetails
{
    public static string? For(HttpContext context, GatewayFeature? feature, int status)
    {
        if (context.Features.Get<IGatewayForwarderErrorFeature>() is { Error: not GatewayForwarderError.None } failure)
        {
            return failure.Error switch
            {
                GatewayForwarderError.NoHealthyUpstream => "no_healthy_upstream",
                GatewayForwarderError.ConnectionFailure or GatewayForwarderError.TlsFailure => "upstream_reset_before_response_started{connection_failure}",
                GatewayForwarderError.Overflow => "upstream_reset_before_response_started{overflow}",
                GatewayForwarderError.RouteTimeout => "response_timeout",
                GatewayForwarderError.ClientAborted or GatewayForwarderError.ResponseBodyClient => "downstream_remote_disconnect",
                GatewayForwarderError.ResponseBodyUpstream => "upstream_reset_after_response_started{connection_termination}",
                _ => AccessLogResponseFlags.For(context, feature, status).StartsWith("UR", StringComparison.Ordinal)
                    ? "upstream_reset_before_response_started{remote_reset}"
                    : "upstream_reset_before_response_started{connection_termination}",
            };
        }

        if (feature is null)
        {
            return null;
        }

        if (feature.Route is not { } route)
        {
            return status == StatusCodes.Status404NotFound ? "route_not_found" : null;
        }

        if (feature.SelectedEndpoint is not null)
        {
            return "via_upstream";
        }

        var action = route.Action;
        if (action.Redirect is not null || action.DirectResponse is not null)
        {
            return "direct_response";
        }

        if (action.Fault?.AbortStatus == status)
        {
            return "fault_filter_abort";
        }

        if (feature.Cluster?.LocalReplyStatus == status)
        {
            return "cluster_not_found";
        }

        return status == StatusCodes.Status503ServiceUnavailable ? "no_healthy_upstream" : null;
    }
}
