using System.Buffers;
using System.Net.Http.Headers;
using Gateway.Middleware.Features;
using Gateway.Middleware.Upstreams;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

namespace Gateway.Middleware.Forwarding;

internal sealed partial class ForwarderMiddleware
{
    private const int ResponseBufferSize = 64 * 1024;

    private async Task CopyResponseAsync(
        HttpContext context,
        GatewayFeature feature,
        UpstreamEndpoint endpoint,
        HttpResponseMessage upstream,
        string? setCookie,
        CancellationTokenSource? timeoutSource,
        CancellationToken cancellation)
    {
        var response = context.Response;
        response.StatusCode = (int)upstream.StatusCode;
        CopyResponseHeaders(upstream, response.Headers, keepUpgrade: false);
        if (feature.Route is { } route)
        {
            // Destination then rule response header operations (Envoy), before the headers leave.
            Routing.Actions.ForwardingActions.ApplyToResponse(response.Headers, route.Action, feature.Destination);
        }

        if (setCookie is not null)
        {
            // The consistent-hash cookie the gateway generated, beside any the upstream set (Envoy's router).
            response.Headers.Append(HeaderNames.SetCookie, setCookie);
        }

        // Stream as received: nothing may sit in a buffer between upstream and client.
        context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();

        var buffer = ArrayPool<byte>.Shared.Rent(ResponseBufferSize);
        try
        {
            // The handler's response content has its stream at hand: the synchronous call returns it without the
            // Task<Stream> that ReadAsStreamAsync allocates.
            var source = upstream.Content.ReadAsStream(cancellation);
            var first = true;
            while (true)
            {
                int read;
                try
                {
                    var pending = source.ReadAsync(buffer.AsMemory(), cancellation);
                    if (first && !pending.IsCompleted)
                    {
                        // The body is not there yet: send the headers now, as Envoy does, instead of holding
                        // them until the first byte (server-sent events, long polls). When the body is already
                        // buffered, headers and body leave together.
                        first = false;
                        await response.Body.FlushAsync(cancellation);
                    }

                    first = false;
                    read = await pending;
                }
                catch (Exception ex)
                {
                    var error = context.RequestAborted.IsCancellationRequested ? GatewayForwarderError.ClientAborted
                        : timeoutSource?.IsCancellationRequested == true ? GatewayForwarderError.RouteTimeout
                        : GatewayForwarderError.ResponseBodyUpstream;
                    AbortAfterHeaders(context, feature, endpoint, error, ex);
                    return;
                }

                if (read == 0)
                {
                    break;
                }

                try
                {
                    await response.Body.WriteAsync(buffer.AsMemory(0, read), cancellation);
                }
                catch (Exception ex)
                {
                    AbortAfterHeaders(context, feature, endpoint, GatewayForwarderError.ResponseBodyClient, ex);
                    return;
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        CopyTrailers(context, upstream);
    }

    private void AbortAfterHeaders(HttpContext context, GatewayFeature feature, UpstreamEndpoint endpoint, GatewayForwarderError error, Exception exception)
    {
        feature.Error = error;
        feature.Exception = exception;
        context.Features.Set<IGatewayForwarderErrorFeature>(feature);
        ForwarderLog.AbortedAfterHeaders(_logger, endpoint.Prefix, error, exception);

        // A broken upstream body must never look like a complete response: reset the client's stream
        // (HTTP/2 RST_STREAM, HTTP/1.1 connection close without the final chunk).
        context.Abort();
    }

    private static void CopyTrailers(HttpContext context, HttpResponseMessage upstream)
    {
        // Only a client that can receive trailers (HTTP/2, HTTP/3) is worth asking for them: reading
        // TrailingHeaders creates the collection, an allocation per HTTP/1.1 request otherwise.
        if (context.Features.Get<IHttpResponseTrailersFeature>()?.Trailers is not { IsReadOnly: false } target)
        {
            return;
        }

        var trailers = upstream.TrailingHeaders;
        if (trailers.NonValidated.Count == 0)
        {
            return;
        }

        foreach (var header in trailers.NonValidated)
        {
            if (!HopByHopHeaders.IsHopByHop(header.Key))
            {
                target[header.Key] = ToStringValues(header.Value);
            }
        }
    }

    private static void CopyResponseHeaders(HttpResponseMessage upstream, IHeaderDictionary target, bool keepUpgrade)
    {
        upstream.Headers.NonValidated.TryGetValues(HeaderNames.Connection, out var connectionValues);
        var connection = ToStringValues(connectionValues);
        CopyHeaders(upstream.Headers.NonValidated, target, connection, keepUpgrade);
        CopyHeaders(upstream.Content.Headers.NonValidated, target, connection, keepUpgrade);
    }

    private static void CopyHeaders(HttpHeadersNonValidated source, IHeaderDictionary target, StringValues connection, bool keepUpgrade)
    {
        var hasConnection = !StringValues.IsNullOrEmpty(connection);
        foreach (var header in source)
        {
            var name = header.Key;
            if (HopByHopHeaders.IsHopByHop(name))
            {
                if (!(keepUpgrade
                    && (string.Equals(name, HeaderNames.Upgrade, StringComparison.OrdinalIgnoreCase)
                        || string.Equals(name, HeaderNames.Connection, StringComparison.OrdinalIgnoreCase))))
                {
                    continue;
                }
            }
            else if (hasConnection && HopByHopHeaders.IsNamedInConnection(connection, name))
            {
                continue;
            }

            target[name] = ToStringValues(header.Value);
        }
    }

    private static StringValues ToStringValues(HeaderStringValues values)
    {
        if (values.Count <= 1)
        {
            return values.Count == 0 ? StringValues.Empty : new StringValues(values.ToString());
        }

        var array = new string[values.Count];
        var i = 0;
        foreach (var value in values)
        {
            array[i++] = value;
        }

        return new StringValues(array);
    }
}
