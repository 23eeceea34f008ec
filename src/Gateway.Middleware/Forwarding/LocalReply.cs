using System.Text;
using Microsoft.AspNetCore.Http;

namespace Gateway.Middleware.Forwarding;

/// <summary>
/// Answers the gateway writes itself (Envoy's "local replies"): plain text for HTTP, and for gRPC requests a
/// trailers-only response with <c>grpc-status</c> mapped from the HTTP status as Envoy maps it, so gRPC
/// clients see UNAVAILABLE rather than a transport error.
/// </summary>
internal static class LocalReply
{
    public static Task WriteAsync(HttpContext context, int statusCode, string text)
    {
        var response = context.Response;
        if (IsGrpc(context.Request))
        {
            response.StatusCode = StatusCodes.Status200OK;
            response.ContentType = "application/grpc";
            response.Headers["grpc-status"] = GrpcStatusFor(statusCode);
            if (text.Length > 0)
            {
                response.Headers["grpc-message"] = Uri.EscapeDataString(text);
            }

            response.ContentLength = 0;
            return Task.CompletedTask;
        }

        response.StatusCode = statusCode;
        if (text.Length == 0)
        {
            return Task.CompletedTask;
        }

        response.ContentType = "text/plain";
        var bytes = Encoding.UTF8.GetBytes(text);
        response.ContentLength = bytes.Length;
        return response.Body.WriteAsync(bytes, 0, bytes.Length);
    }

    public static bool IsGrpc(HttpRequest request)
        => request.ContentType is { } contentType
            && contentType.StartsWith("application/grpc", StringComparison.OrdinalIgnoreCase)
            && (HttpProtocol.IsHttp2(request.Protocol) || HttpProtocol.IsHttp3(request.Protocol));

    // Envoy's Grpc::Utility::httpToGrpcStatus.
    private static string GrpcStatusFor(int statusCode) => statusCode switch
    {
        400 => "13", // INTERNAL
        401 => "16", // UNAUTHENTICATED
        403 => "7", // PERMISSION_DENIED
        404 => "12", // UNIMPLEMENTED
        429 or 502 or 503 or 504 => "14", // UNAVAILABLE
        _ => "2", // UNKNOWN
    };
}
