namespace Gateway.Middleware.Configuration;

/// <summary>One endpoint of a service.</summary>
/// <param name="Address">Where to dial: <c>http://host:port</c> or <c>https://host:port</c>.</param>
internal sealed record EndpointConfig(string Address)
{
    /// <summary>Labels subsets select on (e.g. <c>version: v1</c>).</summary>
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    /// <summary>The service port this endpoint serves; <see langword="null"/> serves every port of the service.</summary>
    public int? ServicePort { get; init; }
}
