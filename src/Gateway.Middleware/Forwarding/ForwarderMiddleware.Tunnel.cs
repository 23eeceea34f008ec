using System.Buffers;
using Gateway.Middleware.Features;
using Gateway.Middleware.Upstreams;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Net.Http.Headers;

namespace Gateway.Middleware.Forwarding;

internal sealed partial class ForwarderMiddleware
{
    private const int TunnelBufferSize = 16 * 1024;

    /// <summary>
    /// The upstream accepted the upgrade (101): hand the client a tunnel — a 101 for HTTP/1.1, a 200 for an
    /// HTTP/2 extended CONNECT (RFC 8441 §5) — and copy bytes both ways until either side closes.
    /// </summary>
    private async Task TunnelAsync(HttpContext context, GatewayFeature feature, UpstreamEndpoint endpoint, HttpResponseMessage upstream, TunnelKind tunnel)
    {
        var response = context.Response;
        Stream upstreamStream;
        Stream clientStream;
        try
        {
            upstreamStream = await upstream.Content.ReadAsStreamAsync(context.RequestAborted);
            if (tunnel == TunnelKind.Http1Upgrade)
            {
                response.StatusCode = StatusCodes.Status101SwitchingProtocols;
                CopyResponseHeaders(upstream, response.Headers, keepUpgrade: true);
                clientStream = await context.Features.Get<IHttpUpgradeFeature>()!.UpgradeAsync();
            }
            else
            {
                CopyResponseHeaders(upstream, response.Headers, keepUpgrade: false);
                // The accept key answers the key the gateway made up; it means nothing to an HTTP/2 client.
                response.Headers.Remove(HeaderNames.SecWebSocketAccept);
                clientStream = await context.Features.Get<IHttpExtendedConnectFeature>()!.AcceptAsync();
            }
        }
        catch (Exception ex)
        {
            if (!response.HasStarted)
            {
                // The 101's Upgrade/Connection/Sec-WebSocket-Accept were copied already; the 503 must not carry them.
                response.Headers.Clear();
            }

            await WriteErrorAsync(context, feature, GatewayForwarderError.UpgradeFailure, ex);
            return;
        }

        await using (upstreamStream)
        using (var stop = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted))
        {
            var toUpstream = PumpAsync(clientStream, upstreamStream, stop.Token);
            var toClient = PumpAsync(upstreamStream, clientStream, stop.Token);
            var first = await Task.WhenAny(toUpstream, toClient);

            // One side closed: the tunnel is over; stop the other direction too.
            await stop.CancelAsync();
            await Task.WhenAll(toUpstream, toClient);
            if (!first.Result)
            {
                feature.Error = GatewayForwarderError.UpgradeFailure;
                context.Features.Set<IGatewayForwarderErrorFeature>(feature);
                ForwarderLog.AbortedAfterHeaders(_logger, endpoint.Prefix, GatewayForwarderError.UpgradeFailure, null);
                context.Abort();
            }
        }
    }

    /// <summary>Copies until the source ends; returns false if the copy broke instead of ending cleanly.</summary>
    private static async Task<bool> PumpAsync(Stream source, Stream destination, CancellationToken cancellation)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(TunnelBufferSize);
        try
        {
            while (true)
            {
                var read = await source.ReadAsync(buffer.AsMemory(), cancellation);
                if (read == 0)
                {
                    return true;
                }

                await destination.WriteAsync(buffer.AsMemory(0, read), cancellation);
                await destination.FlushAsync(cancellation);
            }
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            // Stopped on purpose: the other direction ended, or the client went away.
            return true;
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or System.Net.Http.HttpRequestException or OperationCanceledException)
        {
            // OperationCanceledException covers Kestrel's ConnectionAbortedException, which a read can throw
            // before RequestAborted fires (Kestrel signals that token from the thread pool). Escaping here
            // would fault Task.WhenAll and surface as an unhandled application exception.
            return false;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
