using System.Globalization;
using Gateway.Middleware.Configuration.Yaml.Schema;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Gateway.Middleware.Configuration.Yaml;

/// <summary>
/// Splits files into documents, checks each against the shape of its kind (unknown fields and wrong types
/// are errors naming the field), skips unknown kinds with a warning and rejects duplicate resources.
/// </summary>
internal static class YamlDocumentReader
{
    private static readonly ObjectShape Envelope = YamlShape.Object(
        ("apiVersion", YamlShape.String),
        ("kind", YamlShape.String),
        ("metadata", KubernetesSchemas.Metadata),
        ("spec", YamlShape.Any),
        ("status", YamlShape.Any));

    public static List<YamlResource> Read(IEnumerable<(string Path, string Text)> files, YamlDiagnostics diagnostics)
    {
        var resources = new List<YamlResource>();
        var seen = new Dictionary<(string, string, string, string), YamlResource>();
        var order = 0;
        foreach (var (path, text) in files)
        {
            var stream = new YamlStream();
            var parser = new Parser(new StringReader(text));
            string? syntaxError = null;
            try
            {
                stream.Load(parser);
            }
            catch (YamlException ex)
            {
                syntaxError = string.Create(CultureInfo.InvariantCulture, $"line {ex.Start.Line}, column {ex.Start.Column}: {Message(ex)}");
            }
            catch (ArgumentException ex) when (ex.ParamName == "parser")
            {
                // YamlDotNet's document model refuses some event sequences the parser accepts (an alias where a
                // key or value is expected, "{a: b}*x") with an ArgumentException (found by Fuzzing/YamlLoaderFuzzTests).
                var mark = parser.Current?.Start;
                syntaxError = string.Create(CultureInfo.InvariantCulture, $"line {mark?.Line ?? 1}, column {mark?.Column ?? 1}: invalid YAML (unexpected alias or node)");
            }
            catch (InvalidOperationException)
            {
                // YamlDotNet's scanner gives up on some unterminated flow collections without a YamlException.
                var mark = parser.Current?.End;
                syntaxError = string.Create(CultureInfo.InvariantCulture, $"line {mark?.Line ?? 1}, column {mark?.Column ?? 1}: invalid YAML (unterminated flow collection or quote?)");
            }

            for (var i = 0; i < stream.Documents.Count; i++)
            {
                if (ReadDocument(path, i + 1, stream.Documents[i].RootNode, order++, diagnostics) is not { } resource)
                {
                    continue;
                }

                var key = (resource.Group, resource.Kind, resource.Namespace, resource.Name);
                if (seen.TryGetValue(key, out var first))
                {
                    diagnostics.Error(resource, "metadata.name", $"duplicate {resource.Kind} {resource.QualifiedName} (first declared in {first.File}#{first.Document})");
                    continue;
                }

                seen[key] = resource;
                resources.Add(resource);
            }

            if (syntaxError is not null)
            {
                // The parser cannot resynchronise after a syntax error: the documents before it are kept.
                diagnostics.Error(order++, string.Create(CultureInfo.InvariantCulture, $"{path}#{stream.Documents.Count + 1}: {syntaxError}"));
            }
        }

        return resources;
    }

    private static YamlResource? ReadDocument(string file, int index, YamlNode root, int loadOrder, YamlDiagnostics diagnostics)
    {
        var where = string.Create(CultureInfo.InvariantCulture, $"{file}#{index}");
        if (YamlNodes.IsNull(root))
        {
            return null;
        }

        if (root is not YamlMappingNode document)
        {
            diagnostics.Error(loadOrder, $"{where}: expected a resource (a mapping with apiVersion and kind)");
            return null;
        }

        var apiVersion = YamlNodes.String(document, "apiVersion");
        var kind = YamlNodes.String(document, "kind");
        if (string.IsNullOrEmpty(apiVersion) || string.IsNullOrEmpty(kind))
        {
            diagnostics.Error(loadOrder, $"{where}: apiVersion and kind are required");
            return null;
        }

        var slash = apiVersion.LastIndexOf('/');
        var group = slash < 0 ? "" : apiVersion[..slash];
        var version = slash < 0 ? apiVersion : apiVersion[(slash + 1)..];
        var metadata = YamlNodes.Map(document, "metadata");
        var name = YamlNodes.String(metadata, "name") ?? "";
        var ns = YamlNodes.String(metadata, "namespace") is { Length: > 0 } given ? given : "default";
        var specShape = YamlKinds.Find(group, version, kind);
        if (specShape is null)
        {
            diagnostics.Warning(loadOrder, $"{where} {kind} {ns}/{name}: skipped: the gateway does not read {kind} ({apiVersion})");
            return null;
        }

        var source = $"{where} {kind} {ns}/{name}";
        void Report(string path, string message) => diagnostics.Error(loadOrder, YamlDiagnostics.Format(source, path, message));

        Envelope.Check(document, "", Report);
        if (name.Length == 0)
        {
            Report("metadata.name", "required");
            return null;
        }

        var spec = YamlNodes.Get(document, "spec");
        YamlShape.CheckValue(specShape, spec, "spec", Report);
        DateTimeOffset? created = null;
        if (YamlNodes.String(metadata, "creationTimestamp") is { } timestamp)
        {
            if (DateTimeOffset.TryParse(timestamp, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
            {
                created = parsed;
            }
            else
            {
                Report("metadata.creationTimestamp", $"invalid timestamp '{timestamp}': expected RFC 3339, e.g. 2024-01-02T03:04:05Z");
            }
        }

        return new YamlResource
        {
            File = file,
            Document = index,
            Group = group,
            Version = version,
            Kind = kind,
            Namespace = ns,
            Name = name,
            Labels = YamlNodes.Labels(metadata, "labels"),
            Spec = spec as YamlMappingNode ?? new YamlMappingNode(),
            LoadOrder = loadOrder,
            CreationTimestamp = created,
        };
    }

    private static string Message(YamlException ex)
    {
        var message = ex.Message;
        var marker = message.IndexOf("): ", StringComparison.Ordinal);
        return message.StartsWith("(Line:", StringComparison.Ordinal) && marker > 0 ? message[(marker + 3)..] : message;
    }
}
