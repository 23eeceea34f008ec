namespace Gateway.Middleware.Authentication;

/// <summary>The body and status code Envoy's jwt_authn filter answers for each <see cref="JwtStatus"/>.</summary>
internal static class JwtStatusText
{
    public static string For(JwtStatus status) => status switch
    {
        JwtStatus.Missing => "Jwt is missing",
        JwtStatus.MultipleTokens => "Found multiple Jwt tokens",
        JwtStatus.BadFormat => "Jwt is not in the form of Header.Payload.Signature with two dots and 3 sections",
        JwtStatus.HeaderBadBase64 => "Jwt header is an invalid Base64url encoded",
        JwtStatus.HeaderBadJson => "Jwt header is an invalid JSON",
        JwtStatus.HeaderBadAlg => "Jwt header [alg] field is required and must be a string",
        JwtStatus.HeaderNotImplementedAlg => "Jwt header [alg] is not supported",
        JwtStatus.HeaderBadKid => "Jwt header [kid] field is not a string",
        JwtStatus.PayloadBadBase64 => "Jwt payload is an invalid Base64url encoded",
        JwtStatus.PayloadBadJson => "Jwt payload is an invalid JSON",
        JwtStatus.SignatureBadBase64 => "Jwt signature is an invalid Base64url encoded",
        JwtStatus.UnknownIssuer => "Jwt issuer is not configured",
        JwtStatus.Expired => "Jwt is expired",
        JwtStatus.NotYetValid => "Jwt not yet valid",
        JwtStatus.AudienceNotAllowed => "Audiences in Jwt are not allowed",
        JwtStatus.KidAlgMismatch => "Jwks doesn't have key to match kid or alg from Jwt",
        JwtStatus.NoValidKeys => "Jwks doesn't have any valid public key",

        // Too large, unknown crit and a missing exp have no Envoy status of their own (Envoy does not check
        // them); they are verification failures.
        _ => "Jwt verification fails",
    };

    /// <summary>403 for a disallowed audience, 401 for everything else (Envoy's jwt_authn filter).</summary>
    public static int StatusCode(JwtStatus status)
        => status == JwtStatus.AudienceNotAllowed ? 403 : 401;
}
