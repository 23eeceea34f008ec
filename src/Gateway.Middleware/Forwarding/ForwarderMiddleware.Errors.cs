using System.Net.Http;
using System.Net.Sockets;
using System.Security.Authentication;
using Gateway.Middleware.Features;
using Gateway.Middleware.Upstreams.Tls;
using Microsoft.AspNetCore.Http;

namespace Gateway.Middleware.Forwarding;

internal sealed partial class ForwarderMiddleware
{
    // Envoy's local reply texts, so clients and runbooks written for Istio keep working.
    private const string NoHealthyUpstreamText = "no healthy upstream";
    private const string ResetBeforeHeadersText = "upstream connect error or disconnect/reset before headers. reset reason: ";
    private const string UpstreamTimeoutText = "upstream request timeout";

    // HTTP/2 REFUSED_STREAM (RFC 9113 §7).
    private const long RefusedStreamErrorCode = 0x7;

    private static GatewayForwarderError ClassifySendFailure(Exception exception, HttpContext context, CancellationTokenSource? timeoutSource, StreamCopyHttpContent? content)
    {
        if (context.RequestAborted.IsCancellationRequested)
        {
            return GatewayForwarderError.ClientAborted;
        }

        // The timeout first: it also cancels the read of the client's body, which then looks like a body error.
        if (timeoutSource?.IsCancellationRequested == true)
        {
            return GatewayForwarderError.RouteTimeout;
        }

        if (content?.SourceError is not null)
        {
            return GatewayForwarderError.RequestBodyClient;
        }

        if (content?.DestinationError is not null)
        {
            return GatewayForwarderError.RequestBodyUpstream;
        }

        // The handshake runs in the handler's ConnectCallback, whose failures surface as ConnectionError: the
        // AuthenticationException inside says it was TLS.
        if (Find<AuthenticationException>(exception) is not null)
        {
            return GatewayForwarderError.TlsFailure;
        }

        return exception switch
        {
            HttpRequestException { HttpRequestError: HttpRequestError.SecureConnectionError } => GatewayForwarderError.TlsFailure,
            HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError } => GatewayForwarderError.ConnectionFailure,
            // The handler's own connect timeout surfaces as a cancellation we did not ask for.
            OperationCanceledException => GatewayForwarderError.ConnectionFailure,
            _ => GatewayForwarderError.UpstreamReset,
        };
    }

    private static Task WriteErrorAsync(HttpContext context, GatewayFeature feature, GatewayForwarderError error, Exception? exception)
    {
        feature.Error = error;
        feature.Exception = exception;
        context.Features.Set<IGatewayForwarderErrorFeature>(feature);

        if (context.Response.HasStarted)
        {
            context.Abort();
            return Task.CompletedTask;
        }

        switch (error)
        {
            case GatewayForwarderError.ClientAborted:
                // Nobody is listening; Envoy logs these as 0/DC.
                return Task.CompletedTask;
            case GatewayForwarderError.RequestBodyClient:
                return LocalReply.WriteAsync(context, FindBadRequestStatus(exception) ?? StatusCodes.Status400BadRequest, "");
            case GatewayForwarderError.RouteTimeout:
                return LocalReply.WriteAsync(context, StatusCodes.Status504GatewayTimeout, UpstreamTimeoutText);
            case GatewayForwarderError.NoHealthyUpstream:
                return LocalReply.WriteAsync(context, StatusCodes.Status503ServiceUnavailable, NoHealthyUpstreamText);
            default:
                return LocalReply.WriteAsync(context, StatusCodes.Status503ServiceUnavailable, ResetBeforeHeadersText + DescribeReset(error, exception));
        }
    }

    /// <summary>The "reset reason" part of Envoy's text, with the transport detail where there is one.</summary>
    private static string DescribeReset(GatewayForwarderError error, Exception? exception)
    {
        switch (error)
        {
            case GatewayForwarderError.ConnectionFailure:
                var socket = Find<SocketException>(exception);
                return socket is null
                    ? "connection failure"
                    : "connection failure, transport failure reason: delayed connect error: " + socket.SocketErrorCode;
            case GatewayForwarderError.Overflow: return "overflow";
            case GatewayForwarderError.TlsFailure:
                var tls = Find<UpstreamTlsException>(exception)?.Reason
                    ?? Find<AuthenticationException>(exception)?.Message ?? exception?.InnerException?.Message ?? exception?.Message;
                return "connection failure, transport failure reason: TLS error: " + tls;
            default:
                if (Find<HttpProtocolException>(exception) is { } protocol)
                {
                    return protocol.ErrorCode == RefusedStreamErrorCode ? "remote refused stream reset" : "remote reset";
                }

                return "connection termination";
        }
    }

    /// <summary>Whether the upstream refused the HTTP/2 stream unprocessed (Envoy's <c>refused-stream</c> retry condition).</summary>
    private static bool IsRefusedStream(Exception exception)
        => Find<HttpProtocolException>(exception)?.ErrorCode == RefusedStreamErrorCode;

    /// <summary>
    /// Waits out a retry's backoff on the injected clock. False when the client left or the route timeout
    /// elapsed meanwhile; the answer has then been written.
    /// </summary>
    private async ValueTask<bool> WaitBeforeRetryAsync(HttpContext context, GatewayFeature feature, TimeSpan backoff, CancellationToken cancellation)
    {
        try
        {
            await Task.Delay(backoff, _timeProvider, cancellation);
            return true;
        }
        catch (OperationCanceledException ex)
        {
            var error = context.RequestAborted.IsCancellationRequested ? GatewayForwarderError.ClientAborted : GatewayForwarderError.RouteTimeout;
            await WriteErrorAsync(context, feature, error, ex);
            return false;
        }
    }

    private static int? FindBadRequestStatus(Exception? exception)
        => Find<BadHttpRequestException>(exception)?.StatusCode;

    private static T? Find<T>(Exception? exception)
        where T : Exception
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is T match)
            {
                return match;
            }
        }

        return null;
    }
}
