using System.Net.Http;
using Gateway.Middleware.Features;
using Gateway.Middleware.Forwarding;
using Microsoft.AspNetCore.Http;

namespace Gateway.Middleware.Diagnostics;

/// <summary>
/// Envoy's <c>%RESPONSE_FLAGS%</c> for a finished request, from what the gateway stages recorded. A best-effort
/// subset: NR, NC, UH, UF, UO, UT, UC, UR, URX, DC, DPE, FI; "-" when none applies. Several flags are joined with a
/// comma as Envoy does (<c>UF,URX</c>: the last try failed to connect and no retry was left).
/// </summary>
internal static class AccessLogResponseFlags
{
    /// <summary>
    /// The status Envoy reports for a finished request: 0 when no response was started for a client that went
    /// away; the server's 500 when an unhandled exception ended the request before the response started.
    /// </summary>
    public static int DownstreamStatus(HttpContext context, bool failed)
    {
        var response = context.Response;
        return response.HasStarted ? response.StatusCode
            : failed ? StatusCodes.Status500InternalServerError
            : context.RequestAborted.IsCancellationRequested ? 0
            : response.StatusCode;
    }

    public static string For(HttpContext context, GatewayFeature? feature, int status)
    {
        if (context.Features.Get<IGatewayForwarderErrorFeature>() is { Error: not GatewayForwarderError.None } failure)
        {
            var flag = ForError(failure.Error, failure.Exception);
            return feature?.RetryLimitExceeded == true ? flag + ",URX" : flag;
        }

        if (context.RequestAborted.IsCancellationRequested)
        {
            // The client left without the forwarder seeing it (e.g. during a fault delay).
            return "DC";
        }

        if (feature is null)
        {
            return "-";
        }

        if (feature.Route is not { } route)
        {
            // No virtual host or no rule matched: Envoy's "no route" (404).
            return status == StatusCodes.Status404NotFound ? "NR" : "-";
        }

        if (feature.SelectedEndpoint is not null)
        {
            // An answer the policy would have retried (e.g. 503 under retryOn 5xx) after the last retry.
            return feature.RetryLimitExceeded ? "URX" : "-";
        }

        var action = route.Action;
        if (action.Fault?.AbortStatus == status && action.Redirect is null && action.DirectResponse is null)
        {
            return "FI";
        }

        if (feature.Cluster?.LocalReplyStatus == status)
        {
            // A Gateway API backendRef that cannot be resolved: Envoy has no cluster for it.
            return "NC";
        }

        return status == StatusCodes.Status503ServiceUnavailable && action.Redirect is null && action.DirectResponse is null ? "UH" : "-";
    }

    private static string ForError(GatewayForwarderError error, Exception? exception) => error switch
    {
        GatewayForwarderError.NoHealthyUpstream => "UH",
        GatewayForwarderError.ConnectionFailure or GatewayForwarderError.TlsFailure => "UF",
        GatewayForwarderError.Overflow => "UO",
        GatewayForwarderError.RouteTimeout => "UT",
        GatewayForwarderError.ClientAborted or GatewayForwarderError.ResponseBodyClient => "DC",
        GatewayForwarderError.RequestBodyClient => "DPE",
        _ => IsRemoteReset(exception) ? "UR" : "UC",
    };

    private static bool IsRemoteReset(Exception? exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is HttpProtocolException)
            {
                return true;
            }
        }

        return false;
    }
}
