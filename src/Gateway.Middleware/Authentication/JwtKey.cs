using System.Security.Cryptography;

namespace Gateway.Middleware.Authentication;

/// <summary>
/// One usable verification key from a JWKS. The algorithm family is fixed by the key type, so a token can
/// never choose how its signature is checked (an RSA public key is never used as an HMAC secret).
/// </summary>
internal sealed class JwtKey
{
    private readonly RSA? _rsa;
    private readonly ECDsa? _ecdsa;
    private readonly byte[]? _secret;

    private JwtKey(string? kid, string? alg, RSA? rsa, ECDsa? ecdsa, string? curveAlg, byte[]? secret)
    {
        Kid = kid;
        Alg = alg;
        _rsa = rsa;
        _ecdsa = ecdsa;
        CurveAlg = curveAlg;
        _secret = secret;
    }

    public string? Kid { get; }

    /// <summary>The key's own <c>alg</c>, when the JWKS pins one.</summary>
    public string? Alg { get; }

    /// <summary>The one ES algorithm the key's curve allows (RFC 7518 §3.4).</summary>
    private string? CurveAlg { get; }

    public static JwtKey Rsa(string? kid, string? alg, RSA rsa) => new(kid, alg, rsa, null, null, null);

    public static JwtKey EC(string? kid, string? alg, ECDsa ecdsa, string curveAlg) => new(kid, alg, null, ecdsa, curveAlg, null);

    public static JwtKey Symmetric(string? kid, string? alg, byte[] secret) => new(kid, alg, null, null, null, secret);

    /// <summary>Whether the token's <paramref name="alg"/> (already on the allow-list) fits this key's type.</summary>
    public bool Fits(string alg)
    {
        if (Alg is not null && !string.Equals(Alg, alg, StringComparison.Ordinal))
        {
            return false;
        }

        return alg[0] switch
        {
            'R' or 'P' => _rsa is not null,
            'E' => _ecdsa is not null && string.Equals(CurveAlg, alg, StringComparison.Ordinal),
            'H' => _secret is not null,
            _ => false,
        };
    }

    public bool Verify(string alg, ReadOnlySpan<byte> signedData, ReadOnlySpan<byte> signature)
    {
        var hash = alg.AsSpan(2) switch
        {
            "256" => HashAlgorithmName.SHA256,
            "384" => HashAlgorithmName.SHA384,
            _ => HashAlgorithmName.SHA512,
        };

        switch (alg[0])
        {
            case 'R':
                return _rsa!.VerifyData(signedData, signature, hash, RSASignaturePadding.Pkcs1);
            case 'P':
                return _rsa!.VerifyData(signedData, signature, hash, RSASignaturePadding.Pss);
            case 'E':
                // RFC 7518 §3.4: R || S, fixed width. An all-zero R or S (CVE-2022-21449) fails the math check.
                return _ecdsa!.VerifyData(signedData, signature, hash, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
            case 'H':
                Span<byte> mac = stackalloc byte[64];
                var written = hash == HashAlgorithmName.SHA256 ? HMACSHA256.HashData(_secret, signedData, mac)
                    : hash == HashAlgorithmName.SHA384 ? HMACSHA384.HashData(_secret, signedData, mac)
                    : HMACSHA512.HashData(_secret, signedData, mac);
                return signature.Length == written && CryptographicOperations.FixedTimeEquals(mac[..written], signature);
            default:
                return false;
        }
    }
}
