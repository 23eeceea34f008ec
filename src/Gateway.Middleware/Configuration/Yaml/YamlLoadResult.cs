namespace Gateway.Middleware.Configuration.Yaml;

/// <summary>What a YAML load produced: the model, every error and warning, and the resources later issues map.</summary>
/// <param name="Config">The gateway model; only meaningful when <paramref name="Errors"/> is empty.</param>
/// <param name="Errors">Every error, each <c>file#doc Kind ns/name: field.path: message</c>.</param>
/// <param name="Warnings">Skipped kinds, resources not bound to the gateway, fields parsed but not applied.</param>
internal sealed record YamlLoadResult(GatewayConfig Config, IReadOnlyList<string> Errors, IReadOnlyList<string> Warnings)
{
    /// <summary>
    /// <c>security.istio.io</c> RequestAuthentication and AuthorizationPolicy resources, checked against their
    /// schema but not mapped yet (issue 5 maps them to JWT rules and policies).
    /// </summary>
    public IReadOnlyList<YamlResource> Policies { get; init; } = [];
}
