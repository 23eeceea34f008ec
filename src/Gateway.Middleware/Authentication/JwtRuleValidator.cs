namespace Gateway.Middleware.Authentication;

/// <summary>Checks the <c>jwtRules</c> of a configuration; called from the gateway's validator, every error collected.</summary>
internal static class JwtRuleValidator
{
    public static void Validate(IReadOnlyList<JwtRuleConfig> rules, List<string> errors)
    {
        var issuers = new HashSet<string>(StringComparer.Ordinal);
        foreach (var rule in rules)
        {
            var where = rule.Source.Length > 0 ? rule.Source : $"jwtRule '{rule.Issuer}'";
            if (string.IsNullOrWhiteSpace(rule.Issuer))
            {
                errors.Add($"{where}: issuer must not be empty");
            }
            else if (!issuers.Add(rule.Issuer))
            {
                // Istio lets two rules share an issuer only with disjoint token locations; one rule per issuer keeps
                // "which keys verify this token" unambiguous.
                errors.Add($"{where}: issuer '{rule.Issuer}' is already configured by another jwtRule");
            }

            if (rule.Jwks is not null && rule.JwksUri is not null)
            {
                errors.Add($"{where}: set either jwks or jwksUri, not both");
            }
            else if (rule.Jwks is not null)
            {
                if (!JwtKeySet.TryParse(rule.Jwks, allowSymmetric: true, out _, out var error))
                {
                    errors.Add($"{where}: jwks: {error}");
                }
            }
            else if (rule.JwksUri is null)
            {
                // Neither: the keys come from OIDC discovery (<issuer>/.well-known/openid-configuration), which needs
                // an issuer that is an absolute http or https URI.
                if (!string.IsNullOrWhiteSpace(rule.Issuer) && RemoteJwks.DiscoveryUriOf(rule.Issuer) is null)
                {
                    errors.Add($"{where}: jwks or jwksUri is required when the issuer '{rule.Issuer}' is not an absolute http or https URI (OIDC discovery)");
                }
            }
            else if (!Uri.TryCreate(rule.JwksUri, UriKind.Absolute, out var uri)
                || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps) || uri.Host.Length == 0)
            {
                errors.Add($"{where}: jwksUri '{rule.JwksUri}' must be an absolute http or https URI");
            }

            if (rule.Timeout <= TimeSpan.Zero)
            {
                errors.Add($"{where}: timeout must be positive, got {rule.Timeout}");
            }

            if (rule.RefreshInterval <= TimeSpan.Zero)
            {
                errors.Add($"{where}: refresh interval must be positive, got {rule.RefreshInterval}");
            }

            for (var i = 0; i < rule.FromHeaders.Count; i++)
            {
                if (string.IsNullOrWhiteSpace(rule.FromHeaders[i].Name))
                {
                    errors.Add($"{where}: fromHeaders[{i}].name must not be empty");
                }
            }

            ValidateNames(rule.FromParams, "fromParams", where, errors);
            ValidateNames(rule.FromCookies, "fromCookies", where, errors);
            for (var i = 0; i < rule.OutputClaimToHeaders.Count; i++)
            {
                var claim = rule.OutputClaimToHeaders[i];
                if (string.IsNullOrWhiteSpace(claim.Header) || !IsToken(claim.Header))
                {
                    errors.Add($"{where}: outputClaimToHeaders[{i}].header '{claim.Header}' is not a valid header name");
                }

                if (string.IsNullOrWhiteSpace(claim.Claim) || claim.Claim.Split('.').Any(p => p.Length == 0))
                {
                    errors.Add($"{where}: outputClaimToHeaders[{i}].claim '{claim.Claim}' must be a claim name or a dotted path a.b.c");
                }
            }

            if (rule.OutputPayloadToHeader is { } payloadHeader && (payloadHeader.Length == 0 || !IsToken(payloadHeader)))
            {
                errors.Add($"{where}: outputPayloadToHeader '{payloadHeader}' is not a valid header name");
            }
        }
    }

    /// <summary>What is legal but probably unintended: logged at load.</summary>
    public static IEnumerable<string> Warnings(IReadOnlyList<JwtRuleConfig> rules)
    {
        foreach (var rule in rules)
        {
            if (rule.Audiences.Count == 0)
            {
                var where = rule.Source.Length > 0 ? rule.Source : $"jwtRule '{rule.Issuer}'";
                yield return $"{where}: audiences is empty, so tokens of issuer '{rule.Issuer}' are accepted for any audience (Istio behaviour)";
            }
        }
    }

    private static void ValidateNames(IReadOnlyList<string> names, string field, string where, List<string> errors)
    {
        for (var i = 0; i < names.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(names[i]))
            {
                errors.Add($"{where}: {field}[{i}] must not be empty");
            }
        }
    }

    // RFC 9110 §5.1 field-name = token.
    private static bool IsToken(string name)
        => name.All(c => c < 127 && c > 32 && "()<>@,;:\\\"/[]?={}".IndexOf(c, StringComparison.Ordinal) < 0);
}
