using YamlDotNet.RepresentationModel;

namespace Gateway.Middleware.Configuration.Yaml.Schema;

/// <summary>A message with known fields: any other field is an error naming its path.</summary>
internal sealed class ObjectShape : YamlShape
{
    private readonly Dictionary<string, YamlShape> _fields = new(StringComparer.Ordinal);

    public ObjectShape((string Name, YamlShape Shape)[] fields)
    {
        foreach (var (name, shape) in fields)
        {
            _fields.Add(name, shape);
        }
    }

    /// <summary>A copy with more fields (e.g. a v1 message extended by a later version).</summary>
    public ObjectShape With(params (string Name, YamlShape Shape)[] fields)
    {
        var all = new List<(string, YamlShape)>();
        foreach (var (name, shape) in _fields)
        {
            all.Add((name, shape));
        }

        all.AddRange(fields);
        return new ObjectShape([.. all]);
    }

    public override void Check(YamlNode node, string path, Action<string, string> report)
    {
        if (node is not YamlMappingNode map)
        {
            report(path, "expected an object");
            return;
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (key, value) in map.Children)
        {
            if (key is not YamlScalarNode { Value: { } name })
            {
                report(path, "field names must be strings");
                continue;
            }

            var fieldPath = path.Length == 0 ? name : $"{path}.{name}";
            if (!_fields.TryGetValue(name, out var shape))
            {
                report(fieldPath, "unknown field");
                continue;
            }

            if (!seen.Add(name))
            {
                report(fieldPath, "duplicate field");
                continue;
            }

            CheckValue(shape, value, fieldPath, report);
        }
    }
}
