namespace Gateway.Middleware.Authentication;

/// <summary>The outcome of validating one token.</summary>
internal readonly record struct JwtResult(JwtStatus Status, JwtRule? Rule, JwtPrincipal? Principal, string? Payload)
{
    public static JwtResult Fail(JwtStatus status) => new(status, null, null, null);
}
