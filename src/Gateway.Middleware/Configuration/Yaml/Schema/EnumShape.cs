using YamlDotNet.RepresentationModel;

namespace Gateway.Middleware.Configuration.Yaml.Schema;

/// <summary>A protobuf / Go enum: one of the listed names, case-sensitive.</summary>
internal sealed class EnumShape : YamlShape
{
    private readonly string[] _values;

    public EnumShape(string[] values)
    {
        _values = values;
    }

    public override void Check(YamlNode node, string path, Action<string, string> report)
    {
        if (node is not YamlScalarNode { Value: { } value } || Array.IndexOf(_values, value) < 0)
        {
            var got = node is YamlScalarNode { Value: { } text } ? $", got '{text}'" : "";
            report(path, $"must be one of {string.Join(", ", _values)}{got}");
        }
    }
}
