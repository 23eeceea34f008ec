using System.Net;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Gateway.Middleware.LoadTests.Apps;

/// <summary>
/// The upstream every proxy forwards to: Kestrel answering every request with 200 and a 13-byte body, on an
/// HTTP/1.1 port and an h2c (HTTP/2 prior knowledge) port.
/// </summary>
internal static class UpstreamApp
{
    /// <summary>The response body (also what nginx's <c>return 200</c> sends).</summary>
    public const string BodyText = "Hello, world\n";

    private static readonly byte[] Body = "Hello, world\n"u8.ToArray();

    public static async Task<int> RunAsync(AppArgs args)
    {
        var port = args.Port("port");
        var h2Port = args.OptionalPort("h2-port");
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(IPAddress.Loopback, port, listen => listen.Protocols = HttpProtocols.Http1);
            if (h2Port is { } h2)
            {
                kestrel.Listen(IPAddress.Loopback, h2, listen => listen.Protocols = HttpProtocols.Http2);
            }
        });

        var app = builder.Build();
        app.Run(static context =>
        {
            if (context.Request.ContentType?.StartsWith("application/grpc", StringComparison.Ordinal) == true)
            {
                return GrpcUnaryAsync(context);
            }

            var response = context.Response;
            response.StatusCode = 200;
            response.ContentType = "text/plain";
            response.ContentLength = Body.Length;
            return response.Body.WriteAsync(Body).AsTask();
        });
        await app.RunAsync().ConfigureAwait(false);
        return 0;
    }

    /// <summary>
    /// A gRPC unary answer without a gRPC stack: the request message is read and dropped, the response is one
    /// length-prefixed message (<see cref="GrpcResponse"/>) and the <c>grpc-status: 0</c> trailer.
    /// </summary>
    private static async Task GrpcUnaryAsync(HttpContext context)
    {
        await context.Request.Body.CopyToAsync(Stream.Null).ConfigureAwait(false);
        var response = context.Response;
        response.StatusCode = 200;
        response.ContentType = "application/grpc";
        await response.Body.WriteAsync(GrpcResponse).ConfigureAwait(false);
        response.AppendTrailer("grpc-status", "0");
    }

    /// <summary>A gRPC frame: not compressed, 13-byte message (field 1, a 11-byte string).</summary>
    public static readonly byte[] GrpcResponse = [0, 0, 0, 0, 13, 0x0A, 11, .. "hello world"u8.ToArray()];
}
