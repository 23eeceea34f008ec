namespace Gateway.Middleware.Configuration.Sources;

/// <summary>What one source produced: its part of the model, and its own errors and warnings.</summary>
internal sealed record ConfigSourceResult(GatewayConfig Config, IReadOnlyList<string> Errors, IReadOnlyList<string> Warnings);
