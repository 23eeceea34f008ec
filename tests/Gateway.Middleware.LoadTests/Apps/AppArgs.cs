using System.Globalization;

namespace Gateway.Middleware.LoadTests.Apps;

/// <summary><c>--name value</c> pairs (a name without a value is <c>true</c>).</summary>
internal sealed class AppArgs
{
    private readonly Dictionary<string, string> _values;

    private AppArgs(Dictionary<string, string> values) => _values = values;

    public static AppArgs Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Length; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal))
            {
                throw new ArgumentException($"unexpected argument '{args[i]}'");
            }

            var name = args[i][2..];
            if (i + 1 < args.Length && !args[i + 1].StartsWith("--", StringComparison.Ordinal))
            {
                values[name] = args[++i];
            }
            else
            {
                values[name] = "true";
            }
        }

        return new AppArgs(values);
    }

    public string? Get(string name) => _values.TryGetValue(name, out var value) ? value : null;

    public string Required(string name) => Get(name) ?? throw new ArgumentException($"--{name} is required");

    public int Port(string name) => int.Parse(Required(name), CultureInfo.InvariantCulture);

    public int? OptionalPort(string name) => Get(name) is { } value ? int.Parse(value, CultureInfo.InvariantCulture) : null;
}
