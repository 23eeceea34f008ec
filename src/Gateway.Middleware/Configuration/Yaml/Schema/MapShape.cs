using YamlDotNet.RepresentationModel;

namespace Gateway.Middleware.Configuration.Yaml.Schema;

/// <summary>A map with string keys (labels, header operations, ports by name).</summary>
internal sealed class MapShape : YamlShape
{
    private readonly YamlShape _value;

    public MapShape(YamlShape value)
    {
        _value = value;
    }

    public override void Check(YamlNode node, string path, Action<string, string> report)
    {
        if (node is not YamlMappingNode map)
        {
            report(path, "expected a map");
            return;
        }

        foreach (var (key, value) in map.Children)
        {
            if (key is not YamlScalarNode { Value: { } name })
            {
                report(path, "keys must be strings");
                continue;
            }

            CheckValue(_value, value, $"{path}.{name}", report);
        }
    }
}
