using System.Text.Json.Serialization;

namespace Gateway.Middleware.Testing;

/// <summary>The body a <see cref="FakeUpstream"/> answers by default.</summary>
internal sealed record DefaultAnswer(
    [property: JsonPropertyName("upstream")] string Upstream,
    [property: JsonPropertyName("subset")] string? Subset,
    [property: JsonPropertyName("path")] string Path);
