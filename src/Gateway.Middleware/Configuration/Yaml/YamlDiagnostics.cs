namespace Gateway.Middleware.Configuration.Yaml;

/// <summary>Collects every error and warning of a load, each prefixed with the resource and field it is about.</summary>
internal sealed class YamlDiagnostics
{
    private readonly List<string> _errors = [];
    private readonly List<string> _warnings = [];

    public IReadOnlyList<string> Errors => _errors;

    public IReadOnlyList<string> Warnings => _warnings;

    /// <summary>Adds <c>{source}: {path}: {message}</c>.</summary>
    public void Error(YamlResource resource, string path, string message) => _errors.Add(Format(resource.Source, path, message));

    public void Error(string message) => _errors.Add(message);

    public void Warning(YamlResource resource, string path, string message) => _warnings.Add(Format(resource.Source, path, message));

    public void Warning(string message) => _warnings.Add(message);

    public static string Format(string source, string path, string message)
        => path.Length == 0 ? $"{source}: {message}" : $"{source}: {path}: {message}";
}
