namespace Gateway.Middleware.Configuration.Yaml;

/// <summary>
/// Loads Istio (<c>networking.istio.io</c>, <c>security.istio.io</c>) and Gateway API
/// (<c>gateway.networking.k8s.io</c>) YAML into the same <see cref="GatewayConfig"/> the fluent builder
/// produces. Every error is collected, none stops the load; the result is unusable when there is any.
/// </summary>
internal static class IstioYaml
{
    /// <summary>
    /// Loads files already read, in the order given; each may hold several <c>---</c> documents.
    /// </summary>
    /// <param name="files">File names (used in messages) and their text.</param>
    /// <param name="validateModel">
    /// Also run the model validator on the result and append its errors (they name the YAML resource and
    /// field too). Pass <see langword="false"/> when the model is merged with other sources and validated later.
    /// </param>
    /// <param name="baseDirectory">
    /// The folder relative file paths in the YAML (certificates, keys, CA bundles) resolve against; null: the
    /// folder of each file's name as given.
    /// </param>
    public static YamlLoadResult Load(IEnumerable<(string Path, string Text)> files, bool validateModel = true, string? baseDirectory = null)
    {
        ArgumentNullException.ThrowIfNull(files);
        var diagnostics = new YamlDiagnostics();
        var resources = YamlDocumentReader.Read(files, diagnostics);
        var builder = new YamlModelBuilder(resources, diagnostics) { BaseDirectory = baseDirectory };
        var config = builder.Build();
        var errors = new List<string>(diagnostics.Errors);
        if (validateModel)
        {
            var known = new HashSet<string>(errors, StringComparer.Ordinal);
            foreach (var error in GatewayConfigValidator.Validate(config))
            {
                // The loader checks some rules at their exact YAML path with the validator's wording; keep one.
                if (known.Add(error))
                {
                    errors.Add(error);
                }
            }
        }

        return new YamlLoadResult(config, errors, diagnostics.Warnings);
    }

    /// <summary>Loads a file, or every <c>*.yaml</c> and <c>*.yml</c> file of a folder (not recursive) in name order.</summary>
    public static YamlLoadResult LoadPath(string path, bool validateModel = true) => Load(ReadPath(path), validateModel, BaseDirectoryOf(path));

    /// <summary>The folder relative paths inside the YAML at <paramref name="path"/> resolve against: the folder itself, or the file's folder.</summary>
    public static string BaseDirectoryOf(string path)
    {
        var full = Path.GetFullPath(path);
        return Directory.Exists(full) ? full : Path.GetDirectoryName(full)!;
    }

    /// <summary>Reads a file, or a folder's <c>*.yaml</c>/<c>*.yml</c> files sorted by name (ordinal); names are given relative to the folder.</summary>
    public static IReadOnlyList<(string Path, string Text)> ReadPath(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (File.Exists(path))
        {
            return [(path, File.ReadAllText(path))];
        }

        if (!Directory.Exists(path))
        {
            throw new FileNotFoundException($"No YAML file or folder at '{path}'.", path);
        }

        var names = new List<string>();
        foreach (var file in Directory.EnumerateFiles(path))
        {
            if (file.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || file.EndsWith(".yml", StringComparison.OrdinalIgnoreCase))
            {
                names.Add(file);
            }
        }

        names.Sort(StringComparer.Ordinal);
        var files = new List<(string, string)>(names.Count);
        foreach (var file in names)
        {
            files.Add((Path.GetFileName(file), File.ReadAllText(file)));
        }

        return files;
    }
}
