namespace Gateway.Middleware.Configuration.Yaml.Schema;

/// <summary>Messages several Istio specs share (<c>StringMatch</c>, <c>PortSelector</c>, <c>Percent</c>).</summary>
internal static class IstioCommonShapes
{
    public static readonly YamlShape StringMatch = YamlShape.Object(("exact", YamlShape.String), ("prefix", YamlShape.String), ("regex", YamlShape.String));

    public static readonly YamlShape PortSelector = YamlShape.Object(("number", YamlShape.Int));

    public static readonly YamlShape Percent = YamlShape.Object(("value", YamlShape.Number));
}
