using YamlDotNet.RepresentationModel;

namespace Gateway.Middleware.Configuration.Yaml;

/// <summary>
/// One Kubernetes-style document of a YAML file (Istio or Gateway API resource), with where it came from
/// so every message can name it: <c>vs.yaml#2 VirtualService default/reviews</c>.
/// </summary>
internal sealed record YamlResource
{
    /// <summary>The file as given to the loader.</summary>
    public required string File { get; init; }

    /// <summary>1-based index of the document in its file.</summary>
    public required int Document { get; init; }

    /// <summary>API group, e.g. <c>networking.istio.io</c>; empty for the core group.</summary>
    public required string Group { get; init; }

    public required string Version { get; init; }

    public required string Kind { get; init; }

    /// <summary><c>metadata.namespace</c>; <c>default</c> when absent (as <c>kubectl apply</c> without <c>-n</c>).</summary>
    public required string Namespace { get; init; }

    public required string Name { get; init; }

    /// <summary><c>metadata.labels</c>.</summary>
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    /// <summary><c>spec</c>; an empty mapping when absent.</summary>
    public required YamlMappingNode Spec { get; init; }

    /// <summary>Position across all files and documents: the creation order when no timestamp is given.</summary>
    public required int LoadOrder { get; init; }

    /// <summary><c>metadata.creationTimestamp</c>, when given.</summary>
    public DateTimeOffset? CreationTimestamp { get; init; }

    /// <summary><c>namespace/name</c>.</summary>
    public string QualifiedName => $"{Namespace}/{Name}";

    /// <summary>The prefix of every message about this resource: <c>file#doc Kind ns/name</c>.</summary>
    public string Source => $"{File}#{Document} {Kind} {Namespace}/{Name}";

    /// <summary>Creation order for tie-breaks: older first; resources without a timestamp count as newer, in load order.</summary>
    public (long, int) CreationOrder => (CreationTimestamp?.UtcTicks ?? long.MaxValue, LoadOrder);
}
