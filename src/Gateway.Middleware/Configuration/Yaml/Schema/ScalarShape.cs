using YamlDotNet.RepresentationModel;

namespace Gateway.Middleware.Configuration.Yaml.Schema;

internal sealed class ScalarShape : YamlShape
{
    private readonly ScalarKind _kind;

    public ScalarShape(ScalarKind kind)
    {
        _kind = kind;
    }

    public override void Check(YamlNode node, string path, Action<string, string> report)
    {
        if (node is not YamlScalarNode scalar)
        {
            report(path, _kind switch
            {
                ScalarKind.Int => "expected an integer",
                ScalarKind.Number => "expected a number",
                ScalarKind.Bool => "expected true or false",
                ScalarKind.String => "expected a string",
                _ => "expected a duration",
            });
            return;
        }

        var text = scalar.Value ?? "";
        string? error = _kind switch
        {
            ScalarKind.Int when YamlNodes.ParseLong(scalar) is null => $"expected an integer, got '{text}'",
            ScalarKind.Number when YamlNodes.ParseDouble(scalar) is null => $"expected a number, got '{text}'",
            ScalarKind.Bool when YamlNodes.ParseBool(scalar) is null => $"expected true or false, got '{text}'",
            ScalarKind.IstioDuration when !YamlDuration.TryParseIstio(text, out _, out var e) => e,
            ScalarKind.GatewayApiDuration when !YamlDuration.TryParseGatewayApi(text, out _, out var e) => e,
            _ => null,
        };
        if (error is not null)
        {
            report(path, error);
        }
    }
}
