using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Gateway.Middleware.Testing;

/// <summary>
/// A JWT issuer for tests: a signing key minted in memory, tokens with the claims you choose, and its JWKS, inline
/// (<see cref="Jwks"/>, for a rule's <c>jwks</c>) or served over HTTP on real Kestrel
/// (<see cref="StartJwksEndpointAsync"/>, for a rule's <c>jwksUri</c>).
/// </summary>
public sealed partial class TestJwtIssuer : IAsyncDisposable
{
    private static readonly JsonWebTokenHandler Handler = new() { SetDefaultTimesOnTokenCreation = false };
    private readonly AsymmetricAlgorithm _key;
    private readonly SigningCredentials _credentials;
    private readonly TimeProvider _time;

    private TestJwtIssuer(string issuer, TestJwtAlgorithm algorithm, string keyId, TimeProvider time)
    {
        Issuer = issuer;
        Algorithm = algorithm;
        KeyId = keyId;
        _time = time;
        if (algorithm == TestJwtAlgorithm.ES256)
        {
            var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            _key = ec;
            _credentials = new SigningCredentials(new ECDsaSecurityKey(ec) { KeyId = keyId }, SecurityAlgorithms.EcdsaSha256);
        }
        else
        {
            var rsa = RSA.Create(2048);
            _key = rsa;
            _credentials = new SigningCredentials(new RsaSecurityKey(rsa) { KeyId = keyId }, SecurityAlgorithms.RsaSha256);
        }
    }

    /// <summary>The <c>iss</c> of its tokens, e.g. <c>https://issuer.test</c>.</summary>
    public string Issuer { get; }

    /// <summary>The signing algorithm.</summary>
    public TestJwtAlgorithm Algorithm { get; }

    /// <summary>The <c>kid</c> of its key, in the token header and the JWKS.</summary>
    public string KeyId { get; }

    /// <summary>The JWKS (<c>{"keys":[...]}</c>) with the public key only.</summary>
    public string Jwks => JsonSerializer.Serialize(new Dictionary<string, object> { ["keys"] = new[] { Jwk() } });

    /// <summary>Creates an issuer with a fresh key.</summary>
    /// <param name="issuer">The <c>iss</c>; default <c>https://issuer.test</c>.</param>
    /// <param name="algorithm">RS256 (default) or ES256.</param>
    /// <param name="keyId">The <c>kid</c>; default <c>test-key</c>.</param>
    /// <param name="timeProvider">The clock for <c>iat</c> and <c>exp</c>; default the system clock.</param>
    /// <returns>The issuer.</returns>
    public static TestJwtIssuer Create(string issuer = "https://issuer.test", TestJwtAlgorithm algorithm = TestJwtAlgorithm.RS256, string keyId = "test-key", TimeProvider? timeProvider = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(issuer);
        ArgumentException.ThrowIfNullOrEmpty(keyId);
        return new TestJwtIssuer(issuer, algorithm, keyId, timeProvider ?? TimeProvider.System);
    }

    /// <summary>
    /// A signed token with <c>iss</c>, <c>sub</c>, <c>iat</c> and <c>exp</c> (now + <paramref name="lifetime"/>),
    /// <c>aud</c> when given, and <paramref name="claims"/> (which may replace any of those; a <see langword="null"/>
    /// value removes the claim, e.g. <c>["exp"] = null</c>).
    /// </summary>
    /// <param name="subject">The <c>sub</c>; default <c>alice</c>.</param>
    /// <param name="audience">The <c>aud</c>; default none.</param>
    /// <param name="claims">More claims: strings, numbers, booleans, arrays or nested dictionaries.</param>
    /// <param name="lifetime">Until <c>exp</c>; default one hour. Negative for an expired token.</param>
    /// <returns>The compact JWS (<c>header.payload.signature</c>).</returns>
    public string CreateToken(string subject = "alice", string? audience = null, IReadOnlyDictionary<string, object?>? claims = null, TimeSpan? lifetime = null)
    {
        var now = _time.GetUtcNow();
        var payload = new Dictionary<string, object?>
        {
            ["iss"] = Issuer,
            ["sub"] = subject,
            ["iat"] = now.ToUnixTimeSeconds(),
            ["exp"] = (now + (lifetime ?? TimeSpan.FromHours(1))).ToUnixTimeSeconds(),
        };
        if (audience is not null)
        {
            payload["aud"] = audience;
        }

        if (claims is not null)
        {
            foreach (var (name, value) in claims)
            {
                payload[name] = value;
            }
        }

        return CreateTokenWithPayload(payload);
    }

    /// <summary>A signed token with exactly <paramref name="payload"/> (no claim added; <see langword="null"/> values dropped).</summary>
    /// <param name="payload">The claims.</param>
    /// <returns>The compact JWS.</returns>
    public string CreateTokenWithPayload(IReadOnlyDictionary<string, object?> payload)
    {
        ArgumentNullException.ThrowIfNull(payload);
        var claims = new Dictionary<string, object>();
        foreach (var (name, value) in payload)
        {
            if (value is not null)
            {
                claims[name] = value;
            }
        }

        return Handler.CreateToken(JsonSerializer.Serialize(claims), _credentials);
    }

    private Dictionary<string, string> Jwk()
    {
        var algorithm = Algorithm == TestJwtAlgorithm.ES256 ? "ES256" : "RS256";
        if (_key is RSA rsa)
        {
            var p = rsa.ExportParameters(false);
            return new() { ["kty"] = "RSA", ["kid"] = KeyId, ["alg"] = algorithm, ["use"] = "sig", ["n"] = Base64UrlEncoder.Encode(p.Modulus), ["e"] = Base64UrlEncoder.Encode(p.Exponent) };
        }

        var q = ((ECDsa)_key).ExportParameters(false).Q;
        return new() { ["kty"] = "EC", ["kid"] = KeyId, ["alg"] = algorithm, ["use"] = "sig", ["crv"] = "P-256", ["x"] = Base64UrlEncoder.Encode(q.X), ["y"] = Base64UrlEncoder.Encode(q.Y) };
    }
}
