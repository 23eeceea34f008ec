using Gateway.Middleware.Configuration.Yaml;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Primitives;

namespace Gateway.Middleware.Configuration.Sources;

/// <summary>Istio / Gateway API YAML from a file or a folder of <c>*.yaml</c>/<c>*.yml</c>, optionally watched.</summary>
internal sealed class YamlConfigSource : IGatewayConfigSource, IDisposable
{
    private readonly string _path;
    private readonly PhysicalFileProvider? _files;
    private readonly string[] _filters;

    public YamlConfigSource(string path, bool watch)
    {
        _path = Path.GetFullPath(path);
        Name = "yaml:" + _path;
        if (!watch)
        {
            _filters = [];
            return;
        }

        var isFolder = Directory.Exists(_path);
        var root = isFolder ? _path : Path.GetDirectoryName(_path)!;
        _files = new PhysicalFileProvider(root);
        _filters = isFolder ? ["**/*"] : FileFilters(_path);
    }

    public string Name { get; }

    public ConfigSourceResult Load()
    {
        IReadOnlyList<(string Path, string Text)> files;
        try
        {
            files = IstioYaml.ReadPath(_path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return new ConfigSourceResult(Empty, [$"{_path}: cannot read: {ex.Message}"], []);
        }

        // The merged model is validated once by the provider, so the loader checks only YAML-level rules.
        var result = IstioYaml.Load(files, validateModel: false, IstioYaml.BaseDirectoryOf(_path));
        return new ConfigSourceResult(result.Config, result.Errors, result.Warnings);
    }

    public IChangeToken? Watch()
    {
        if (_files is null)
        {
            return null;
        }

        if (_filters.Length == 1)
        {
            return _files.Watch(_filters[0]);
        }

        var tokens = new IChangeToken[_filters.Length];
        for (var i = 0; i < _filters.Length; i++)
        {
            tokens[i] = _files.Watch(_filters[i]);
        }

        return new CompositeChangeToken(tokens);
    }

    public void Dispose() => _files?.Dispose();

    /// <summary>
    /// The file, and the path its symlink points to when that stays below the file's folder. A Kubernetes ConfigMap
    /// volume links each key to <c>..data/&lt;key&gt;</c> and updates by renaming a new <c>..data</c> symlink over
    /// the old one (the kubelet's atomic writer): the key's own link never changes, only what <c>..data/&lt;key&gt;</c>
    /// resolves to.
    /// </summary>
    private static string[] FileFilters(string path)
    {
        var name = Path.GetFileName(path);
        var target = new FileInfo(path).LinkTarget;
        if (target is null || Path.IsPathRooted(target))
        {
            return [name];
        }

        var relative = Path.GetRelativePath(Path.GetDirectoryName(path)!, Path.GetFullPath(target, Path.GetDirectoryName(path)!));
        return relative == ".." || relative.StartsWith(".." + Path.DirectorySeparatorChar, StringComparison.Ordinal) || relative == name
            ? [name]
            : [name, relative.Replace(Path.DirectorySeparatorChar, '/')];
    }

    private static GatewayConfig Empty { get; } = new([], []);
}
