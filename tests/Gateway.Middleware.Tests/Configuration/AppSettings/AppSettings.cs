using System.Text;
using Gateway.Middleware.Builder;
using Gateway.Middleware.Configuration;
using Gateway.Middleware.Configuration.AppSettings;
using Gateway.Middleware.Configuration.Sources;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Middleware.Tests.Configuration.AppSettings;

/// <summary>Shorthands for binding appsettings.json text in tests.</summary>
internal static class AppSettings
{
    /// <summary>Configuration from JSON text, as appsettings.json would give it.</summary>
    public static IConfigurationRoot Json(string json)
        => new ConfigurationBuilder().AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes(json))).Build();

    /// <summary>The <c>Gateway</c> section of <paramref name="json"/>.</summary>
    public static IConfigurationSection Section(string json) => Json(json).GetSection("Gateway");

    /// <summary>Binds the <c>Gateway</c> section (binding errors only, no model validation).</summary>
    public static ConfigSourceResult Load(string json) => AppSettingsModelBuilder.Build(ConfigNode.Read(Section(json)));

    /// <summary>Binds and asserts there is no binding error; returns the model.</summary>
    public static GatewayConfig Config(string json)
    {
        var result = Load(json);
        Assert.Empty(result.Errors);
        return result.Config;
    }

    /// <summary>Every error start-up reports for the section (binding, then model validation), with <paramref name="also"/> declared too.</summary>
    public static IReadOnlyList<string> Errors(IConfiguration section, Action<IGatewayBuilder>? also = null)
    {
        var services = new ServiceCollection().AddLogging();
        var gateway = services.AddGateway().LoadFromConfig(section);
        also?.Invoke(gateway);
        using var provider = services.BuildServiceProvider();
        return Assert.Throws<GatewayConfigurationException>(() => provider.GetRequiredService<GatewayConfigProvider>()).Errors;
    }

    public static IReadOnlyList<string> Errors(string json, Action<IGatewayBuilder>? also = null) => Errors(Section(json), also);

    public static RouteConfig Route(GatewayConfig config, string name) => config.Routes.Single(r => r.Name == name);

    public static UpstreamConfig Upstream(GatewayConfig config, string name) => config.Upstreams.Single(u => u.Name == name);

    /// <summary>
    /// A gateway section with one upstream <c>up</c> (subsets <c>v1</c>, <c>v2</c>) and the given routes (a JSON array's items).
    /// </summary>
    public static string WithRoutes(string routes) => $$"""
        {
          "Gateway": {
            "Upstreams": {
              "up": {
                "Endpoints": [
                  { "Address": "http://127.0.0.1:1", "Labels": { "version": "v1" } },
                  { "Address": "http://127.0.0.1:2", "Labels": { "version": "v2" } }
                ],
                "Subsets": { "v1": { "Labels": { "version": "v1" } }, "v2": { "Labels": { "version": "v2" } } }
              }
            },
            "Routes": [ {{routes}} ]
          }
        }
        """;
}
