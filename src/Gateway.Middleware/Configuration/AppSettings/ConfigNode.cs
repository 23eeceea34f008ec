using System.Text;
using Microsoft.Extensions.Configuration;

namespace Gateway.Middleware.Configuration.AppSettings;

/// <summary>
/// One configuration section and everything under it, read once per load: the model is built from one
/// consistent view, and each section's children are listed once (<c>IConfiguration</c> lists them by
/// scanning every provider's keys).
/// </summary>
/// <remarks>
/// <c>IConfiguration</c> flattens JSON: <c>null</c> and <c>{}</c> become a key with a null value and no
/// children, <c>[]</c> and <c>""</c> an empty string; array items are children named 0, 1, ... (sorted
/// numerically).
/// </remarks>
internal sealed class ConfigNode
{
    private ConfigNode(string path, string key, string? value, ConfigNode[] children)
    {
        Path = path;
        Key = key;
        Value = value;
        Children = children;
    }

    /// <summary>The full section path, e.g. <c>Gateway:Routes:0</c>, with keys spelled as the provider spells them.</summary>
    public string Path { get; }

    /// <summary>The last segment of <see cref="Path"/>: a field name, a map key, or an array index.</summary>
    public string Key { get; }

    public string? Value { get; }

    public IReadOnlyList<ConfigNode> Children { get; }

    /// <summary>JSON <c>null</c>, <c>{}</c>, <c>[]</c> or <c>""</c>: nothing under the key.</summary>
    public bool IsEmpty => string.IsNullOrEmpty(Value) && Children.Count == 0;

    public static ConfigNode Read(IConfiguration configuration)
    {
        var section = configuration as IConfigurationSection;
        return new ConfigNode(section?.Path ?? "", section?.Key ?? "", section?.Value, ReadChildren(configuration));
    }

    /// <summary>Every key and value under the node, to tell whether the section changed between two reads.</summary>
    public string Fingerprint()
    {
        var text = new StringBuilder();
        Append(this, text);
        return text.ToString();

        static void Append(ConfigNode node, StringBuilder text)
        {
            // NUL separates: neither keys nor values a JSON or environment provider yields can hold it unescaped.
            text.Append(node.Key).Append('\0').Append(node.Value is null ? "\u0001" : node.Value).Append('\0').Append(node.Children.Count).Append('\0');
            foreach (var child in node.Children)
            {
                Append(child, text);
            }
        }
    }

    private static ConfigNode[] ReadChildren(IConfiguration configuration)
    {
        var children = new List<ConfigNode>();
        foreach (var child in configuration.GetChildren())
        {
            children.Add(new ConfigNode(child.Path, child.Key, child.Value, ReadChildren(child)));
        }

        return [.. children];
    }
}
