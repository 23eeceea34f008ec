using Gateway.Middleware.FunctionalTests.Infrastructure;
using Microsoft.AspNetCore.Http;

namespace Gateway.Middleware.FunctionalTests.Authentication;

/// <summary>A real JWKS endpoint on Kestrel: serves whatever document the test sets, or fails, or never answers.</summary>
public sealed class JwksEndpoint : IAsyncDisposable
{
    private readonly TestUpstream _upstream;
    private int _requests;

    private JwksEndpoint(TestUpstream upstream)
    {
        _upstream = upstream;
    }

    public string Uri => _upstream.Address + "/jwks.json";

    private volatile string _json = "{\"keys\":[]}";
    private volatile bool _fail;
    private volatile bool _hang;

    public string Json { get => _json; set => _json = value; }

    public bool Fail { get => _fail; set => _fail = value; }

    public bool Hang { get => _hang; set => _hang = value; }

    public int Requests => Volatile.Read(ref _requests);

    public static async Task<JwksEndpoint> StartAsync(string json)
    {
        JwksEndpoint? endpoint = null;
        var upstream = await TestUpstream.StartAsync(async context =>
        {
            Interlocked.Increment(ref endpoint!._requests);
            if (endpoint.Hang)
            {
                await Task.Delay(Timeout.Infinite, context.RequestAborted);
            }

            if (endpoint.Fail)
            {
                context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                return;
            }

            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(endpoint.Json);
        });
        endpoint = new JwksEndpoint(upstream) { Json = json };
        return endpoint;
    }

    public ValueTask DisposeAsync() => _upstream.DisposeAsync();
}
