namespace Gateway.Middleware.Authentication;

/// <summary>Why a token was refused; the texts are Envoy's (jwt_verify_lib <c>getStatusString</c>).</summary>
internal enum JwtStatus
{
    Ok,
    Missing,
    MultipleTokens,
    TooLarge,
    BadFormat,
    HeaderBadBase64,
    HeaderBadJson,
    HeaderBadAlg,
    HeaderNotImplementedAlg,
    HeaderBadKid,
    HeaderUnknownCrit,
    PayloadBadBase64,
    PayloadBadJson,
    SignatureBadBase64,
    UnknownIssuer,
    MissingExp,
    Expired,
    NotYetValid,
    AudienceNotAllowed,
    KidAlgMismatch,
    NoValidKeys,
    VerificationFail,
}
