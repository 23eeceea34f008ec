using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace Gateway.Middleware.LoadTests.Harness;

/// <summary>An RS256 key made in-process: its public JWKS and one token, sent on every request (as real clients do).</summary>
internal sealed record JwtMaterial(string Jwks, string Token)
{
    public static JwtMaterial Create()
    {
        using var rsa = RSA.Create(2048);
        var key = rsa.ExportParameters(includePrivateParameters: false);
        var jwks = $$"""{"keys":[{"kty":"RSA","kid":"bench","use":"sig","alg":"RS256","n":"{{Base64Url.EncodeToString(key.Modulus)}}","e":"{{Base64Url.EncodeToString(key.Exponent)}}"}]}""";
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var header = Base64Url.EncodeToString("""{"alg":"RS256","typ":"JWT","kid":"bench"}"""u8);
        var payload = Base64Url.EncodeToString(Encoding.UTF8.GetBytes(
            $$"""{"iss":"{{Bench.Issuer}}","sub":"bench-user","aud":"{{Bench.Audience}}","iat":{{now}},"nbf":{{now - 60}},"exp":{{now + 86_400}}}"""));
        var signature = rsa.SignData(Encoding.ASCII.GetBytes(header + "." + payload), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return new JwtMaterial(jwks, header + "." + payload + "." + Base64Url.EncodeToString(signature));
    }
}
