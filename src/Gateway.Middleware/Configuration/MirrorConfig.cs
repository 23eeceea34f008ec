namespace Gateway.Middleware.Configuration;

/// <summary>Istio <c>mirror</c>/<c>mirrors</c>: a copy of the request, fire and forget.</summary>
internal sealed record MirrorConfig(DestinationConfig Destination, double Percentage = 100);
