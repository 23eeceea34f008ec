using System.Globalization;
using System.Net;
using Gateway.Middleware.Configuration;
using Gateway.Middleware.FunctionalTests.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Middleware.FunctionalTests.Configuration;

/// <summary>
/// Issue 4, appsettings.json: a JSON file on disk loaded with <c>LoadFromConfig</c> and watched by the
/// JSON configuration provider; real Kestrel upstreams answer with their colour.
/// </summary>
public sealed class AppSettingsTests : IAsyncLifetime
{
    private readonly string _folder = Directory.CreateTempSubdirectory("gw-appsettings-").FullName;
    private TestUpstream _blue = null!;
    private TestUpstream _green = null!;

    public async Task InitializeAsync()
    {
        _blue = await TestUpstream.StartAsync(context => context.Response.WriteAsync("blue"));
        _green = await TestUpstream.StartAsync(context => context.Response.WriteAsync("green"));
    }

    public async Task DisposeAsync()
    {
        await _blue.DisposeAsync();
        await _green.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task LoadFromConfig_FileChanges_ValidServedWithin2sInvalidRefusedLastGoodKeepsServing()
    {
        var file = Path.Combine(_folder, "appsettings.json");
        await File.WriteAllTextAsync(file, Config("blue"));
        using var configuration = (ConfigurationRoot)new ConfigurationBuilder()
            .SetBasePath(_folder)
            .AddJsonFile("appsettings.json", optional: false, reloadOnChange: true)
            .Build();
        await using var gateway = await GatewayHost.StartAsync(g => g.LoadFromConfig(configuration.GetSection("Gateway")));
        var monitor = gateway.Services.GetRequiredService<IGatewayConfigMonitor>();
        Assert.Equal("blue", await GetAsync(gateway, "/"));
        Assert.Equal(HttpStatusCode.NotFound, await StatusAsync(gateway, "other.example.com"));

        // 1: valid, blue → green.
        await ChangeAndWaitAsync(monitor, file, Config("green"), applied: true);
        Assert.Equal("green", await GetAsync(gateway, "/"));

        // 2: invalid (a misspelt key): refused with its section path, green keeps serving.
        await ChangeAndWaitAsync(monitor, file, Config("blue").Replace("\"Prefix\"", "\"Prefx\"", StringComparison.Ordinal), applied: false);
        Assert.Equal(["Gateway:Routes:0:Match:0:Uri:Prefx: unknown field"], monitor.LastRejectedErrors);
        Assert.Equal("green", await GetAsync(gateway, "/"));

        // 3: not JSON: the provider drops the file's keys without a reload event; nothing changes.
        var generation = monitor.Generation;
        await File.WriteAllTextAsync(file, """{ "Gateway": { "Routes": [ """);
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Equal(generation, monitor.Generation);
        Assert.Equal("green", await GetAsync(gateway, "/"));

        // 4: fixed: applied again.
        await ChangeAndWaitAsync(monitor, file, Config("blue"), applied: true);
        Assert.Equal("blue", await GetAsync(gateway, "/"));
    }

    private static async Task ChangeAndWaitAsync(IGatewayConfigMonitor monitor, string file, string json, bool applied)
    {
        var outcome = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnReloaded(object? sender, GatewayConfigReloadedEventArgs e) => outcome.TrySetResult(e.Applied);
        monitor.Reloaded += OnReloaded;
        try
        {
            await File.WriteAllTextAsync(file, json);

            // Issue 4: a change takes effect within 2 seconds.
            Assert.Equal(applied, await outcome.Task.WaitAsync(TimeSpan.FromSeconds(2)));
        }
        finally
        {
            monitor.Reloaded -= OnReloaded;
        }
    }

    private string Config(string color) => $$"""
        {
          "Logging": { "LogLevel": { "Default": "Warning" } },
          "Gateway": {
            "Upstreams": {
              "app": {
                "Endpoints": [
                  { "Address": "{{_blue.Address}}", "Labels": { "color": "blue" } },
                  { "Address": "{{_green.Address}}", "Labels": { "color": "green" } }
                ],
                "Subsets": { "blue": { "Labels": { "color": "blue" } }, "green": { "Labels": { "color": "green" } } },
                "ConnectTimeout": "2s"
              }
            },
            "Routes": [
              {
                "Name": "app",
                "Hosts": [ "app.example.com" ],
                "Match": [ { "Uri": { "Prefix": "/" } } ],
                "Route": [
                  { "Destination": { "Host": "app", "Subset": "{{color}}" }, "Weight": 100 },
                  { "Destination": { "Host": "app", "Subset": "{{(color == "blue" ? "green" : "blue")}}" }, "Weight": 0 }
                ],
                "Timeout": "00:00:10"
              }
            ]
          }
        }
        """;

    private static async Task<string> GetAsync(GatewayHost gateway, string path)
    {
        using var client = gateway.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Host = "app.example.com";
        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    private static async Task<HttpStatusCode> StatusAsync(GatewayHost gateway, string host)
    {
        using var client = gateway.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/");
        request.Headers.Host = host;
        using var response = await client.SendAsync(request);
        return response.StatusCode;
    }
}
