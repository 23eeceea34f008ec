using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Gateway.Middleware.Configuration.Yaml;

/// <summary>
/// Reads values out of YAML nodes whose shape <see cref="Schema.YamlShape"/> has already checked: a value of
/// the wrong type reads as absent here, because the shape check has reported it.
/// </summary>
internal static class YamlNodes
{
    /// <summary>Whether a node is YAML null (<c>~</c>, <c>null</c> or nothing), which Kubernetes treats as absent.</summary>
    public static bool IsNull(YamlNode? node)
        => node is null
            || (node is YamlScalarNode { Style: ScalarStyle.Plain or ScalarStyle.Any } scalar
                && (scalar.Value is null or "" or "~" or "null" or "Null" or "NULL"));

    /// <summary>The value under <paramref name="key"/>, or <see langword="null"/> when absent or null.</summary>
    public static YamlNode? Get(YamlMappingNode? map, string key)
    {
        if (map is null)
        {
            return null;
        }

        foreach (var (k, v) in map.Children)
        {
            if (k is YamlScalarNode { Value: { } name } && name == key)
            {
                return IsNull(v) ? null : v;
            }
        }

        return null;
    }

    public static bool Has(YamlMappingNode? map, string key) => Get(map, key) is not null;

    public static YamlMappingNode? Map(YamlMappingNode? map, string key) => Get(map, key) as YamlMappingNode;

    /// <summary>The items of the list under <paramref name="key"/>; null items come back as <see langword="null"/>.</summary>
    public static IReadOnlyList<YamlNode?> List(YamlMappingNode? map, string key)
    {
        if (Get(map, key) is not YamlSequenceNode sequence)
        {
            return [];
        }

        var items = new List<YamlNode?>(sequence.Children.Count);
        foreach (var item in sequence.Children)
        {
            items.Add(IsNull(item) ? null : item);
        }

        return items;
    }

    /// <summary>The mapping items of the list under <paramref name="key"/>, with their index; other items are skipped.</summary>
    public static IEnumerable<(int Index, YamlMappingNode Item)> Maps(YamlMappingNode? map, string key)
    {
        var items = List(map, key);
        for (var i = 0; i < items.Count; i++)
        {
            if (items[i] is YamlMappingNode item)
            {
                yield return (i, item);
            }
        }
    }

    public static string? String(YamlMappingNode? map, string key) => Get(map, key) is YamlScalarNode scalar ? scalar.Value : null;

    public static long? Long(YamlMappingNode? map, string key) => Get(map, key) is YamlScalarNode scalar ? ParseLong(scalar) : null;

    public static int? Int(YamlMappingNode? map, string key)
        => Long(map, key) is { } value && value is >= int.MinValue and <= int.MaxValue ? (int)value : null;

    public static double? Double(YamlMappingNode? map, string key) => Get(map, key) is YamlScalarNode scalar ? ParseDouble(scalar) : null;

    public static bool? Bool(YamlMappingNode? map, string key) => Get(map, key) is YamlScalarNode scalar ? ParseBool(scalar) : null;

    public static IReadOnlyList<string> Strings(YamlMappingNode? map, string key)
    {
        var values = new List<string>();
        foreach (var item in List(map, key))
        {
            if (item is YamlScalarNode { Value: { } value })
            {
                values.Add(value);
            }
        }

        return values;
    }

    /// <summary>A string-to-string mapping (labels, header operations) in document order.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> Pairs(YamlMappingNode? map, string key)
    {
        var pairs = new List<KeyValuePair<string, string>>();
        if (Map(map, key) is { } mapping)
        {
            foreach (var (k, v) in mapping.Children)
            {
                if (k is YamlScalarNode { Value: { } name })
                {
                    pairs.Add(new(name, v is YamlScalarNode scalar && !IsNull(scalar) ? scalar.Value ?? "" : ""));
                }
            }
        }

        return pairs;
    }

    public static Dictionary<string, string> Labels(YamlMappingNode? map, string key)
    {
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in Pairs(map, key))
        {
            labels[name] = value;
        }

        return labels;
    }

    /// <summary>Integers are plain scalars: a quoted <c>"80"</c> is a string, as Kubernetes' JSON decoding sees it.</summary>
    public static long? ParseLong(YamlScalarNode scalar)
        => scalar.Style is ScalarStyle.Plain or ScalarStyle.Any
            && long.TryParse(scalar.Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) ? value : null;

    public static double? ParseDouble(YamlScalarNode scalar)
        => scalar.Style is ScalarStyle.Plain or ScalarStyle.Any
            && double.TryParse(scalar.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
            && double.IsFinite(value) ? value : null;

    public static bool? ParseBool(YamlScalarNode scalar)
        => scalar.Style is not (ScalarStyle.Plain or ScalarStyle.Any) ? null
            : scalar.Value switch
            {
                "true" or "True" or "TRUE" => true,
                "false" or "False" or "FALSE" => false,
                _ => null,
            };
}
