using Gateway.Middleware.Configuration.Yaml;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Primitives;

namespace Gateway.Middleware.Configuration.Sources;

/// <summary>Istio / Gateway API YAML from a file or a folder of <c>*.yaml</c>/<c>*.yml</c>, optionally watched.</summary>
internal sealed class YamlConfigSource : IGatewayConfigSource, IDisposable
{
    private readonly string _path;
    private readonly PhysicalFileProvider? _files;
    private readonly string _filter;

    public YamlConfigSource(string path, bool watch)
    {
        _path = Path.GetFullPath(path);
        Name = "yaml:" + _path;
        if (!watch)
        {
            _filter = "";
            return;
        }

        var isFolder = Directory.Exists(_path);
        var root = isFolder ? _path : Path.GetDirectoryName(_path)!;
        _files = new PhysicalFileProvider(root);
        _filter = isFolder ? "**/*" : Path.GetFileName(_path);
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

    public IChangeToken? Watch() => _files?.Watch(_filter);

    public void Dispose() => _files?.Dispose();

    private static GatewayConfig Empty { get; } = new([], []);
}
