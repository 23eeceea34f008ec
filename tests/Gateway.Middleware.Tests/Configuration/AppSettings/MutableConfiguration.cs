using Microsoft.Extensions.Configuration;

namespace Gateway.Middleware.Tests.Configuration.AppSettings;

/// <summary>A configuration provider a test rewrites and reloads, as a watched appsettings.json is.</summary>
internal sealed class MutableConfiguration : ConfigurationProvider, IConfigurationSource
{
    private MutableConfiguration(string json)
    {
        Data = Flatten(json);
    }

    /// <summary>A configuration root over one mutable provider holding <paramref name="json"/>.</summary>
    public static (IConfigurationRoot Root, MutableConfiguration Provider) Create(string json)
    {
        var provider = new MutableConfiguration(json);
        return (new ConfigurationBuilder().Add(provider).Build(), provider);
    }

    /// <summary>Replaces every key with those of <paramref name="json"/> and fires the reload token.</summary>
    public void Write(string json)
    {
        Data = Flatten(json);
        OnReload();
    }

    public IConfigurationProvider Build(IConfigurationBuilder builder) => this;

    private static Dictionary<string, string?> Flatten(string json)
        => new(AppSettings.Json(json).AsEnumerable(), StringComparer.OrdinalIgnoreCase);
}
