using System.Net;
using Gateway.Middleware.Authentication;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.Tokens;
using static Gateway.Middleware.Tests.Authentication.JwtAuthenticatorFactory;

namespace Gateway.Middleware.Tests.Authentication;

/// <summary>
/// Issue #5 "JWKS": refresh interval (Istio's 20 minutes), last good set kept on failure, unknown kid → at most
/// one refetch per 5 minutes, rotation without a restart, fail closed with no keys, never a hang.
/// </summary>
public sealed class JwksCacheTests : IDisposable
{
    private static readonly Uri JwksUri = new("https://issuer.example.com/jwks.json");

    private readonly TestJwtIssuer _issuer = new();
    private readonly FakeTimeProvider _time = Clock();
    private readonly FakeJwksServer _server = new();

    public void Dispose() => _issuer.Dispose();

    [Fact]
    public async Task Validate_ColdCacheFetchFails_FailsClosed()
    {
        _server.Fail = true;
        var auth = Remote(out _);

        var result = await auth.ValidateAsync(_issuer.Token(Now));

        Assert.Equal(JwtStatus.NoValidKeys, result.Status);
        Assert.Equal(401, JwtStatusText.StatusCode(result.Status));
    }

    [Fact]
    public async Task Validate_ColdCache_FetchesOnceThenValidates()
    {
        _server.Json = _issuer.Jwks();
        var auth = Remote(out _);

        Assert.Equal(JwtStatus.Ok, (await auth.ValidateAsync(_issuer.Token(Now))).Status);
        Assert.Equal(1, _server.Requests);
    }

    [Fact]
    public async Task Refresh_FailsAfterGoodFetch_LastGoodSetKept()
    {
        _server.Json = _issuer.Jwks();
        var auth = Remote(out var jwks);
        await jwks.FetchAsync();
        _server.Fail = true;

        _time.Advance(JwtRuleConfig.DefaultRefreshInterval);
        await jwks.LastFetch;

        Assert.Equal(2, _server.Requests);
        Assert.Equal(JwtStatus.Ok, (await auth.ValidateAsync(_issuer.Token(Now))).Status);
    }

    [Fact]
    public async Task Refresh_InvalidDocument_LastGoodSetKept()
    {
        _server.Json = _issuer.Jwks();
        var auth = Remote(out var jwks);
        await jwks.FetchAsync();
        _server.Json = "{\"keys\": []}";

        await jwks.FetchAsync();

        Assert.Equal(JwtStatus.Ok, (await auth.ValidateAsync(_issuer.Token(Now))).Status);
    }

    [Fact]
    public async Task Refresh_AfterInterval_RotatedKeysUsedWithoutRestart()
    {
        using var next = new TestJwtIssuer(rsaKid: "rsa-1", ecKid: "ec-2");
        _server.Json = _issuer.Jwks();
        var auth = Remote(out var jwks);
        await jwks.FetchAsync();
        var oldToken = _issuer.Token(Now);
        Assert.Equal(JwtStatus.Ok, (await auth.ValidateAsync(oldToken)).Status);

        // Same kid, new key: only the periodic refresh can notice.
        _server.Json = next.Jwks();
        _time.Advance(JwtRuleConfig.DefaultRefreshInterval - TimeSpan.FromSeconds(1));
        Assert.Equal(1, _server.Requests);
        _time.Advance(TimeSpan.FromSeconds(1));
        await jwks.LastFetch;

        Assert.Equal(JwtStatus.Ok, (await auth.ValidateAsync(next.Token(Now))).Status);

        // The cached validation of the old token is dropped with the key set it was made with.
        Assert.False(auth.TryGetCached(oldToken, out _));
        Assert.Equal(JwtStatus.VerificationFail, (await auth.ValidateAsync(oldToken)).Status);
    }

    [Fact]
    public async Task Validate_UnknownKid_RefetchesAtMostOncePer5Minutes()
    {
        using var rotated = new TestJwtIssuer(rsaKid: "rsa-2");
        _server.Json = _issuer.Jwks();
        var auth = Remote(out var jwks);
        await jwks.FetchAsync();

        // A forged kid triggers one refetch; a second one within 5 minutes does not.
        Assert.Equal(JwtStatus.KidAlgMismatch, (await auth.ValidateAsync(rotated.Token(Now))).Status);
        Assert.Equal(2, _server.Requests);
        Assert.Equal(JwtStatus.KidAlgMismatch, (await auth.ValidateAsync(rotated.Token(Now, kid: "forged"))).Status);
        Assert.Equal(2, _server.Requests);

        // The issuer rotates: after the interval, the new kid is fetched on demand.
        _server.Json = TestJwtIssuer.JwksOf(_issuer.RsaJwk(), rotated.RsaJwk());
        _time.Advance(RemoteJwks.UnknownKidRefetchInterval);
        Assert.Equal(JwtStatus.Ok, (await auth.ValidateAsync(rotated.Token(Now))).Status);
        Assert.Equal(3, _server.Requests);
    }

