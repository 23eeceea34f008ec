namespace Gateway.Middleware.Authentication;

/// <summary>Istio <c>JWTHeader</c>: the token is the header's value after the exact <paramref name="Prefix"/>.</summary>
internal sealed record JwtHeaderLocation(string Name, string Prefix);
