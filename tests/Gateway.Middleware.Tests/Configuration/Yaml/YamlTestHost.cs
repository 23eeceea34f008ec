using System.Globalization;
using System.Net;
using Gateway.Middleware.Configuration;
using Gateway.Middleware.Configuration.Yaml;
using Gateway.Middleware.Features;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Middleware.Tests.Configuration.Yaml;

/// <summary>
/// A gateway in TestServer built from loaded YAML that stops after routing and answers
/// <c>route|upstream|subset</c> instead of forwarding, so a test sees the decision a user would get.
/// </summary>
public sealed class YamlTestHost : IAsyncDisposable
{
    /// <summary>Request header a test sets to pretend the request arrived on this local port (TestServer reports 0).</summary>
    public const string LocalPortHeader = "x-test-local-port";

    private readonly WebApplication _app;

    private YamlTestHost(WebApplication app)
    {
        _app = app;
        Server = app.GetTestServer();
    }

    public TestServer Server { get; }

    /// <summary>Loads the YAML (which must have no errors) and starts a gateway on it.</summary>
    public static async Task<YamlTestHost> StartAsync(params (string Path, string Text)[] files)
    {
        var result = IstioYaml.Load(files);
        Assert.Empty(result.Errors);
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        builder.Services.AddSingleton(new GatewayConfigProvider(result.Config));
        builder.Services.AddGateway();
        var app = builder.Build();
        app.Use((context, next) =>
        {
            if (context.Request.Headers.TryGetValue(LocalPortHeader, out var port))
            {
                context.Connection.LocalPort = int.Parse(port.ToString(), CultureInfo.InvariantCulture);
            }

            return next(context);
        });
        app.UseGatewayHostMatching();
        app.UseGatewayRouting();
        app.Run(context =>
        {
            var feature = context.Features.Get<IGatewayFeature>()!;
            return context.Response.WriteAsync($"{feature.RouteName}|{feature.UpstreamName}|{feature.Subset}");
        });
        await app.StartAsync();
        return new YamlTestHost(app);
    }

    /// <summary>
    /// Sends a request and returns <c>route|upstream|subset</c>, or the status code when routing answered itself
    /// (404 for no route, a redirect, a direct response).
    /// </summary>
    public async Task<string> RouteAsync(string pathAndQuery, string host = "example.com", int port = 80, string method = "GET", params (string Name, string Value)[] headers)
    {
        using var client = Server.CreateClient();
        using var request = new HttpRequestMessage(new HttpMethod(method), pathAndQuery);
        request.Headers.TryAddWithoutValidation("Host", host);
        request.Headers.TryAddWithoutValidation(LocalPortHeader, port.ToString(CultureInfo.InvariantCulture));
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        using var response = await client.SendAsync(request);
        return response.StatusCode == HttpStatusCode.OK
            ? await response.Content.ReadAsStringAsync()
            : ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>The upstream the request selected, or the status code.</summary>
    public async Task<string> UpstreamAsync(string pathAndQuery, string host = "example.com", int port = 80, string method = "GET", params (string Name, string Value)[] headers)
    {
        var answer = await RouteAsync(pathAndQuery, host, port, method, headers);
        var parts = answer.Split('|');
        return parts.Length < 2 ? answer : parts[2].Length > 0 ? $"{parts[1]}/{parts[2]}" : parts[1];
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
