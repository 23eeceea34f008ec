using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Gateway.Middleware.Tests.Authentication;

/// <summary>An issuer with real RSA and EC P-256 keys minted for the test; signs with <see cref="JsonWebTokenHandler"/>.</summary>
internal sealed class TestJwtIssuer : IDisposable
{
    public const string Issuer = "https://issuer.example.com";

    private static readonly JsonWebTokenHandler Handler = new() { SetDefaultTimesOnTokenCreation = false };

    public TestJwtIssuer(string rsaKid = "rsa-1", string ecKid = "ec-1")
    {
        RsaKid = rsaKid;
        EcKid = ecKid;
    }

    public RSA Rsa { get; } = RSA.Create(2048);

    public ECDsa EC { get; } = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public string RsaKid { get; }

    public string EcKid { get; }

    /// <summary>A JWKS with the public halves of both keys.</summary>
    public string Jwks() => JwksOf(RsaJwk(), EcJwk());

    public static string JwksOf(params object[] keys) => JsonSerializer.Serialize(new { keys });

    public object RsaJwk()
    {
        var p = Rsa.ExportParameters(false);
        return new { kty = "RSA", kid = RsaKid, use = "sig", n = Base64UrlEncoder.Encode(p.Modulus), e = Base64UrlEncoder.Encode(p.Exponent) };
    }

    public object EcJwk()
    {
        var p = EC.ExportParameters(false);
        return new { kty = "EC", kid = EcKid, crv = "P-256", x = Base64UrlEncoder.Encode(p.Q.X), y = Base64UrlEncoder.Encode(p.Q.Y) };
    }

    /// <summary>A token from this issuer: <c>sub</c>, <c>aud</c> and <c>exp</c> one hour after <paramref name="now"/>.</summary>
    public string Token(DateTimeOffset now, string alg = "RS256", Action<Dictionary<string, object>>? claims = null, string? kid = null, string issuer = Issuer)
    {
        var payload = new Dictionary<string, object>
        {
            ["iss"] = issuer,
            ["sub"] = "alice",
            ["aud"] = "bookstore",
            ["exp"] = now.AddHours(1).ToUnixTimeSeconds(),
        };
        claims?.Invoke(payload);
        SecurityKey key = alg[0] == 'E'
            ? new ECDsaSecurityKey(EC) { KeyId = kid ?? EcKid }
            : new RsaSecurityKey(Rsa) { KeyId = kid ?? RsaKid };
        return Handler.CreateToken(JsonSerializer.Serialize(payload), new SigningCredentials(key, alg));
    }

    /// <summary>A hand-built token: any header, any payload, any signature.</summary>
    public static string Craft(object header, object payload, Func<byte[], byte[]> sign)
    {
        var signingInput = Base64UrlEncoder.Encode(JsonSerializer.Serialize(header)) + "." + Base64UrlEncoder.Encode(JsonSerializer.Serialize(payload));
        return signingInput + "." + Base64UrlEncoder.Encode(sign(Encoding.ASCII.GetBytes(signingInput)));
    }

    public static Dictionary<string, object> Claims(DateTimeOffset now) => new()
    {
        ["iss"] = Issuer,
        ["sub"] = "alice",
        ["aud"] = "bookstore",
        ["exp"] = now.AddHours(1).ToUnixTimeSeconds(),
    };

    public void Dispose()
    {
        Rsa.Dispose();
        EC.Dispose();
    }
}
