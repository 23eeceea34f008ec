using System.Globalization;
using YamlDotNet.RepresentationModel;

namespace Gateway.Middleware.Configuration.Yaml.Schema;

/// <summary>A repeated field; a null item is an error (Istio: "http match may never be null").</summary>
internal sealed class ListShape : YamlShape
{
    private readonly YamlShape _item;

    public ListShape(YamlShape item)
    {
        _item = item;
    }

    public override void Check(YamlNode node, string path, Action<string, string> report)
    {
        if (node is not YamlSequenceNode sequence)
        {
            report(path, "expected a list");
            return;
        }

        for (var i = 0; i < sequence.Children.Count; i++)
        {
            var itemPath = string.Create(CultureInfo.InvariantCulture, $"{path}[{i}]");
            if (YamlNodes.IsNull(sequence.Children[i]))
            {
                report(itemPath, "must not be empty (null)");
                continue;
            }

            _item.Check(sequence.Children[i], itemPath, report);
        }
    }
}
