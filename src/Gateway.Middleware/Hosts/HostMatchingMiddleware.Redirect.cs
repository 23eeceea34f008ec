using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace Gateway.Middleware.Hosts;

internal sealed partial class HostMatchingMiddleware
{
    /// <summary>
    /// Whether a trusted proxy in front (<c>TrustedProxyHops</c> &gt; 0) says the client's request came over
    /// https, as Envoy trusts <c>x-forwarded-proto</c> only from trusted hops: behind a TLS load balancer the
    /// redirect must not loop, while a client cannot skip it by sending the header itself.
    /// </summary>
    private bool ForwardedOverHttps(HttpRequest request)
    {
        if (_trustedProxyHops <= 0)
        {
            return false;
        }

        var values = request.Headers[Forwarding.ForwardedHeaders.XForwardedProto];
        if (StringValues.IsNullOrEmpty(values))
        {
            return false;
        }

        // The last proxy's entry is the one that describes the connection it received.
        var last = values[values.Count - 1].AsSpan();
        var comma = last.LastIndexOf(',');
        return last[(comma + 1)..].Trim().Equals("https", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>
    /// Envoy's <c>https_redirect</c>: same host and path over https, 301. A port 80 in the Host is dropped
    /// (the https default applies); another port is kept, as Envoy does.
    /// </summary>
    private static Task RedirectToHttps(HttpContext context)
    {
        var request = context.Request;
        var host = request.Host.Value ?? "";
        if (host.Length == 0)
        {
            // HTTP/1.0 without Host: "https://" + "" + "/evil.example/x" is "https:///evil.example/x", which
            // browsers resolve to https://evil.example/x (an open redirect). There is no https URL to send the client to.
            return Forwarding.LocalReply.WriteAsync(context, StatusCodes.Status400BadRequest, "");
        }

        if (host.EndsWith(":80", StringComparison.Ordinal))
        {
            host = host[..^3];
        }

        var response = context.Response;
        response.StatusCode = StatusCodes.Status301MovedPermanently;
        response.Headers.Location = string.Concat("https://", host, request.PathBase.ToUriComponent(), request.Path.ToUriComponent(), request.QueryString.Value);
        response.ContentLength = 0;
        return Task.CompletedTask;
    }
}
