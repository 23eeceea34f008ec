namespace Gateway.Middleware.Configuration.Yaml;

/// <summary>
/// Collects every error and warning of a load, each prefixed with the resource and field it is about, and
/// lists them in document order (file by file, document by document) whichever pass found them.
/// </summary>
internal sealed class YamlDiagnostics
{
    private readonly List<(int Order, string Message)> _errors = [];
    private readonly List<(int Order, string Message)> _warnings = [];

    public int ErrorCount => _errors.Count;

    public IReadOnlyList<string> Errors => Sorted(_errors);

    public IReadOnlyList<string> Warnings => Sorted(_warnings);

    /// <summary>Adds <c>{source}: {path}: {message}</c>.</summary>
    public void Error(YamlResource resource, string path, string message) => _errors.Add((resource.LoadOrder, Format(resource.Source, path, message)));

    /// <summary>Adds a message about the document at position <paramref name="order"/> of the load.</summary>
    public void Error(int order, string message) => _errors.Add((order, message));

    public void Warning(YamlResource resource, string path, string message) => _warnings.Add((resource.LoadOrder, Format(resource.Source, path, message)));

    public void Warning(int order, string message) => _warnings.Add((order, message));

    public static string Format(string source, string path, string message)
        => path.Length == 0 ? $"{source}: {message}" : $"{source}: {path}: {message}";

    private static List<string> Sorted(List<(int Order, string Message)> entries)
    {
        var sorted = new List<(int Order, string Message)>(entries);
        // List.Sort is not stable: break ties by insertion order.
        var indexed = new List<(int Order, int Index, string Message)>(sorted.Count);
        for (var i = 0; i < sorted.Count; i++)
        {
            indexed.Add((sorted[i].Order, i, sorted[i].Message));
        }

        indexed.Sort(static (a, b) => a.Order != b.Order ? a.Order.CompareTo(b.Order) : a.Index.CompareTo(b.Index));
        var messages = new List<string>(indexed.Count);
        foreach (var entry in indexed)
        {
            messages.Add(entry.Message);
        }

        return messages;
    }
}
