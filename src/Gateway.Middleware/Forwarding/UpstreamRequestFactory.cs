using System.Net;
using Gateway.Middleware.Features;
using Gateway.Middleware.Routing.Actions;
using Gateway.Middleware.Upstreams;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

namespace Gateway.Middleware.Forwarding;

/// <summary>Builds the upstream <see cref="HttpRequestMessage"/> for a client request.</summary>
internal static class UpstreamRequestFactory
{
    public static HttpRequestMessage Create(
        HttpContext context,
        UpstreamEndpoint endpoint,
        UpstreamProtocol protocol,
        TunnelKind tunnel,
        GatewayForwardingOptions options,
        CancellationToken cancellation,
        out StreamCopyHttpContent? streamContent)
    {
        var request = context.Request;
        var feature = context.Features.Get<IGatewayFeature>() as GatewayFeature;
        var path = feature?.Route is { } rewriting ? ForwardingActions.RewritePath(context, rewriting) : request.Path;
        var message = new HttpRequestMessage
        {
            // RFC 8441: a WebSocket over HTTP/2 (extended CONNECT) becomes an HTTP/1.1 Upgrade GET upstream.
            Method = tunnel == TunnelKind.Http2WebSocket ? HttpMethod.Get : HttpMethod.Parse(request.Method),
            RequestUri = BuildTarget(endpoint, request, path),
        };

        SetVersion(message, protocol, endpoint, tunnel);

        streamContent = null;
        HttpContent? content = null;
        if (tunnel == TunnelKind.None)
        {
            if (context.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody ?? request.ContentLength > 0)
            {
                content = streamContent = new StreamCopyHttpContent(request.Body, request.ContentLength, cancellation);
            }
            else if (request.ContentLength == 0)
            {
                // Keep an explicit "Content-Length: 0" (a POST with an empty body) visible upstream.
                content = new ByteArrayContent([]);
            }
        }

        message.Content = content;
        CopyRequestHeaders(request.Headers, message, content, tunnel, options.TrustedProxyHops);
        ForwardedHeaders.Apply(context, feature, message, options);
        if (feature?.Route is { } route)
        {
            // Rule and destination header operations and the authority rewrite; X-Forwarded-Host keeps the client's.
            ForwardingActions.ApplyToRequest(message, route, feature.Destination);
        }

        if (tunnel == TunnelKind.Http2WebSocket)
        {
            message.Headers.TryAddWithoutValidation(HeaderNames.Connection, "Upgrade");
            message.Headers.TryAddWithoutValidation(HeaderNames.Upgrade, "websocket");
            message.Headers.TryAddWithoutValidation(HeaderNames.SecWebSocketKey, CreateWebSocketKey());
        }

        return message;
    }

    private static Uri BuildTarget(UpstreamEndpoint endpoint, HttpRequest request, PathString path)
    {
        var target = request.PathBase.Add(path).ToUriComponent();
        if (target.Length == 0)
        {
            target = "/";
        }

        return endpoint.TargetUri(target, request.QueryString.Value);
    }

    private static void SetVersion(HttpRequestMessage message, UpstreamProtocol protocol, UpstreamEndpoint endpoint, TunnelKind tunnel)
    {
        if (tunnel != TunnelKind.None)
        {
            // WebSockets are tunnelled over an HTTP/1.1 Upgrade to the upstream.
            message.Version = HttpVersion.Version11;
            message.VersionPolicy = HttpVersionPolicy.RequestVersionExact;
            return;
        }

        switch (protocol)
        {
            case UpstreamProtocol.Http2:
                // Exact: h2c with prior knowledge on http://, h2 by ALPN on https://, never a silent downgrade.
                message.Version = HttpVersion.Version20;
                message.VersionPolicy = HttpVersionPolicy.RequestVersionExact;
                break;
            case UpstreamProtocol.Auto when endpoint.IsTls:
                message.Version = HttpVersion.Version20;
                message.VersionPolicy = HttpVersionPolicy.RequestVersionOrLower;
                break;
            default:
                message.Version = HttpVersion.Version11;
                message.VersionPolicy = HttpVersionPolicy.RequestVersionExact;
                break;
        }
    }

