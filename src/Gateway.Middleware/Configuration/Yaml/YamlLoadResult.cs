namespace Gateway.Middleware.Configuration.Yaml;

/// <summary>What a YAML load produced: the model, and every error and warning.</summary>
/// <param name="Config">The gateway model; only meaningful when <paramref name="Errors"/> is empty.</param>
/// <param name="Errors">Every error, each <c>file#doc Kind ns/name: field.path: message</c>.</param>
/// <param name="Warnings">Skipped kinds, resources not bound to the gateway, fields parsed but not applied.</param>
internal sealed record YamlLoadResult(GatewayConfig Config, IReadOnlyList<string> Errors, IReadOnlyList<string> Warnings);
