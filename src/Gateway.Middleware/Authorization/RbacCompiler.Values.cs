using System.Globalization;

namespace Gateway.Middleware.Authorization;

internal static partial class RbacCompiler
{
    private static RbacStringPattern[] Patterns(IReadOnlyList<string> values, string where, List<string> errors)
    {
        var patterns = new RbacStringPattern[values.Count];
        for (var i = 0; i < patterns.Length; i++)
        {
            if (!RbacStringPattern.TryParse(values[i], out patterns[i], out var error))
            {
                errors.Add($"{where}[{i}]: {error}");
            }
        }

        return patterns;
    }

    private static RbacCidr[] Blocks(IReadOnlyList<string> values, string where, List<string> errors)
    {
        var blocks = new List<RbacCidr>(values.Count);
        for (var i = 0; i < values.Count; i++)
        {
            if (RbacCidr.TryParse(values[i] ?? "", out var block, out var error))
            {
                blocks.Add(block!);
            }
            else
            {
                errors.Add($"{where}[{i}]: {error}");
            }
        }

        return [.. blocks];
    }

    private static int[] Ports(IReadOnlyList<int> values, string where, List<string> errors)
    {
        var ports = new int[values.Count];
        for (var i = 0; i < ports.Length; i++)
        {
            ports[i] = values[i];
            if (values[i] is < 1 or > 65535)
            {
                errors.Add($"{where}[{i}]: port must be between 1 and 65535, got {values[i]}");
            }
        }

        return ports;
    }

    private static int[] Ports(IReadOnlyList<string> values, string where, List<string> errors)
    {
        var ports = new int[values.Count];
        for (var i = 0; i < ports.Length; i++)
        {
            if (!int.TryParse(values[i], NumberStyles.None, CultureInfo.InvariantCulture, out ports[i]) || ports[i] is < 1 or > 65535)
            {
                errors.Add($"{where}[{i}]: '{values[i]}' is not a port between 1 and 65535");
            }
        }

        return ports;
    }

    private static string[] Methods(IReadOnlyList<string> values, string where, List<string> errors)
    {
        var methods = new string[values.Count];
        for (var i = 0; i < methods.Length; i++)
        {
            methods[i] = values[i];
            if (string.IsNullOrWhiteSpace(values[i]))
            {
                errors.Add($"{where}[{i}]: method must not be empty");
            }
        }

        return methods;
    }

    private static RbacPathPattern[] Paths(IReadOnlyList<string> values, string where, List<string> errors)
    {
        var paths = new List<RbacPathPattern>(values.Count);
        for (var i = 0; i < values.Count; i++)
        {
            if (RbacPathPattern.TryParse(values[i] ?? "", out var pattern, out var error))
            {
                paths.Add(pattern!);
            }
            else
            {
                errors.Add($"{where}[{i}]: {error}");
            }
        }

        return [.. paths];
    }

    private static RbacHostMatcher Hosts(IReadOnlyList<string> values, string where, List<string> errors)
    {
        var withoutPort = new List<RbacStringPattern>();
        var withPort = new List<RbacStringPattern>();
        for (var i = 0; i < values.Count; i++)
        {
            var value = values[i] ?? "";
            if (!RbacStringPattern.TryParse(value, out var pattern, out var error))
            {
                errors.Add($"{where}[{i}]: {error}");
                continue;
            }

            var hasPort = !value.StartsWith('[') ? value.Contains(':', StringComparison.Ordinal) : value.Contains("]:", StringComparison.Ordinal);
            (hasPort ? withPort : withoutPort).Add(pattern);
        }

        return new RbacHostMatcher([.. withoutPort], [.. withPort]);
    }
}
