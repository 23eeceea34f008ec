using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Gateway.Middleware.Testing;

public sealed partial class TestJwtIssuer
{
    private WebApplication? _endpoint;
    private int _jwksRequests;

    /// <summary>The JWKS URL once <see cref="StartJwksEndpointAsync"/> ran; <see langword="null"/> before.</summary>
    public string? JwksUri { get; private set; }

    /// <summary>How many times the JWKS endpoint was fetched.</summary>
    public int JwksRequests => Volatile.Read(ref _jwksRequests);

    /// <summary>
    /// Serves <see cref="Jwks"/> at <c>http://127.0.0.1:port/.well-known/jwks.json</c> on real Kestrel (plain HTTP,
    /// as the gateway fetches a <c>jwksUri</c> it is given) and returns that URL. Calling it again returns the same URL.
    /// </summary>
    /// <returns>The JWKS URL.</returns>
    public async Task<string> StartJwksEndpointAsync()
    {
        if (JwksUri is { } started)
        {
            return started;
        }

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        app.MapGet("/.well-known/jwks.json", (HttpContext context) =>
        {
            Interlocked.Increment(ref _jwksRequests);
            context.Response.ContentType = "application/json";
            return context.Response.WriteAsync(Jwks, context.RequestAborted);
        });
        await app.StartAsync().ConfigureAwait(false);
        _endpoint = app;
        JwksUri = app.Urls.First() + "/.well-known/jwks.json";
        return JwksUri;
    }

    /// <summary>Stops the JWKS endpoint, if started, and disposes the key.</summary>
    /// <returns>A task that completes when it has stopped.</returns>
    public async ValueTask DisposeAsync()
    {
        if (_endpoint is { } endpoint)
        {
            await endpoint.StopAsync().ConfigureAwait(false);
            await endpoint.DisposeAsync().ConfigureAwait(false);
        }

        _key.Dispose();
    }
}
