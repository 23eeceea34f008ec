namespace Gateway.Middleware.Configuration;

/// <summary>An Istio <c>StringMatch</c>, plus the Gateway API's segment-wise path prefix.</summary>
internal sealed record StringMatchConfig(StringMatchKind Kind, string Value);
