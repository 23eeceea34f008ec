using System.Security.Cryptography;
using System.Text;
using Gateway.Middleware.Authentication;
using Microsoft.IdentityModel.Tokens;
using static Gateway.Middleware.Tests.Authentication.JwtAuthenticatorFactory;

namespace Gateway.Middleware.Tests.Authentication;

/// <summary>
/// Issue #5 "Validation hardening" and DESIGN.md "Security defaults: JWT" — one test per bullet, with real RSA
/// and EC keys minted here (RFC 8725 JWT best current practices).
/// </summary>
public sealed class JwtValidationHardeningTests : IDisposable
{
    private readonly TestJwtIssuer _issuer = new();
    private readonly Microsoft.Extensions.Time.Testing.FakeTimeProvider _time = Clock();

    public void Dispose() => _issuer.Dispose();

    [Theory]
    [InlineData("RS256")]
    [InlineData("RS384")]
    [InlineData("RS512")]
    [InlineData("PS256")]
    [InlineData("PS384")]
    [InlineData("PS512")]
    [InlineData("ES256")]
    public async Task Validate_AllowListedAlgorithmMatchingKey_Ok(string alg)
    {
        var auth = Inline(_issuer, _time);

        var result = await auth.ValidateAsync(_issuer.Token(Now, alg));

        Assert.Equal(JwtStatus.Ok, result.Status);
        Assert.Equal("https://issuer.example.com/alice", result.Principal!.Name);
        Assert.Equal(["bookstore"], result.Principal.Audiences);
    }

    [Theory]
    [InlineData("none")]
    [InlineData("None")]
    [InlineData("NONE")]
    [InlineData("nOnE")]
    public async Task Validate_AlgNoneAnyCase_Rejected(string alg)
    {
        var auth = Inline(_issuer, _time);
        var unsigned = TestJwtIssuer.Craft(new { alg, kid = _issuer.RsaKid }, TestJwtIssuer.Claims(Now), _ => []);
        var withJunk = TestJwtIssuer.Craft(new { alg }, TestJwtIssuer.Claims(Now), _ => [1, 2, 3]);

        Assert.Equal(JwtStatus.HeaderNotImplementedAlg, (await auth.ValidateAsync(unsigned)).Status);
        Assert.Equal(JwtStatus.HeaderNotImplementedAlg, (await auth.ValidateAsync(withJunk)).Status);
        Assert.Equal(401, JwtStatusText.StatusCode(JwtStatus.HeaderNotImplementedAlg));
    }

    [Theory]
    [InlineData("HS256")]
    [InlineData("HS512")]
    public async Task Validate_HmacSignedWithRsaPublicKey_Rejected(string alg)
    {
        // The classic key-confusion attack: the RSA public key (PEM, DER or modulus) used as an HMAC secret.
        var auth = Inline(_issuer, _time);
        var pem = Encoding.ASCII.GetBytes(_issuer.Rsa.ExportSubjectPublicKeyInfoPem());
        var der = _issuer.Rsa.ExportSubjectPublicKeyInfo();
        var modulus = _issuer.Rsa.ExportParameters(false).Modulus!;

        foreach (var secret in new[] { pem, der, modulus })
        {
            var forged = TestJwtIssuer.Craft(new { alg, kid = _issuer.RsaKid }, TestJwtIssuer.Claims(Now), data => alg == "HS256" ? HMACSHA256.HashData(secret, data) : HMACSHA512.HashData(secret, data));

            var result = await auth.ValidateAsync(forged);

            Assert.Equal(JwtStatus.KidAlgMismatch, result.Status);
            Assert.Null(result.Principal);
        }
    }

    [Fact]
    public async Task Validate_HmacWithInlineSymmetricKey_Ok()
    {
        var secret = RandomNumberGenerator.GetBytes(32);
        var jwks = TestJwtIssuer.JwksOf(new { kty = "oct", kid = "hmac", k = Base64UrlEncoder.Encode(secret) });
        var auth = Inline(_issuer, _time, jwks: jwks);
        var token = TestJwtIssuer.Craft(new { alg = "HS256", kid = "hmac" }, TestJwtIssuer.Claims(Now), data => HMACSHA256.HashData(secret, data));

        Assert.Equal(JwtStatus.Ok, (await auth.ValidateAsync(token)).Status);
    }

