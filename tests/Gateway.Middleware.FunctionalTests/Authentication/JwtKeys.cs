using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Gateway.Middleware.FunctionalTests.Authentication;

/// <summary>An issuer's RSA or EC P-256 key minted for the test; tokens signed with <see cref="JsonWebTokenHandler"/>.</summary>
public sealed class JwtKeys : IDisposable
{
    public const string Issuer = "https://accounts.example.com";

    private static readonly JsonWebTokenHandler Handler = new() { SetDefaultTimesOnTokenCreation = false };
    private readonly RSA? _rsa;
    private readonly ECDsa? _ec;

    private JwtKeys(string kid, RSA? rsa, ECDsa? ec)
    {
        Kid = kid;
        _rsa = rsa;
        _ec = ec;
    }

    public string Kid { get; }

    public static JwtKeys Rsa(string kid) => new(kid, RSA.Create(2048), null);

    public static JwtKeys EC(string kid) => new(kid, null, ECDsa.Create(ECCurve.NamedCurves.nistP256));

    public static string Jwks(params JwtKeys[] keys) => JsonSerializer.Serialize(new { keys = keys.Select(k => k.Jwk()).ToArray() });

    public object Jwk()
    {
        if (_rsa is not null)
        {
            var p = _rsa.ExportParameters(false);
            return new { kty = "RSA", kid = Kid, n = Base64UrlEncoder.Encode(p.Modulus), e = Base64UrlEncoder.Encode(p.Exponent) };
        }

        var q = _ec!.ExportParameters(false).Q;
        return new { kty = "EC", kid = Kid, crv = "P-256", x = Base64UrlEncoder.Encode(q.X), y = Base64UrlEncoder.Encode(q.Y) };
    }

    public string Token(Action<Dictionary<string, object>>? claims = null)
    {
        var payload = new Dictionary<string, object>
        {
            ["iss"] = Issuer,
            ["sub"] = "alice",
            ["aud"] = "bookstore",
            ["exp"] = DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds(),
            ["email"] = "alice@example.com",
        };
        claims?.Invoke(payload);
        SecurityKey key = _rsa is not null ? new RsaSecurityKey(_rsa) { KeyId = Kid } : new ECDsaSecurityKey(_ec) { KeyId = Kid };
        return Handler.CreateToken(JsonSerializer.Serialize(payload), new SigningCredentials(key, _rsa is not null ? "RS256" : "ES256"));
    }

    public void Dispose()
    {
        _rsa?.Dispose();
        _ec?.Dispose();
    }
}
