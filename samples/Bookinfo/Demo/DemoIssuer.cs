using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Bookinfo.Demo;

/// <summary>
/// The demo token issuer: an ES256 key minted at start-up, its JWKS (given inline to the gateway's JWT rule, as
/// Istio's <c>jwtRules[].jwks</c>) and tokens signed with it.
/// </summary>
public sealed class DemoIssuer : IDisposable
{
    /// <summary>The issuer (<c>iss</c>) of the demo tokens.</summary>
    public const string Issuer = "https://auth.bookinfo.example.com";

    /// <summary>The audience (<c>aud</c>) the gateway requires.</summary>
    public const string Audience = "bookinfo";

    private const string KeyId = "bookinfo-demo";
    private readonly ECDsa _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    /// <summary>The JWKS document with the public key.</summary>
    public string Jwks
    {
        get
        {
            var parameters = _key.ExportParameters(includePrivateParameters: false);
            return JsonSerializer.Serialize(new
            {
                keys = new[]
                {
                    new
                    {
                        kty = "EC",
                        crv = "P-256",
                        alg = "ES256",
                        use = "sig",
                        kid = KeyId,
                        x = Base64Url(parameters.Q.X!),
                        y = Base64Url(parameters.Q.Y!),
                    },
                },
            });
        }
    }

    /// <summary>
    /// A token for <paramref name="subject"/> valid for <paramref name="lifetime"/>, with the demo issuer and
    /// <paramref name="audience"/> (default <see cref="Audience"/>).
    /// </summary>
    public string CreateToken(string subject, TimeSpan lifetime, string audience = Audience)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var header = JsonSerializer.SerializeToUtf8Bytes(new { alg = "ES256", typ = "JWT", kid = KeyId });
        var payload = JsonSerializer.SerializeToUtf8Bytes(new
        {
            iss = Issuer,
            sub = subject,
            aud = audience,
            iat = now,
            exp = now + (long)lifetime.TotalSeconds,
        });
        var signingInput = Base64Url(header) + "." + Base64Url(payload);
        // JWS ES256 signatures are the raw r || s (IEEE P1363), .NET's default for ECDsa.
        var signature = _key.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256);
        return signingInput + "." + Base64Url(signature);
    }

    /// <inheritdoc />
    public void Dispose() => _key.Dispose();

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
