using System.Globalization;
using System.Net;
using Gateway.Middleware.Builder;
using Gateway.Middleware.Features;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Middleware.Tests.Configuration.AppSettings;

/// <summary>
/// A gateway in TestServer loaded with <c>LoadFromConfig</c> that stops after routing and answers
/// <c>route|upstream|subset</c> instead of forwarding, so a test sees the decision a user would get.
/// </summary>
public sealed class AppSettingsTestHost : IAsyncDisposable
{
    /// <summary>Request header a test sets to pretend the request arrived on this local port (TestServer reports 0).</summary>
    public const string LocalPortHeader = "x-test-local-port";

    private readonly WebApplication _app;

    private AppSettingsTestHost(WebApplication app)
    {
        _app = app;
        Server = app.GetTestServer();
    }

    public TestServer Server { get; }

    public IServiceProvider Services => _app.Services;

    public static Task<AppSettingsTestHost> StartAsync(string json, bool forward = false) => StartAsync(AppSettings.Section(json), forward: forward);

    /// <summary>
    /// Starts a gateway on <paramref name="section"/>; <paramref name="services"/> runs before <c>AddGateway</c> (e.g. a
    /// fake clock). With <paramref name="forward"/> the whole pipeline runs (direct responses, redirects, faults).
    /// </summary>
    public static async Task<AppSettingsTestHost> StartAsync(IConfiguration section, Action<IGatewayBuilder>? also = null, Action<IServiceCollection>? services = null, bool forward = false)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        services?.Invoke(builder.Services);
        var gateway = builder.Services.AddGateway().LoadFromConfig(section);
        also?.Invoke(gateway);
        var app = builder.Build();
        app.Use((context, next) =>
        {
            if (context.Request.Headers.TryGetValue(LocalPortHeader, out var port))
            {
                context.Connection.LocalPort = int.Parse(port.ToString(), CultureInfo.InvariantCulture);
            }

            return next(context);
        });
        if (forward)
        {
            app.UseGateway();
        }

        app.UseGatewayHostMatching();
        app.UseGatewayRouting();
        app.Run(context =>
        {
            var feature = context.Features.Get<IGatewayFeature>()!;
            return context.Response.WriteAsync($"{feature.RouteName}|{feature.UpstreamName}|{feature.Subset}");
        });
        await app.StartAsync();
        return new AppSettingsTestHost(app);
    }

    /// <summary>
    /// Sends a request and returns <c>route|upstream|subset</c>, or the status code when routing answered itself
    /// (404 for no route, a redirect, a direct response).
    /// </summary>
    public async Task<string> RouteAsync(string pathAndQuery, string host = "example.com", int port = 80, string method = "GET", params (string Name, string Value)[] headers)
    {
        using var response = await SendAsync(pathAndQuery, host, port, method, headers);
        return response.StatusCode == HttpStatusCode.OK
            ? await response.Content.ReadAsStringAsync()
            : ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>The route name the request selected, or the status code.</summary>
    public async Task<string> RouteNameAsync(string pathAndQuery, string host = "example.com", int port = 80, string method = "GET", params (string Name, string Value)[] headers)
        => (await RouteAsync(pathAndQuery, host, port, method, headers)).Split('|')[0];

    public async Task<HttpResponseMessage> SendAsync(string pathAndQuery, string host = "example.com", int port = 80, string method = "GET", params (string Name, string Value)[] headers)
    {
        using var client = Server.CreateClient();
        using var request = new HttpRequestMessage(new HttpMethod(method), pathAndQuery);
        request.Headers.TryAddWithoutValidation("Host", host);
        request.Headers.TryAddWithoutValidation(LocalPortHeader, port.ToString(CultureInfo.InvariantCulture));
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return await client.SendAsync(request);
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
