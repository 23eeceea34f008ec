using System.Net;
using Gateway.Middleware.Builder;
using Gateway.Middleware.Features;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Middleware.Tests.Routing;

/// <summary>
/// A gateway in TestServer that stops after routing and answers <c>route|upstream</c> instead of forwarding,
/// so a test sees the routing decision a user would get. The upstreams are never contacted.
/// </summary>
public sealed class RoutingTestHost : IAsyncDisposable
{
    /// <summary>Request header a test sets to pretend the request arrived on this local port (TestServer reports 0).</summary>
    public const string LocalPortHeader = "x-test-local-port";

    private readonly WebApplication _app;

    private RoutingTestHost(WebApplication app)
    {
        _app = app;
        Server = app.GetTestServer();
    }

    public TestServer Server { get; }

    /// <summary>Starts a gateway; upstreams named in <paramref name="upstreams"/> are declared for the routes to use.</summary>
    public static async Task<RoutingTestHost> StartAsync(Action<IGatewayBuilder> configure, params string[] upstreams)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        var gateway = builder.Services.AddGateway().AddUpstream("up", u => u.Endpoint("http://127.0.0.1:1"));
        foreach (var upstream in upstreams)
        {
            gateway.AddUpstream(upstream, u => u.Endpoint("http://127.0.0.1:1"));
        }

        configure(gateway);
        var app = builder.Build();
        app.Use((context, next) =>
        {
            if (context.Request.Headers.TryGetValue(LocalPortHeader, out var port))
            {
                context.Connection.LocalPort = int.Parse(port.ToString(), System.Globalization.CultureInfo.InvariantCulture);
            }

            return next(context);
        });
        app.UseGatewayHostMatching();
        app.UseGatewayRouting();
        app.Run(context =>
        {
            var feature = context.Features.Get<IGatewayFeature>()!;
            return context.Response.WriteAsync($"{feature.RouteName}|{feature.UpstreamName}");
        });
        await app.StartAsync();
        return new RoutingTestHost(app);
    }

    /// <summary>Sends a request; <paramref name="headers"/> entries with the same name are sent as separate header lines.</summary>
    public async Task<RoutingResult> SendAsync(
        string pathAndQuery,
        string method = "GET",
        string host = "example.com",
        string scheme = "http",
        params (string Name, string Value)[] headers)
    {
        using var client = Server.CreateClient();
        client.BaseAddress = new Uri($"{scheme}://localhost/");
        using var request = new HttpRequestMessage(new HttpMethod(method), pathAndQuery);
        request.Headers.TryAddWithoutValidation("Host", host);
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        using var response = await client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != HttpStatusCode.OK)
        {
            return new RoutingResult(response.StatusCode, null, null);
        }

        var bar = body.IndexOf('|', StringComparison.Ordinal);
        return new RoutingResult(response.StatusCode, body[..bar], body[(bar + 1)..]);
    }

    /// <summary>The name of the route the request selected, or "404" when none did.</summary>
    public async Task<string> RouteAsync(string pathAndQuery, string method = "GET", string host = "example.com", params (string Name, string Value)[] headers)
    {
        var result = await SendAsync(pathAndQuery, method, host, "http", headers);
        return result.Route ?? ((int)result.Status).ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// Sends a request built directly on the server's <see cref="HttpContext"/>, for what HttpClient cannot
    /// send (a header with an empty value); returns the route name, or the status code when none matched.
    /// </summary>
    public async Task<string> RouteAsync(Action<HttpContext> configure)
    {
        var context = await Server.SendAsync(configure);
        if (context.Response.StatusCode != StatusCodes.Status200OK)
        {
            return context.Response.StatusCode.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        using var reader = new StreamReader(context.Response.Body);
        var body = await reader.ReadToEndAsync();
        return body[..body.IndexOf('|', StringComparison.Ordinal)];
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
