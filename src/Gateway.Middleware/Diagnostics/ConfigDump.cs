using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Gateway.Middleware.Configuration;

namespace Gateway.Middleware.Diagnostics;

/// <summary>
/// The running configuration as JSON (<c>/config_dump</c>): servers, route tables per port and virtual host in
/// match order, and the clusters they send to with their resolved traffic policy and live endpoint state, each
/// with the file and resource it came from. The equivalent of <c>istioctl proxy-config listeners/routes/clusters</c>.
/// Never includes private keys or certificate bodies: only paths, secret names, subjects, SANs and expiry.
/// </summary>
internal static partial class ConfigDump
{
    internal static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
        WriteIndented = true,
    };

    /// <summary>Builds the dump of <paramref name="snapshot"/>, generation <paramref name="generation"/>.</summary>
    public static JsonObject Build(GatewaySnapshot snapshot, long generation)
    {
        var config = snapshot.Config;
        var clusters = new Dictionary<string, Upstreams.UpstreamCluster>(StringComparer.Ordinal);
        return new JsonObject
        {
            ["generation"] = generation,
            ["servers"] = Servers(config),
            ["routes"] = Routes(snapshot, config, clusters),
            ["clusters"] = Clusters(config, clusters),
        };
    }

    private static JsonNode? ToNode<T>(T? value)
        where T : class
        => value is null ? null : JsonSerializer.SerializeToNode(value, Options);

    private static JsonArray Strings(IEnumerable<string> values)
    {
        var array = new JsonArray();
        foreach (var value in values)
        {
            array.Add(value);
        }

        return array;
    }

    private static string? Duration(TimeSpan? value)
        => value is { } span ? span.TotalSeconds.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture) + "s" : null;
}
