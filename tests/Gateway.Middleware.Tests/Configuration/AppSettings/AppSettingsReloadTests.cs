using Gateway.Middleware.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Gateway.Middleware.Tests.Configuration.AppSettings;

/// <summary>
/// Issue 4: when the configuration reloads and the <c>Gateway</c> section changed, the gateway reloads; an
/// invalid change is refused and the last good configuration keeps serving. The clock is fake: the
/// provider waits <see cref="GatewayConfigProvider.ReloadDelay"/> for editors to finish saving.
/// </summary>
public sealed class AppSettingsReloadTests
{
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public async Task Reload_ValidChange_ServedAfterTheSettleDelay()
    {
        var (config, file) = MutableConfiguration.Create(Routes("blue"));
        await using var host = await StartAsync(config);
        var monitor = host.Services.GetRequiredService<IGatewayConfigMonitor>();

        file.Write(Routes("green"));
        Assert.Equal("blue", await host.RouteNameAsync("/")); // not before the delay
        _time.Advance(GatewayConfigProvider.ReloadDelay);

        Assert.Equal(2, monitor.Generation);
        Assert.Equal("green", await host.RouteNameAsync("/"));
    }

    [Fact]
    public async Task Reload_InvalidChange_RefusedWithSectionPathsAndLastGoodKeepsServing()
    {
        var (config, file) = MutableConfiguration.Create(Routes("blue"));
        await using var host = await StartAsync(config);
        var monitor = host.Services.GetRequiredService<IGatewayConfigMonitor>();
        var outcomes = new List<GatewayConfigReloadedEventArgs>();
        monitor.Reloaded += (_, e) => outcomes.Add(e);

        file.Write(Routes("green").Replace("\"Host\": \"up\"", "\"Host\": \"nope\"", StringComparison.Ordinal).Replace("\"Uri\"", "\"Url\"", StringComparison.Ordinal));
        _time.Advance(GatewayConfigProvider.ReloadDelay);

        var refused = Assert.Single(outcomes);
        Assert.False(refused.Applied);
        Assert.Equal(
            [
                "Gateway:Routes:0:Match:0:Url: unknown field",
                "Gateway:Routes:0: route[0].destination.host: unknown upstream 'nope'",
            ],
            monitor.LastRejectedErrors);
        Assert.Equal(1, monitor.Generation);
        Assert.Equal("blue", await host.RouteNameAsync("/"));

        // Fixed: applied, and the rejected errors are cleared.
        file.Write(Routes("green"));
        _time.Advance(GatewayConfigProvider.ReloadDelay);
        Assert.True(outcomes[^1].Applied);
        Assert.Empty(monitor.LastRejectedErrors);
        Assert.Equal("green", await host.RouteNameAsync("/"));
    }

    [Fact]
    public async Task Reload_OnlyKeysOutsideTheSectionChanged_NoReload()
    {
        var (config, file) = MutableConfiguration.Create(Routes("blue", logLevel: "Information"));
        await using var host = await StartAsync(config);
        var monitor = host.Services.GetRequiredService<IGatewayConfigMonitor>();
        var reloads = 0;
        monitor.Reloaded += (_, _) => reloads++;

        file.Write(Routes("blue", logLevel: "Debug"));
        _time.Advance(TimeSpan.FromSeconds(5));

        // Rebuilding would replace every upstream's connection pool for nothing.
        Assert.Equal(0, reloads);
        Assert.Equal(1, monitor.Generation);
    }

    [Fact]
    public async Task Reload_SectionGone_RefusedInsteadOfServingNothing()
    {
        // A JSON file that is deleted, or no longer parses, leaves the section empty.
        var (config, file) = MutableConfiguration.Create(Routes("blue"));
        await using var host = await StartAsync(config);
        var monitor = host.Services.GetRequiredService<IGatewayConfigMonitor>();

        file.Write("{}");
        _time.Advance(GatewayConfigProvider.ReloadDelay);

        Assert.Equal(
            ["Gateway: the section is gone (file deleted, or no longer valid JSON?); to remove every route keep the section, e.g. \"Routes\": []"],
            monitor.LastRejectedErrors);
        Assert.Equal("blue", await host.RouteNameAsync("/"));
    }

    [Fact]
    public async Task Reload_EmptiedOnPurpose_Applied()
    {
        var (config, file) = MutableConfiguration.Create(Routes("blue"));
        await using var host = await StartAsync(config);

        file.Write("""{ "Gateway": { "Routes": [] } }""");
        _time.Advance(GatewayConfigProvider.ReloadDelay);

        Assert.Equal("404", await host.RouteNameAsync("/"));
    }

    [Fact]
    public async Task Reload_BuilderDeclarations_KeptBesideTheReloadedSection()
    {
        var (config, file) = MutableConfiguration.Create(Routes("blue", host: "settings.example.com"));
        await using var host = await StartAsync(config, g => g.AddRoute("code", r => r.Hosts("code.example.com").RouteTo("up")));

        file.Write(Routes("green", host: "settings.example.com"));
        _time.Advance(GatewayConfigProvider.ReloadDelay);

        Assert.Equal("green", await host.RouteNameAsync("/", "settings.example.com"));
        Assert.Equal("code", await host.RouteNameAsync("/", "code.example.com"));
    }

    private Task<AppSettingsTestHost> StartAsync(Microsoft.Extensions.Configuration.IConfiguration config, Action<Gateway.Middleware.Builder.IGatewayBuilder>? also = null)
        => AppSettingsTestHost.StartAsync(config.GetSection("Gateway"), also, services => services.AddSingleton<TimeProvider>(_time));

    private static string Routes(string name, string logLevel = "Warning", string host = "*") => $$"""
        {
          "Logging": { "LogLevel": { "Default": "{{logLevel}}" } },
          "Gateway": {
            "Upstreams": { "up": { "Endpoints": [ "http://127.0.0.1:1" ] } },
            "Routes": [ { "Name": "{{name}}", "Hosts": [ "{{host}}" ], "Match": [ { "Uri": { "Prefix": "/" } } ], "Route": [ { "Destination": { "Host": "up" } } ] } ]
          }
        }
        """;
}
