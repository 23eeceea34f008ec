namespace Gateway.Middleware.Configuration.AppSettings;

/// <summary>The fields of one JSON object in configuration, by name, case-insensitive as <c>IConfiguration</c> is.</summary>
internal sealed class ConfigObject
{
    private readonly Dictionary<string, ConfigNode> _fields;

    public ConfigObject(Dictionary<string, ConfigNode> fields)
    {
        _fields = fields;
    }

    /// <summary>An object with no fields: every field reads as absent.</summary>
    public static ConfigObject Empty { get; } = new(new Dictionary<string, ConfigNode>(StringComparer.OrdinalIgnoreCase));

    /// <summary>The field, or <see langword="null"/> when it is not there.</summary>
    public ConfigNode? this[string name] => _fields.GetValueOrDefault(name);
}
