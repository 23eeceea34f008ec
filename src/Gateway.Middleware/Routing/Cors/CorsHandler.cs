using Gateway.Middleware.Routing.Actions;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace Gateway.Middleware.Routing.Cors;

/// <summary>
/// Envoy's CORS filter (<c>envoy.filters.http.cors</c>, <c>CorsFilter::decodeHeaders</c>) for the selected
/// rule: answers preflights itself and arranges for the response of an actual request to carry the CORS
/// headers. Requests without an <c>Origin</c> are left alone.
/// </summary>
internal static class CorsHandler
{
    /// <summary>Returns true when the gateway answered the request (a preflight); false to continue.</summary>
    public static bool Handle(HttpContext context, CorsPolicy policy)
    {
        var request = context.Request;
        var origin = OriginOf(request.Headers.Origin);
        if (origin is null)
        {
            return false;
        }

        var allowed = policy.IsOriginAllowed(origin);

        // A preflight (Fetch §4.8 "CORS-preflight fetch") is OPTIONS with a non-empty
        // Access-Control-Request-Method; any other request with an Origin is an actual CORS request.
        if (!HttpMethods.IsOptions(request.Method) || StringValues.IsNullOrEmpty(request.Headers.AccessControlRequestMethod))
        {
            if (allowed)
            {
                CorsResponseHeaders.Register(context.Response, policy, origin);
            }

            return false;
        }

        if (!allowed && policy.ForwardUnmatchedPreflights)
        {
            // Istio's default (unmatchedPreflights FORWARD): the upstream answers, without CORS headers added.
            return false;
        }

        WritePreflight(context, policy, allowed ? origin : null);
        return true;
    }

    private static void WritePreflight(HttpContext context, CorsPolicy policy, string? origin)
    {
        var requestHeaders = context.Request.Headers;
        var response = context.Response;
        var headers = response.Headers;

        // Envoy answers 200 with headers only (content-length: 0), never Expose-Headers or Vary.
        response.StatusCode = StatusCodes.Status200OK;
        if (origin is not null)
        {
            headers.AccessControlAllowOrigin = origin;
        }

        if (policy.AllowCredentials)
        {
            headers.AccessControlAllowCredentials = "true";
        }

        if (policy.EchoRequestMethod)
        {
            headers.AccessControlAllowMethods = requestHeaders.AccessControlRequestMethod;
        }
        else if (policy.AllowMethods is { } methods)
        {
            headers.AccessControlAllowMethods = methods;
        }

        if (policy.EchoRequestHeaders)
        {
            // Envoy would send an empty value when the preflight named no header; an absent header means the same.
            if (!StringValues.IsNullOrEmpty(requestHeaders.AccessControlRequestHeaders))
            {
                headers.AccessControlAllowHeaders = requestHeaders.AccessControlRequestHeaders;
            }
        }
        else if (policy.AllowHeaders is { } allowHeaders)
        {
            headers.AccessControlAllowHeaders = allowHeaders;
        }

        if (policy.MaxAge is { } maxAge)
        {
            headers.AccessControlMaxAge = maxAge;
        }

        response.ContentLength = 0;
    }

    private static string? OriginOf(StringValues values) => values.Count switch
    {
        0 => null,
        1 => string.IsNullOrEmpty(values[0]) ? null : values[0],

        // Envoy folds repeated headers into one comma-joined value; such an origin rarely matches anything.
        _ => string.Join(',', values.ToArray()),
    };
}
