using System.Security.Cryptography;
using Microsoft.IdentityModel.Tokens;

namespace Gateway.Middleware.Authentication;

/// <summary>
/// The usable keys of one JWKS document. Keys that cannot be used (unknown <c>kty</c>, RSA under 2048 bits,
/// a curve without a JOSE algorithm, <c>use</c> other than <c>sig</c>, an HMAC key from a remote JWKS) are
/// skipped, as Envoy skips them.
/// </summary>
internal sealed class JwtKeySet
{
    public static readonly JwtKeySet Empty = new([]);

    public JwtKeySet(IReadOnlyList<JwtKey> keys)
    {
        Keys = keys;
    }

    public IReadOnlyList<JwtKey> Keys { get; }

    public bool HasKid(string kid)
    {
        foreach (var key in Keys)
        {
            if (string.Equals(key.Kid, kid, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Parses a JWKS. <paramref name="allowSymmetric"/> only for a JWKS written into the configuration.</summary>
    public static bool TryParse(string json, bool allowSymmetric, out JwtKeySet keySet, out string? error)
    {
        keySet = Empty;
        error = null;
        JsonWebKeySet document;
        try
        {
            document = new JsonWebKeySet(json);
        }
        catch (ArgumentException ex)
        {
            error = "Jwks is an invalid JSON: " + ex.Message;
            return false;
        }

        var keys = new List<JwtKey>();
        foreach (var jwk in document.Keys)
        {
            if (jwk.Use is { Length: > 0 } use && use != "sig")
            {
                continue;
            }

            var key = TryCreate(jwk, allowSymmetric);
            if (key is not null)
            {
                keys.Add(key);
            }
        }

        if (keys.Count == 0)
        {
            error = "Jwks doesn't have any valid public key";
            return false;
        }

        keySet = new JwtKeySet(keys);
        return true;
    }

    private static JwtKey? TryCreate(JsonWebKey jwk, bool allowSymmetric)
    {
        var kid = string.IsNullOrEmpty(jwk.Kid) ? null : jwk.Kid;
        var alg = string.IsNullOrEmpty(jwk.Alg) ? null : jwk.Alg;
        try
        {
            switch (jwk.Kty)
            {
                case "RSA" when !string.IsNullOrEmpty(jwk.N) && !string.IsNullOrEmpty(jwk.E)
                    && (alg is null || alg.StartsWith("RS", StringComparison.Ordinal) || alg.StartsWith("PS", StringComparison.Ordinal)):
                    var rsa = RSA.Create(new RSAParameters { Modulus = Base64UrlEncoder.DecodeBytes(jwk.N), Exponent = Base64UrlEncoder.DecodeBytes(jwk.E) });
                    if (rsa.KeySize < 2048)
                    {
                        rsa.Dispose();
                        return null;
                    }

                    return JwtKey.Rsa(kid, alg, rsa);
                case "EC" when !string.IsNullOrEmpty(jwk.X) && !string.IsNullOrEmpty(jwk.Y):
                    var (curve, curveAlg) = jwk.Crv switch
                    {
                        "P-256" => (ECCurve.NamedCurves.nistP256, "ES256"),
                        "P-384" => (ECCurve.NamedCurves.nistP384, "ES384"),
                        "P-521" => (ECCurve.NamedCurves.nistP521, "ES512"),
                        _ => (default(ECCurve), null),
                    };
                    if (curveAlg is null || (alg is not null && alg != curveAlg))
                    {
                        return null;
                    }

                    var ecdsa = ECDsa.Create(new ECParameters
                    {
                        Curve = curve,
                        Q = new ECPoint { X = Base64UrlEncoder.DecodeBytes(jwk.X), Y = Base64UrlEncoder.DecodeBytes(jwk.Y) },
                    });
                    return JwtKey.EC(kid, alg, ecdsa, curveAlg);
                case "oct" when allowSymmetric && !string.IsNullOrEmpty(jwk.K)
                    && (alg is null || alg.StartsWith("HS", StringComparison.Ordinal)):
                    var secret = Base64UrlEncoder.DecodeBytes(jwk.K);
                    return secret.Length >= 32 ? JwtKey.Symmetric(kid, alg, secret) : null;
                default:
                    return null;
            }
        }
        catch (Exception ex) when (ex is CryptographicException or FormatException or ArgumentException)
        {
            return null;
        }
    }
}
