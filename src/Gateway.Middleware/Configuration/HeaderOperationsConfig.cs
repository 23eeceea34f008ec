namespace Gateway.Middleware.Configuration;

/// <summary>Istio <c>Headers.HeaderOperations</c>: set (overwrite), add (append) and remove.</summary>
internal sealed record HeaderOperationsConfig
{
    public IReadOnlyList<KeyValuePair<string, string>> Set { get; init; } = [];

    public IReadOnlyList<KeyValuePair<string, string>> Add { get; init; } = [];

    public IReadOnlyList<string> Remove { get; init; } = [];
}