    [Fact]
    public async Task Fetch_RemoteSymmetricKey_Ignored()
    {
        // An HMAC secret published over HTTP is no secret: only an inline jwks may configure one.
        var secret = System.Security.Cryptography.RandomNumberGenerator.GetBytes(32);
        _server.Json = TestJwtIssuer.JwksOf(new { kty = "oct", kid = "hmac", k = Base64UrlEncoder.Encode(secret) });
        var auth = Remote(out var jwks);
        await jwks.FetchAsync();
        var token = TestJwtIssuer.Craft(new { alg = "HS256", kid = "hmac" }, TestJwtIssuer.Claims(Now), data => System.Security.Cryptography.HMACSHA256.HashData(secret, data));

        Assert.Null(jwks.Current);
        Assert.Equal(JwtStatus.NoValidKeys, (await auth.ValidateAsync(token)).Status);
    }

    [Fact]
    public async Task Fetch_ServerNeverAnswers_TimesOutColdWithoutHanging()
    {
        _server.Hang = true;
        using var client = new HttpClient(_server) { Timeout = TimeSpan.FromMilliseconds(200) };
        using var jwks = new RemoteJwks(JwksUri, client, JwtRuleConfig.DefaultRefreshInterval, _time, NullLogger.Instance);

        var fetch = jwks.FetchAsync();
        var finished = await Task.WhenAny(fetch, Task.Delay(TimeSpan.FromSeconds(10)));

        Assert.Same(fetch, finished);
        Assert.Null(jwks.Current);
    }

    [Fact]
    public async Task Fetch_ConcurrentCallers_OneRequest()
    {
        _server.Json = _issuer.Jwks();
        _server.Delay = TimeSpan.FromMilliseconds(100);
        var auth = Remote(out _);

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => auth.ValidateAsync(_issuer.Token(Now)).AsTask()));

        Assert.All(results, r => Assert.Equal(JwtStatus.Ok, r.Status));
        Assert.Equal(1, _server.Requests);
    }

    [Theory]
    [InlineData("169.254.169.254", true)]
    [InlineData("169.254.0.1", true)]
    [InlineData("::ffff:169.254.169.254", true)]
    [InlineData("fe80::1", true)]
    [InlineData("fd00:ec2::254", true)]
    [InlineData("100.100.100.200", true)]
    [InlineData("127.0.0.1", false)]
    [InlineData("10.0.0.1", false)]
    [InlineData("::1", false)]
    public void IsForbidden_LinkLocalAndMetadata_Refused(string address, bool forbidden)
        => Assert.Equal(forbidden, JwksFetcher.IsForbidden(IPAddress.Parse(address)));

    [Fact]
    public async Task CreateClient_MetadataAddress_RefusedBeforeConnecting()
    {
        using var client = JwksFetcher.CreateClient(TimeSpan.FromSeconds(5));

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => client.GetStringAsync("http://169.254.169.254/latest/meta-data/"));

        Assert.Contains("link-local or metadata", error.ToString(), StringComparison.Ordinal);
    }

    private JwtAuthenticator Remote(out RemoteJwks jwks)
    {
        var provider = new JwksProvider(_time, null, timeout => new HttpClient(_server, disposeHandler: false) { Timeout = timeout });
        var auth = JwtRuleSet.Compile([new JwtRuleConfig(TestJwtIssuer.Issuer) { JwksUri = JwksUri.AbsoluteUri, Audiences = ["bookstore"] }], provider, _time);
        jwks = auth.Rules[0].Remote!;
        return auth;
    }

    /// <summary>Serves the JWKS from memory; counts requests; can fail, delay or never answer.</summary>
    private sealed class FakeJwksServer : HttpMessageHandler
    {
        private int _requests;

        public string Json { get; set; } = "{}";

        public bool Fail { get; set; }

        public bool Hang { get; set; }

        public TimeSpan Delay { get; set; }

        public int Requests => Volatile.Read(ref _requests);

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _requests);
            if (Hang)
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }

            if (Delay > TimeSpan.Zero)
            {
                await Task.Delay(Delay, cancellationToken);
            }

            return Fail
                ? new HttpResponseMessage(HttpStatusCode.ServiceUnavailable)
                : new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(Json) };
        }
    }
}