    [Fact]
    public async Task Validate_AlgOfOtherKeyType_Rejected()
    {
        // An RSA signature labelled ES256 (and the reverse) never reaches a key of the other type.
        var auth = Inline(_issuer, _time);
        var rsaAsEs = TestJwtIssuer.Craft(new { alg = "ES256", kid = _issuer.RsaKid }, TestJwtIssuer.Claims(Now), data => _issuer.Rsa.SignData(data, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
        var ecAsRs = TestJwtIssuer.Craft(new { alg = "RS256", kid = _issuer.EcKid }, TestJwtIssuer.Claims(Now), data => _issuer.EC.SignData(data, HashAlgorithmName.SHA256));

        Assert.Equal(JwtStatus.KidAlgMismatch, (await auth.ValidateAsync(rsaAsEs)).Status);
        Assert.Equal(JwtStatus.KidAlgMismatch, (await auth.ValidateAsync(ecAsRs)).Status);
    }

    [Fact]
    public async Task Validate_KeyPinnedToOtherAlg_Rejected()
    {
        var p = _issuer.Rsa.ExportParameters(false);
        var jwks = TestJwtIssuer.JwksOf(new { kty = "RSA", kid = _issuer.RsaKid, alg = "PS256", n = Base64UrlEncoder.Encode(p.Modulus), e = Base64UrlEncoder.Encode(p.Exponent) });
        var auth = Inline(_issuer, _time, jwks: jwks);

        Assert.Equal(JwtStatus.KidAlgMismatch, (await auth.ValidateAsync(_issuer.Token(Now, "RS256"))).Status);
        Assert.Equal(JwtStatus.Ok, (await auth.ValidateAsync(_issuer.Token(Now, "PS256"))).Status);
    }

    [Theory]
    [InlineData("jwk")]
    [InlineData("jku")]
    [InlineData("x5u")]
    [InlineData("x5c")]
    public async Task Validate_KeyCarryingHeaders_NeverUsed(string header)
    {
        // The attacker signs with their own key and points at it from the header (RFC 8725 §3.10 / CVE-2018-0114).
        using var attacker = RSA.Create(2048);
        var p = attacker.ExportParameters(false);
        object value = header switch
        {
            "jwk" => new { kty = "RSA", n = Base64UrlEncoder.Encode(p.Modulus), e = Base64UrlEncoder.Encode(p.Exponent) },
            "x5c" => new[] { Convert.ToBase64String(attacker.ExportSubjectPublicKeyInfo()) },
            _ => "https://attacker.example/jwks.json",
        };
        var headerJson = new Dictionary<string, object> { ["alg"] = "RS256", ["kid"] = _issuer.RsaKid, [header] = value };
        var forged = TestJwtIssuer.Craft(headerJson, TestJwtIssuer.Claims(Now), data => attacker.SignData(data, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
        var auth = Inline(_issuer, _time);

        Assert.Equal(JwtStatus.VerificationFail, (await auth.ValidateAsync(forged)).Status);
    }

    [Fact]
    public async Task Validate_UnknownCrit_Rejected()
    {
        // RFC 7515 §4.1.11.
        var auth = Inline(_issuer, _time);
        var header = new Dictionary<string, object> { ["alg"] = "RS256", ["kid"] = _issuer.RsaKid, ["crit"] = new[] { "exp" }, ["exp"] = 1 };
        var token = TestJwtIssuer.Craft(header, TestJwtIssuer.Claims(Now), data => _issuer.Rsa.SignData(data, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));

        var result = await auth.ValidateAsync(token);

        Assert.Equal(JwtStatus.HeaderUnknownCrit, result.Status);
        Assert.Equal("Jwt verification fails", JwtStatusText.For(result.Status));
    }

    [Fact]
    public async Task Validate_NoExp_Rejected()
    {
        var auth = Inline(_issuer, _time);

        var result = await auth.ValidateAsync(_issuer.Token(Now, claims: c => c.Remove("exp")));

        Assert.Equal(JwtStatus.MissingExp, result.Status);
        Assert.Equal(401, JwtStatusText.StatusCode(result.Status));
    }

    [Fact]
    public async Task Validate_NoExpWithRequireExpirationOff_AcceptedAndCachedBriefly()
    {
        var auth = Inline(_issuer, _time, rule => rule with { RequireExpiration = false });
        var token = _issuer.Token(Now, claims: c => c.Remove("exp"));

        Assert.Equal(JwtStatus.Ok, (await auth.ValidateAsync(token)).Status);
        Assert.Equal(JwtStatus.Ok, (await auth.ValidateAsync(token)).Status);
    }

    [Fact]
    public async Task Validate_NonNumericExpWithRequireExpirationOff_StillRejected()
    {
        var auth = Inline(_issuer, _time, rule => rule with { RequireExpiration = false });

        var result = await auth.ValidateAsync(_issuer.Token(Now, claims: c => c["exp"] = "tomorrow"));

        Assert.Equal(JwtStatus.MissingExp, result.Status);
    }

    [Theory]
    [InlineData(-59, nameof(JwtStatus.Ok))]
    [InlineData(-61, nameof(JwtStatus.Expired))]
    [InlineData(-3600, nameof(JwtStatus.Expired))]
    public async Task Validate_Exp_ClockSkew60Seconds(int expOffsetSeconds, string expectedStatus)
    {
        var expected = Enum.Parse<JwtStatus>(expectedStatus);
        var auth = Inline(_issuer, _time);
        var token = _issuer.Token(Now, claims: c => c["exp"] = Now.AddSeconds(expOffsetSeconds).ToUnixTimeSeconds());

        var result = await auth.ValidateAsync(token);

        Assert.Equal(expected, result.Status);
        if (expected == JwtStatus.Expired)
        {
            Assert.Equal("Jwt is expired", JwtStatusText.For(result.Status));
        }
    }

    [Theory]
    [InlineData(59, nameof(JwtStatus.Ok))]
    [InlineData(61, nameof(JwtStatus.NotYetValid))]
    public async Task Validate_Nbf_ClockSkew60Seconds(int nbfOffsetSeconds, string expectedStatus)
    {
        var expected = Enum.Parse<JwtStatus>(expectedStatus);
        var auth = Inline(_issuer, _time);
        var token = _issuer.Token(Now, claims: c => c["nbf"] = Now.AddSeconds(nbfOffsetSeconds).ToUnixTimeSeconds());

        Assert.Equal(expected, (await auth.ValidateAsync(token)).Status);
        Assert.Equal("Jwt not yet valid", JwtStatusText.For(JwtStatus.NotYetValid));
    }

    [Fact]
    public async Task Validate_ES256AllZeroSignature_Rejected()
    {
        // CVE-2022-21449 ("psychic signatures"): r = s = 0 must never verify.
        var auth = Inline(_issuer, _time);
        var token = TestJwtIssuer.Craft(new { alg = "ES256", kid = _issuer.EcKid }, TestJwtIssuer.Claims(Now), _ => new byte[64]);

        Assert.Equal(JwtStatus.VerificationFail, (await auth.ValidateAsync(token)).Status);
    }

    [Fact]
    public async Task Validate_TamperedPayload_VerificationFails()
    {
        var auth = Inline(_issuer, _time);
        var parts = _issuer.Token(Now).Split('.');
        var claims = TestJwtIssuer.Claims(Now);
        claims["sub"] = "admin";
        var tampered = parts[0] + "." + Base64UrlEncoder.Encode(System.Text.Json.JsonSerializer.Serialize(claims)) + "." + parts[2];

        var result = await auth.ValidateAsync(tampered);

        Assert.Equal(JwtStatus.VerificationFail, result.Status);
        Assert.Equal("Jwt verification fails", JwtStatusText.For(result.Status));
    }

    [Fact]
    public async Task Validate_SignedByOtherKeyWithSameKid_VerificationFails()
    {
        using var other = new TestJwtIssuer();
        var auth = Inline(_issuer, _time);

        Assert.Equal(JwtStatus.VerificationFail, (await auth.ValidateAsync(other.Token(Now))).Status);
    }

    [Theory]
    [InlineData("abc.def", nameof(JwtStatus.BadFormat))]
    [InlineData("abc", nameof(JwtStatus.BadFormat))]
    [InlineData("a.b.c.d", nameof(JwtStatus.BadFormat))]
    [InlineData(".payload.sig", nameof(JwtStatus.BadFormat))]
    [InlineData("ey*J.eyJ9.c2ln", nameof(JwtStatus.HeaderBadBase64))]
    [InlineData("eyJhbGciOiJSUzI1NiJ9=.eyJ9.c2ln", nameof(JwtStatus.HeaderBadBase64))]
    [InlineData("e+J/.eyJ9.c2ln", nameof(JwtStatus.HeaderBadBase64))]
    [InlineData("bm90IGpzb24.eyJ9.c2ln", nameof(JwtStatus.HeaderBadJson))]
    [InlineData("eyJraWQiOiJ4In0.eyJ9.c2ln", nameof(JwtStatus.HeaderBadAlg))]
    [InlineData("eyJhbGciOjF9.eyJ9.c2ln", nameof(JwtStatus.HeaderBadAlg))]
    [InlineData("eyJhbGciOiJSUzI1NiIsImtpZCI6MX0.eyJ9.c2ln", nameof(JwtStatus.HeaderBadKid))]
    [InlineData("eyJhbGciOiJSUzI1NiJ9.%%%.c2ln", nameof(JwtStatus.PayloadBadBase64))]
    [InlineData("eyJhbGciOiJSUzI1NiJ9..c2ln", nameof(JwtStatus.PayloadBadBase64))]
    [InlineData("eyJhbGciOiJSUzI1NiJ9.bm90IGpzb24.c2ln", nameof(JwtStatus.PayloadBadJson))]
    public async Task Validate_MalformedToken_RejectedWithEnvoyStatus(string token, string expectedStatus)
    {
        var expected = Enum.Parse<JwtStatus>(expectedStatus);
        var auth = Inline(_issuer, _time);

        var result = await auth.ValidateAsync(token);

        Assert.Equal(expected, result.Status);
        Assert.Equal(401, JwtStatusText.StatusCode(result.Status));
    }

    [Fact]
    public async Task Validate_EmptyOrBadSignature_Rejected()
    {
        var auth = Inline(_issuer, _time);
        var parts = _issuer.Token(Now).Split('.');

        Assert.Equal(JwtStatus.VerificationFail, (await auth.ValidateAsync(parts[0] + "." + parts[1] + ".")).Status);
        Assert.Equal(JwtStatus.SignatureBadBase64, (await auth.ValidateAsync(parts[0] + "." + parts[1] + ".!!")).Status);
    }

    [Fact]
    public async Task Validate_OversizedToken_RejectedBeforeDecoding()
    {
        var auth = Inline(_issuer, _time);
        var huge = "eyJhbGciOiJSUzI1NiJ9." + new string('A', JwtAuthenticator.MaxTokenLength) + ".c2ln";

        var pending = auth.ValidateAsync(huge);

        // Completed synchronously, before any base64 or JSON work.
        Assert.True(pending.IsCompletedSuccessfully);
        Assert.Equal(JwtStatus.TooLarge, (await pending).Status);
    }

    [Fact]
    public async Task Validate_UnknownIssuer_IssuerNotConfigured()
    {
        var auth = Inline(_issuer, _time);

        var result = await auth.ValidateAsync(_issuer.Token(Now, issuer: "https://other.example.com"));

        Assert.Equal(JwtStatus.UnknownIssuer, result.Status);
        Assert.Equal("Jwt issuer is not configured", JwtStatusText.For(result.Status));
    }

    [Fact]
    public async Task Validate_AudienceNotAllowed_403()
    {
        var auth = Inline(_issuer, _time);

        var result = await auth.ValidateAsync(_issuer.Token(Now, claims: c => c["aud"] = "other"));

        Assert.Equal(JwtStatus.AudienceNotAllowed, result.Status);
        Assert.Equal(403, JwtStatusText.StatusCode(result.Status));
        Assert.Equal("Audiences in Jwt are not allowed", JwtStatusText.For(result.Status));
    }

    [Fact]
    public async Task Validate_AudienceArrayWithOneAllowed_Ok()
    {
        var auth = Inline(_issuer, _time);

        var result = await auth.ValidateAsync(_issuer.Token(Now, claims: c => c["aud"] = new[] { "other", "bookstore" }));

        Assert.Equal(JwtStatus.Ok, result.Status);
        Assert.Equal(["other", "bookstore"], result.Principal!.Audiences);
    }

    [Fact]
    public async Task Validate_EmptyAudiences_AnyAudienceAccepted()
    {
        var auth = Inline(_issuer, _time, r => r with { Audiences = [] });

        Assert.Equal(JwtStatus.Ok, (await auth.ValidateAsync(_issuer.Token(Now, claims: c => c["aud"] = "anything"))).Status);
        Assert.Equal(JwtStatus.Ok, (await auth.ValidateAsync(_issuer.Token(Now, claims: c => c.Remove("aud")))).Status);
    }

    [Fact]
    public async Task Validate_Principal_CarriesClaimsAndPresenter()
    {
        var auth = Inline(_issuer, _time);

        var result = await auth.ValidateAsync(_issuer.Token(Now, claims: c => { c["azp"] = "web"; c["groups"] = new[] { "admins" }; }));

        Assert.Equal("web", result.Principal!.Presenter);
        Assert.Equal("admins", result.Principal.Claims.GetProperty("groups")[0].GetString());
        Assert.Equal("alice", result.Principal.Subject);
    }
}
