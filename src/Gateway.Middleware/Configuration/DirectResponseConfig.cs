namespace Gateway.Middleware.Configuration;

/// <summary>Istio <c>HTTPDirectResponse</c>: the gateway answers itself.</summary>
internal sealed record DirectResponseConfig(int Status, string? Body);
