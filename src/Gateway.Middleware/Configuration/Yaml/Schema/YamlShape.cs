using YamlDotNet.RepresentationModel;

namespace Gateway.Middleware.Configuration.Yaml.Schema;

/// <summary>
/// The expected shape of a YAML value, transcribed from the Istio protos and the Gateway API Go types.
/// Checking a document against its shape reports every unknown field and wrongly typed value with its
/// exact path, so nothing the user wrote is silently dropped (unlike deserializing into classes).
/// </summary>
internal abstract class YamlShape
{
    /// <summary>Any string (scalars of other types are accepted as their text, as most YAML users expect).</summary>
    public static readonly YamlShape String = new ScalarShape(ScalarKind.String);

    /// <summary>A plain integer scalar.</summary>
    public static readonly YamlShape Int = new ScalarShape(ScalarKind.Int);

    /// <summary>A plain number scalar (integer or decimal).</summary>
    public static readonly YamlShape Number = new ScalarShape(ScalarKind.Number);

    public static readonly YamlShape Bool = new ScalarShape(ScalarKind.Bool);

    /// <summary>An Istio duration (<c>1.5s</c>, <c>100ms</c>, <c>1m</c>).</summary>
    public static readonly YamlShape IstioDuration = new ScalarShape(ScalarKind.IstioDuration);

    /// <summary>A Gateway API duration (GEP-2257).</summary>
    public static readonly YamlShape GatewayApiDuration = new ScalarShape(ScalarKind.GatewayApiDuration);

    /// <summary>Anything: for parts the loader never reads (status, managed fields).</summary>
    public static readonly YamlShape Any = new AnyShape();

    public static readonly YamlShape StringList = new ListShape(String);

    public static readonly YamlShape StringMap = new MapShape(String);

    /// <summary>Reports what is wrong with <paramref name="node"/> (never YAML null) at <paramref name="path"/>.</summary>
    public abstract void Check(YamlNode node, string path, Action<string, string> report);

    public static ObjectShape Object(params (string Name, YamlShape Shape)[] fields) => new(fields);

    public static YamlShape List(YamlShape item) => new ListShape(item);

    public static YamlShape MapOf(YamlShape value) => new MapShape(value);

    public static YamlShape Enum(params string[] values) => new EnumShape(values);

    /// <summary>Checks a resource part; <paramref name="node"/> may be YAML null (then there is nothing to check).</summary>
    public static void CheckValue(YamlShape shape, YamlNode? node, string path, Action<string, string> report)
    {
        if (!YamlNodes.IsNull(node))
        {
            shape.Check(node!, path, report);
        }
    }

    private sealed class AnyShape : YamlShape
    {
        public override void Check(YamlNode node, string path, Action<string, string> report)
        {
        }
    }
}