    private static void CopyRequestHeaders(IHeaderDictionary headers, HttpRequestMessage message, HttpContent? content, TunnelKind tunnel, int trustedProxyHops)
    {
        var connection = headers.Connection;
        var hasConnection = !StringValues.IsNullOrEmpty(connection);
        foreach (var header in headers)
        {
            var name = header.Key;
            if (name.Length == 0 || name[0] == ':')
            {
                continue;
            }

            if (HopByHopHeaders.IsHopByHop(name))
            {
                if (tunnel == TunnelKind.Http1Upgrade
                    && (string.Equals(name, HeaderNames.Upgrade, StringComparison.OrdinalIgnoreCase)
                        || string.Equals(name, HeaderNames.Connection, StringComparison.OrdinalIgnoreCase)))
                {
                    // Inside a tunnel the Upgrade handshake is the message itself.
                    AddHeader(message, null, name, header.Value);
                }
                else if (string.Equals(name, HeaderNames.TE, StringComparison.OrdinalIgnoreCase)
                    && HopByHopHeaders.IsNamedInConnection(header.Value, "trailers"))
                {
                    // "TE: trailers" is the one TE value that is end to end (gRPC requires it).
                    message.Headers.TryAddWithoutValidation(HeaderNames.TE, "trailers");
                }

                continue;
            }

            if (hasConnection && HopByHopHeaders.IsNamedInConnection(connection, name))
            {
                continue;
            }

            if (string.Equals(name, HeaderNames.Host, StringComparison.OrdinalIgnoreCase)
                || string.Equals(name, HeaderNames.ContentLength, StringComparison.OrdinalIgnoreCase)
                // Kestrel answers "100 Continue" itself when the body is first read.
                || string.Equals(name, HeaderNames.Expect, StringComparison.OrdinalIgnoreCase)
                || ForwardedHeaders.IsOwned(name, trustedProxyHops)
                || IsEdgeSanitized(name))
            {
                continue;
            }

            AddHeader(message, content, name, header.Value);
        }

        // The Host (or :authority) the client sent goes upstream unchanged unless a rewrite says otherwise.
        var host = headers.Host;
        if (!StringValues.IsNullOrEmpty(host))
        {
            try
            {
                // Parsed once here: added unvalidated, the handler would parse it again while writing the request
                // (one more allocation per request).
                message.Headers.Host = host.ToString();
            }
            catch (FormatException)
            {
                // Kestrel admits hosts HttpClient's parser refuses ("a.example.com.."): forwarded as sent, the upstream
                // decides; never a 500.
                message.Headers.TryAddWithoutValidation(HeaderNames.Host, host.ToString());
            }
        }
    }

    /// <summary>
    /// Headers an edge Envoy removes from external requests so nothing behind the gateway (sidecars,
    /// services) trusts a client's claim of internal status, retry policy or client certificate.
    /// </summary>
    private static bool IsEdgeSanitized(string name)
        => name.StartsWith("x-envoy-", StringComparison.OrdinalIgnoreCase)
            || string.Equals(name, "x-forwarded-client-cert", StringComparison.OrdinalIgnoreCase);

    private static void AddHeader(HttpRequestMessage message, HttpContent? content, string name, StringValues values)
    {
        if (values.Count == 1)
        {
            var value = values[0]!;
            if (!message.Headers.TryAddWithoutValidation(name, value))
            {
                content?.Headers.TryAddWithoutValidation(name, value);
            }
        }
        else if (!message.Headers.TryAddWithoutValidation(name, (IEnumerable<string>)values.ToArray()!))
        {
            content?.Headers.TryAddWithoutValidation(name, (IEnumerable<string>)values.ToArray()!);
        }
    }

    private static string CreateWebSocketKey()
    {
        Span<byte> key = stackalloc byte[16];
        System.Security.Cryptography.RandomNumberGenerator.Fill(key);
        return Convert.ToBase64String(key);
    }
}
