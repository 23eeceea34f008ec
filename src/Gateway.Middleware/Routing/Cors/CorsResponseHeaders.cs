using Gateway.Middleware.Routing.Actions;
using Microsoft.AspNetCore.Http;

namespace Gateway.Middleware.Routing.Cors;

/// <summary>
/// Adds the CORS headers to the response of an actual request from an allowed origin, whoever writes it
/// (the upstream's forwarded response or a local reply), just before its headers are sent: Envoy's
/// <c>CorsFilter::encodeHeaders</c>. Values overwrite what the upstream sent; other CORS headers of the
/// upstream pass unchanged. The one allocation per CORS request is this callback state.
/// </summary>
internal sealed class CorsResponseHeaders
{
    private static readonly Func<object, Task> OnStarting = static state => ((CorsResponseHeaders)state).Apply();

    private readonly HttpResponse _response;
    private readonly CorsPolicy _policy;
    private readonly string _origin;

    private CorsResponseHeaders(HttpResponse response, CorsPolicy policy, string origin)
    {
        _response = response;
        _policy = policy;
        _origin = origin;
    }

    public static void Register(HttpResponse response, CorsPolicy policy, string origin)
        => response.OnStarting(OnStarting, new CorsResponseHeaders(response, policy, origin));

    private Task Apply()
    {
        var headers = _response.Headers;

        // The request's origin, never "*": Envoy reflects it even when every origin is allowed, which is
        // also what a credentialed request needs (Fetch §3.2.5).
        headers.AccessControlAllowOrigin = _origin;
        if (_policy.AllowCredentials)
        {
            headers.AccessControlAllowCredentials = "true";
        }

        if (_policy.ExposeHeaders is { } expose)
        {
            headers.AccessControlExposeHeaders = expose;
        }

        return Task.CompletedTask;
    }
}
