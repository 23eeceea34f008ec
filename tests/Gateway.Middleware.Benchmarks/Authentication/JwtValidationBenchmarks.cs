using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Gateway.Middleware.Authentication;
using Microsoft.IdentityModel.Tokens;

namespace Gateway.Middleware.Benchmarks.Authentication;

/// <summary>
/// The JWT stage's two paths: a token seen for the first time (parse, RS256/ES256 signature, claims) and a
/// token repeated by its client (one lookup in the validated-token cache; target: no allocation, under 1 µs).
/// </summary>
[MemoryDiagnoser]
public class JwtValidationBenchmarks
{
    private const string Issuer = "https://issuer.example.com";

    private RSA _rsa = null!;
    private ECDsa _ec = null!;
    private JwtAuthenticator _cached = null!;
    private JwtAuthenticator _uncached = null!;
    private string _rs256 = null!;
    private string _es256 = null!;

    [GlobalSetup]
    public void Setup()
    {
        _rsa = RSA.Create(2048);
        _ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var rsa = _rsa.ExportParameters(false);
        var ec = _ec.ExportParameters(false);
        var jwks = JsonSerializer.Serialize(new
        {
            keys = new object[]
            {
                new { kty = "RSA", kid = "rsa", n = Base64UrlEncoder.Encode(rsa.Modulus), e = Base64UrlEncoder.Encode(rsa.Exponent) },
                new { kty = "EC", kid = "ec", crv = "P-256", x = Base64UrlEncoder.Encode(ec.Q.X), y = Base64UrlEncoder.Encode(ec.Q.Y) },
            },
        });
        var rule = new JwtRuleConfig(Issuer) { Jwks = jwks, Audiences = ["bookstore"] };
        using var jwksProvider = new JwksProvider(TimeProvider.System, null);
        _cached = JwtRuleSet.Compile([rule], jwksProvider, TimeProvider.System);
        _uncached = new JwtAuthenticator(_cached.Rules, TimeProvider.System, cacheCapacity: 0);
        _rs256 = Sign("RS256", "rsa", data => _rsa.SignData(data, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
        _es256 = Sign("ES256", "ec", data => _ec.SignData(data, HashAlgorithmName.SHA256));
        if (_cached.ValidateAsync(_rs256).AsTask().Result.Status != JwtStatus.Ok || !_cached.TryGetCached(_rs256, out _))
        {
            throw new InvalidOperationException("setup: token not valid");
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _rsa.Dispose();
        _ec.Dispose();
    }

    [Benchmark(Baseline = true)]
    public bool CachedHit() => _cached.TryGetCached(_rs256.AsSpan(), out _);

    [Benchmark]
    public async Task<bool> ColdRS256() => (await _uncached.ValidateAsync(_rs256)).Status == JwtStatus.Ok;

    [Benchmark]
    public async Task<bool> ColdES256() => (await _uncached.ValidateAsync(_es256)).Status == JwtStatus.Ok;

    private static string Sign(string alg, string kid, Func<byte[], byte[]> sign)
    {
        var header = Base64UrlEncoder.Encode(JsonSerializer.Serialize(new { alg, kid, typ = "JWT" }));
        var payload = Base64UrlEncoder.Encode(JsonSerializer.Serialize(new
        {
            iss = Issuer,
            sub = "alice",
            aud = "bookstore",
            exp = DateTimeOffset.UtcNow.AddDays(1).ToUnixTimeSeconds(),
            groups = new[] { "readers" },
        }));
        var input = header + "." + payload;
        return input + "." + Base64UrlEncoder.Encode(sign(Encoding.ASCII.GetBytes(input)));
    }
}
