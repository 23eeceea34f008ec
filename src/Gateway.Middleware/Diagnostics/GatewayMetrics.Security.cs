using Gateway.Middleware.Authentication;

namespace Gateway.Middleware.Diagnostics;

internal sealed partial class GatewayMetrics
{
    /// <summary>A request carried no token while RequestAuthentication rules apply (authorization decides).</summary>
    public void JwtMissing()
    {
        if (_jwtOutcomes.Enabled)
        {
            _jwtOutcomes.Add(1, new KeyValuePair<string, object?>(MetricTags.JwtOutcome, "missing"));
        }
    }

    /// <summary>A token was validated (<see cref="JwtStatus.Ok"/>) or refused with <paramref name="status"/>.</summary>
    public void JwtValidated(JwtStatus status)
    {
        if (!_jwtOutcomes.Enabled)
        {
            return;
        }

        if (status == JwtStatus.Ok)
        {
            _jwtOutcomes.Add(1, new KeyValuePair<string, object?>(MetricTags.JwtOutcome, "ok"));
            return;
        }

        _jwtOutcomes.Add(
            1,
            new KeyValuePair<string, object?>(MetricTags.JwtOutcome, "invalid"),
            new KeyValuePair<string, object?>(MetricTags.JwtReason, JwtReason(status)));
    }

    /// <summary>
    /// A request was denied by authorization: <paramref name="policy"/> is the DENY policy that matched, or
    /// <see langword="null"/> when ALLOW policies exist and none matched.
    /// </summary>
    public void AuthorizationDenied(string? policy)
    {
        if (!_denials.Enabled)
        {
            return;
        }

        if (policy is null)
        {
            _denials.Add(1, new KeyValuePair<string, object?>(MetricTags.AuthorizationAction, "no_allow_match"));
            return;
        }

        _denials.Add(
            1,
            new KeyValuePair<string, object?>(MetricTags.AuthorizationAction, "deny"),
            new KeyValuePair<string, object?>(MetricTags.AuthorizationPolicy, policy));
    }

    /// <summary>The bounded reason of a refused token (Envoy's jwt_authn statuses, grouped).</summary>
    internal static string JwtReason(JwtStatus status) => status switch
    {
        JwtStatus.Expired => "expired",
        JwtStatus.NotYetValid => "not_yet_valid",
        JwtStatus.MissingExp => "missing_exp",
        JwtStatus.VerificationFail => "signature",
        JwtStatus.UnknownIssuer => "issuer",
        JwtStatus.AudienceNotAllowed => "audience",
        JwtStatus.HeaderBadKid or JwtStatus.KidAlgMismatch => "kid",
        JwtStatus.HeaderBadAlg or JwtStatus.HeaderNotImplementedAlg => "algorithm",
        JwtStatus.HeaderUnknownCrit => "crit",
        JwtStatus.NoValidKeys => "no_keys",
        JwtStatus.MultipleTokens => "multiple_tokens",
        _ => "malformed",
    };
}
