using Microsoft.Extensions.Primitives;

namespace Gateway.Middleware.Configuration.Sources;

/// <summary>
/// A place configuration comes from besides the fluent builder: YAML files, an <c>IConfiguration</c>
/// section. Each load returns a partial model; the provider merges every source with the builder's
/// declarations and validates the whole.
/// </summary>
internal interface IGatewayConfigSource
{
    /// <summary>For logs: e.g. <c>yaml:/etc/gateway</c>.</summary>
    string Name { get; }

    /// <summary>Reads the source now.</summary>
    ConfigSourceResult Load();

    /// <summary>A token that fires when the source changes, or null when it is not watched.</summary>
    IChangeToken? Watch();
}
