using System.Globalization;
using Gateway.Middleware.Configuration.Yaml;

namespace Gateway.Middleware.Configuration.AppSettings;

/// <summary>
/// Strict readers: where <c>ConfigurationBinder</c> silently drops an unknown key or a value it cannot
/// convert, these report it with its section path (<c>Gateway:Routes:0:Match:0:Uri:Regx: unknown field</c>)
/// and read it as absent, so loading goes on and every error is listed at once.
/// </summary>
internal sealed partial class AppSettingsModelBuilder
{
    private void Error(ConfigNode node, string message) => _errors.Add($"{node.Path}: {message}");

    /// <summary>
    /// The fields of an object; children not in <paramref name="fields"/> are reported as unknown.
    /// <see langword="null"/> when the node is absent, <c>null</c> or <c>{}</c>, or not an object (reported).
    /// </summary>
    private ConfigObject? Object(ConfigNode? node, params ReadOnlySpan<string> fields)
    {
        if (node is null || node.IsEmpty)
        {
            return null;
        }

        if (!string.IsNullOrEmpty(node.Value))
        {
            Error(node, $"expected an object, got '{node.Value}'");
            return null;
        }

        var known = new Dictionary<string, ConfigNode>(StringComparer.OrdinalIgnoreCase);
        foreach (var child in node.Children)
        {
            if (Contains(fields, child.Key))
            {
                known[child.Key] = child;
            }
            else
            {
                Error(child, "unknown field");
            }
        }

        return new ConfigObject(known);
    }

    /// <summary>The items of a JSON array, in order; an absent or empty node is an empty list.</summary>
    private List<ConfigNode> List(ConfigNode? node)
    {
        var items = new List<ConfigNode>();
        if (node is null || node.IsEmpty)
        {
            return items;
        }

        if (!string.IsNullOrEmpty(node.Value))
        {
            Error(node, $"expected a list, got '{node.Value}'");
            return items;
        }

        foreach (var child in node.Children)
        {
            if (int.TryParse(child.Key, NumberStyles.None, CultureInfo.InvariantCulture, out _))
            {
                items.Add(child);
            }
            else
            {
                // IConfiguration keeps arrays as children named 0, 1, ...; a name means an object was written.
                Error(child, "expected a list item (an index), got a named field");
            }
        }

        return items;
    }

    /// <summary>The entries of a JSON object used as a dictionary (names chosen by the user).</summary>
    private List<ConfigNode> Map(ConfigNode? node)
    {
        if (node is null || node.IsEmpty)
        {
            return [];
        }

        if (!string.IsNullOrEmpty(node.Value))
        {
            Error(node, $"expected an object of named entries, got '{node.Value}'");
            return [];
        }

        // IConfiguration keeps a JSON array as entries named 0, 1, ...: Istio's list shape written here.
        if (node.Children.All(child => int.TryParse(child.Key, NumberStyles.None, CultureInfo.InvariantCulture, out _)))
        {
            Error(node, "expected named entries (\"name\": { ... }), got a list");
            return [];
        }

        return [.. node.Children];
    }

    private string? String(ConfigNode? node)
    {
        if (node is null || (node.Value is null && node.Children.Count == 0))
        {
            return null;
        }

        if (node.Children.Count > 0)
        {
            Error(node, "expected a value, got an object or a list");
            return null;
        }

        return node.Value;
    }

    /// <summary>Reports a field that must be there: <c>Gateway:Routes:0:Route:0:Destination:Host: required</c>.</summary>
    private void Missing(ConfigNode owner, string name) => _errors.Add($"{owner.Path}:{name}: required");

    /// <summary>Not there, or JSON <c>null</c> / <c>{}</c>.</summary>
    private static bool Absent(ConfigNode? node) => node is null || (node.Value is null && node.Children.Count == 0);

    private int? Int(ConfigNode? node)
    {
        if (String(node) is not { } text)
        {
            return null;
        }

        if (int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }

        Error(node!, $"'{text}' is not an integer");
        return null;
    }

    private double? Double(ConfigNode? node)
    {
        if (String(node) is not { } text)
        {
            return null;
        }

        if (double.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }

        Error(node!, $"'{text}' is not a number");
        return null;
    }

    private bool? Bool(ConfigNode? node)
    {
        if (String(node) is not { } text)
        {
            return null;
        }

        if (bool.TryParse(text, out var value))
        {
            return value;
        }

        Error(node!, $"'{text}' is not true or false");
        return null;
    }

    /// <summary>
    /// A duration as .NET writes a <see cref="TimeSpan"/> (<c>00:00:05</c>, <c>1.00:00:00</c>) or as Istio
    /// writes a protobuf Duration (<c>5s</c>, <c>100ms</c>, <c>1m30s</c>). A bare number is refused:
    /// <see cref="TimeSpan.Parse(string)"/> would read <c>5</c> as five days.
    /// </summary>
    private TimeSpan? Duration(ConfigNode? node)
    {
        if (String(node) is not { } text)
        {
            return null;
        }

        // Istio's form needs a unit, so a bare number fails both ways except 0.
        var parsed = text.Contains(':', StringComparison.Ordinal)
            ? TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var value)
            : YamlDuration.TryParseIstio(text, out value, out _);
        if (!parsed)
        {
            Error(node!, $"'{text}' is not a duration: write 00:00:05 or 5s, 100ms, 1m30s");
            return null;
        }

        if (value < TimeSpan.Zero)
        {
            Error(node!, $"must not be negative, got '{text}'");
            return null;
        }

        return value;
    }

    private List<string> StringList(ConfigNode? node)
    {
        var values = new List<string>();
        foreach (var item in List(node))
        {
            if (String(item) is { } value)
            {
                values.Add(value);
            }
            else if (item.Children.Count == 0)
            {
                Error(item, "must not be null");
            }
        }

        return values;
    }

    /// <summary>A JSON object of string values (labels, header values), in the order configuration lists them.</summary>
    private List<KeyValuePair<string, string>> StringMap(ConfigNode? node)
    {
        var values = new List<KeyValuePair<string, string>>();
        foreach (var entry in Map(node))
        {
            if (String(entry) is { } value)
            {
                values.Add(new(entry.Key, value));
            }
            else if (entry.Children.Count == 0)
            {
                Error(entry, "must not be null");
            }
        }

        return values;
    }

    /// <summary>One of <paramref name="names"/>, case-insensitive; the canonical spelling, or <see langword="null"/> (reported).</summary>
    private string? OneOf(ConfigNode? node, params ReadOnlySpan<string> names)
    {
        if (String(node) is not { } text)
        {
            return null;
        }

        foreach (var name in names)
        {
            if (string.Equals(name, text, StringComparison.OrdinalIgnoreCase))
            {
                return name;
            }
        }

        Error(node!, $"'{text}' is not {Describe(names)}");
        return null;
    }

    private static bool Contains(ReadOnlySpan<string> names, string name)
    {
        foreach (var candidate in names)
        {
            if (string.Equals(candidate, name, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    private static string Describe(ReadOnlySpan<string> names)
        => names.Length switch
        {
            0 => "no fields",
            1 => names[0],
            _ => $"one of {string.Join(", ", names[..^1].ToArray())} or {names[^1]}",
        };
}
