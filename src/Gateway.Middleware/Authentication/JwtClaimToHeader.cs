namespace Gateway.Middleware.Authentication;

/// <summary>Istio <c>ClaimToHeader</c>: a claim (nested with <c>a.b.c</c>) copied into a request header.</summary>
internal sealed record JwtClaimToHeader(string Header, string Claim);
