using System.Buffers;
using Gateway.Middleware.Configuration;
using Gateway.Middleware.Features;
using Gateway.Middleware.Forwarding;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace Gateway.Middleware.Authorization;

/// <summary>
/// Normalizes the request path before routing and authorization (DESIGN.md "Security defaults", Istio
/// <c>meshConfig.pathNormalization</c>), so the path that is routed and authorized is the path that is
/// forwarded. <c>%00</c>, an invalid escape, a raw control character in the target or a plain
/// <c>CONNECT</c> → 400 with an empty body.
/// </summary>
internal sealed class PathNormalizationMiddleware
{
    private static readonly SearchValues<char> ControlCharacters = SearchValues.Create(
        "\u0000\u0001\u0002\u0003\u0004\u0005\u0006\u0007\u0008\u0009\u000A\u000B\u000C\u000D\u000E\u000F"
        + "\u0010\u0011\u0012\u0013\u0014\u0015\u0016\u0017\u0018\u0019\u001A\u001B\u001C\u001D\u001E\u001F\u007F");

    private readonly RequestDelegate _next;
    private readonly GatewayConfigProvider _config;
    private readonly PathNormalization _mode;

    public PathNormalizationMiddleware(RequestDelegate next, GatewayConfigProvider config, IOptions<GatewayPathOptions> options)
    {
        _next = next;
        _config = config;
        _mode = options.Value.Normalization;
    }

    public Task InvokeAsync(HttpContext context)
    {
        var feature = GatewayFeature.GetOrCreate(context, _config);
        return Apply(context, feature, _mode) ? _next(context) : RejectAsync(context);
    }

    /// <summary>Answers a request whose path could not be normalized.</summary>
    public static Task RejectAsync(HttpContext context) => LocalReply.WriteAsync(context, StatusCodes.Status400BadRequest, "");

    /// <summary>
    /// Normalizes the path from the raw target and sets <c>HttpRequest.Path</c> (and the query, when the
    /// client sent a fragment) to the result. Returns false when the request must be answered 400.
    /// Runs once per request: routing calls it when this stage is not in the pipeline.
    /// </summary>
    public static bool Apply(HttpContext context, GatewayFeature feature, PathNormalization mode)
    {
        if (feature.PathNormalized)
        {
            return true;
        }

        feature.PathNormalized = true;

        // Kestrel has already decoded escapes and removed dot-segments from Request.Path; only the raw
        // target tells %2F from '/', '\' from %5C, and whether "//" or "%2e%2e" were sent.
        var raw = context.Features.Get<IHttpRequestFeature>()?.RawTarget;
        if (string.IsNullOrEmpty(raw))
        {
            return true;
        }

        if (raw.AsSpan().ContainsAny(ControlCharacters))
        {
            // Kestrel accepts a raw CR, TAB or other control character in the request-target; RFC 9112 §3.2 does
            // not (Envoy answers 400). Forwarded it would be re-encoded (%0D), but a proxy in front could have read
            // the request line differently: refuse it like %00.
            return false;
        }

        if (!TryGetPath(raw, out var pathStart))
        {
            // A plain CONNECT (authority-form) asks for a TCP tunnel to an address the client names; the gateway
            // forwards requests to configured upstreams only (Istio VirtualServices have no CONNECT routes), and
            // Kestrel would otherwise hand it the rest of the connection as a body. WebSockets over HTTP/2
            // (extended CONNECT, :protocol) carry a path and are not affected.
            if (!HttpMethods.IsConnect(context.Request.Method))
            {
                return true;
            }

            if (HttpProtocol.IsHttp11(context.Request.Protocol))
            {
                // What follows a refused CONNECT on the connection is not a request.
                context.Response.Headers.Connection = "close";
            }

            return false;
        }

        var target = raw.AsSpan(pathStart);
        var end = target.IndexOfAny('?', '#');
        var path = end < 0 ? target : target[..end];

        // Kestrel keeps a fragment in Path (and resolves dot-segments across it): rebuild Path from the raw
        // path even when that is already normal.
        var fragment = end >= 0 && DropFragment(context.Request, target[end..]);
        switch (PathNormalizer.Normalize(path, mode, out var normalized, always: fragment))
        {
            case PathNormalizationResult.Invalid:
                return false;
            case PathNormalizationResult.Normalized:
                SetPath(context.Request, normalized!);
                break;
        }

        return true;
    }

    // Origin form ("/p?q"), or absolute form ("http://host/p?q", RFC 9112 §3.2.2) whose path follows the
    // authority; "*" and authority form (CONNECT) carry no path.
    private static bool TryGetPath(string raw, out int pathStart)
    {
        pathStart = 0;
        if (raw[0] == '/')
        {
            return true;
        }

        var scheme = raw.IndexOf("://", StringComparison.Ordinal);
        if (scheme <= 0)
        {
            return false;
        }

        var slash = raw.AsSpan(scheme + 3).IndexOfAny('/', '?', '#');
        if (slash < 0 || raw[scheme + 3 + slash] != '/')
        {
            return false;
        }

        pathStart = scheme + 3 + slash;
        return true;
    }

    // A fragment is never part of the target a server acts on (RFC 9110 §7.1); Kestrel would keep one
    // sent after the query in QueryString, and one sent before a '?' would otherwise leave a query behind.
    private static bool DropFragment(HttpRequest request, ReadOnlySpan<char> rest)
    {
        var hash = rest.IndexOf('#');
        if (hash < 0)
        {
            return false;
        }

        request.QueryString = hash == 0 ? QueryString.Empty : new QueryString(rest[..hash].ToString());
        return hash == 0;
    }

    private static void SetPath(HttpRequest request, string normalized)
    {
        var pathBase = request.PathBase.Value;
        if (!string.IsNullOrEmpty(pathBase))
        {
            if (normalized.StartsWith(pathBase, StringComparison.OrdinalIgnoreCase)
                && (normalized.Length == pathBase.Length || normalized[pathBase.Length] == '/'))
            {
                request.Path = new PathString(normalized[pathBase.Length..]);
                return;
            }

            // The normalized path is no longer under the base: route and forward the whole of it.
            request.PathBase = PathString.Empty;
        }

        if (!string.Equals(request.Path.Value, normalized, StringComparison.Ordinal))
        {
            request.Path = new PathString(normalized);
        }
    }
}
