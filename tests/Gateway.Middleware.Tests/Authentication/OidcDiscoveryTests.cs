using System.Net;
using System.Text.Json;
using Gateway.Middleware.Authentication;
using Microsoft.Extensions.Time.Testing;
using static Gateway.Middleware.Tests.Authentication.JwtAuthenticatorFactory;

namespace Gateway.Middleware.Tests.Authentication;

/// <summary>
/// Issue #5 "JWT rules": with neither jwks nor jwksUri, the keys come from
/// <c>&lt;issuer&gt;/.well-known/openid-configuration</c>'s <c>jwks_uri</c>; the document's issuer must be the
/// rule's; every failure fails closed (401) and is retried on the next refresh.
/// </summary>
public sealed class OidcDiscoveryTests : IDisposable
{
    private readonly TestJwtIssuer _issuer = new();
    private readonly FakeTimeProvider _time = Clock();
    private readonly FakeIssuerServer _server = new();

    public void Dispose() => _issuer.Dispose();

    [Fact]
    public async Task Validate_NeitherJwksNorJwksUri_KeysFoundThroughDiscovery()
    {
        _server.Jwks = _issuer.Jwks();
        var auth = Discovered(out var jwks);

        Assert.True(jwks.IsDiscovery);
        Assert.Equal("https://issuer.example.com/.well-known/openid-configuration", jwks.Uri.AbsoluteUri);
        Assert.Equal(JwtStatus.Ok, (await auth.ValidateAsync(_issuer.Token(Now))).Status);
        Assert.Equal(["/.well-known/openid-configuration", "/keys"], _server.Paths);
    }

    [Fact]
    public async Task Validate_IssuerWithTrailingSlash_DiscoveryUriWithoutDoubleSlash()
    {
        const string issuer = TestJwtIssuer.Issuer + "/";
        _server.Issuer = issuer;
        _server.Jwks = _issuer.Jwks();
        var auth = Discovered(out var jwks, issuer);

        Assert.Equal("https://issuer.example.com/.well-known/openid-configuration", jwks.Uri.AbsoluteUri);
        Assert.Equal(JwtStatus.Ok, (await auth.ValidateAsync(_issuer.Token(Now, issuer: issuer))).Status);
    }

    [Fact]
    public async Task Validate_DiscoveryIssuerMismatch_FailsClosedWithoutFetchingKeys()
    {
        _server.Issuer = "https://evil.example.com";
        _server.Jwks = _issuer.Jwks();
        var auth = Discovered(out var jwks);

        var result = await auth.ValidateAsync(_issuer.Token(Now));

        Assert.Equal(JwtStatus.NoValidKeys, result.Status);
        Assert.Equal(401, JwtStatusText.StatusCode(result.Status));
        Assert.Null(jwks.Current);
        Assert.DoesNotContain("/keys", _server.Paths);
    }

    [Theory]
    [InlineData("{\"issuer\":\"https://issuer.example.com\"}")]
    [InlineData("{\"issuer\":\"https://issuer.example.com\",\"jwks_uri\":\"/keys\"}")]
    [InlineData("{\"issuer\":\"https://issuer.example.com\",\"jwks_uri\":\"file:///etc/passwd\"}")]
    [InlineData("{\"issuer\":\"https://issuer.example.com\",\"jwks_uri\":42}")]
    [InlineData("{\"jwks_uri\":\"https://issuer.example.com/keys\"}")]
    [InlineData("[]")]
    [InlineData("not json")]
    public async Task Validate_BadDiscoveryDocument_FailsClosed(string document)
    {
        _server.Document = document;
        _server.Jwks = _issuer.Jwks();
        var auth = Discovered(out var jwks);

        Assert.Equal(JwtStatus.NoValidKeys, (await auth.ValidateAsync(_issuer.Token(Now))).Status);
        Assert.Null(jwks.Current);
    }

    [Fact]
    public async Task Refresh_DiscoveryDownCold_401ThenRecoversOnNextRefresh()
    {
        _server.Jwks = _issuer.Jwks();
        _server.DiscoveryDown = true;
        var auth = Discovered(out var jwks);

        Assert.Equal(JwtStatus.NoValidKeys, (await auth.ValidateAsync(_issuer.Token(Now))).Status);
        Assert.Null(jwks.Current);

        _server.DiscoveryDown = false;
        _time.Advance(JwtRuleConfig.DefaultRefreshInterval);
        await jwks.LastFetch;

        Assert.NotNull(jwks.Current);
        Assert.Equal(JwtStatus.Ok, (await auth.ValidateAsync(_issuer.Token(Now))).Status);
    }

    [Fact]
    public async Task Refresh_DiscoveryDownAfterGoodFetch_LastGoodSetKept()
    {
        _server.Jwks = _issuer.Jwks();
        var auth = Discovered(out var jwks);
        await jwks.FetchAsync();
        _server.DiscoveryDown = true;

        _time.Advance(JwtRuleConfig.DefaultRefreshInterval);
        await jwks.LastFetch;

        Assert.Equal(JwtStatus.Ok, (await auth.ValidateAsync(_issuer.Token(Now))).Status);
    }

    [Fact]
    public async Task Validate_UnknownKid_RediscoversAndRefetches()
    {
        using var rotated = new TestJwtIssuer(rsaKid: "rsa-2");
        _server.Jwks = _issuer.Jwks();
        var auth = Discovered(out var jwks);
        await jwks.FetchAsync();

        _server.Jwks = TestJwtIssuer.JwksOf(_issuer.RsaJwk(), rotated.RsaJwk());
        Assert.Equal(JwtStatus.Ok, (await auth.ValidateAsync(rotated.Token(Now))).Status);
        Assert.Equal(4, _server.Paths.Count);
    }

    [Fact]
    public void Provider_SameIssuer_OneCacheSeparateFromJwksUris()
    {
        using var provider = new JwksProvider(_time, null, timeout => new HttpClient(_server, disposeHandler: false) { Timeout = timeout });

        var a = provider.GetDiscovered(TestJwtIssuer.Issuer, TimeSpan.FromSeconds(5), JwtRuleConfig.DefaultRefreshInterval);
        var b = provider.GetDiscovered(TestJwtIssuer.Issuer, TimeSpan.FromSeconds(5), JwtRuleConfig.DefaultRefreshInterval);
        var byUri = provider.Get(new Uri("https://issuer.example.com/.well-known/openid-configuration"), TimeSpan.FromSeconds(5), JwtRuleConfig.DefaultRefreshInterval);

        Assert.Same(a, b);
        Assert.NotSame(a, byUri);
        Assert.False(byUri.IsDiscovery);
    }

    [Theory]
    [InlineData("https://issuer.example.com", "https://issuer.example.com/.well-known/openid-configuration")]
    [InlineData("https://issuer.example.com/", "https://issuer.example.com/.well-known/openid-configuration")]
    [InlineData("https://login.example.com/tenant/v2.0", "https://login.example.com/tenant/v2.0/.well-known/openid-configuration")]
    [InlineData("http://127.0.0.1:8080", "http://127.0.0.1:8080/.well-known/openid-configuration")]
    [InlineData("accounts.example.com", null)]
    [InlineData("ftp://issuer.example.com", null)]
    [InlineData("urn:example:issuer", null)]
    public void DiscoveryUriOf_OnlyAbsoluteHttpIssuers(string issuer, string? expected)
        => Assert.Equal(expected, RemoteJwks.DiscoveryUriOf(issuer)?.AbsoluteUri);

    private JwtAuthenticator Discovered(out RemoteJwks jwks, string issuer = TestJwtIssuer.Issuer)
    {
        var provider = new JwksProvider(_time, null, timeout => new HttpClient(_server, disposeHandler: false) { Timeout = timeout });
        var auth = JwtRuleSet.Compile([new JwtRuleConfig(issuer) { Audiences = ["bookstore"] }], provider, _time);
        jwks = auth.Rules[0].Remote!;
        return auth;
    }

    /// <summary>An issuer from memory: its discovery document (pointing at /keys) and its JWKS.</summary>
    private sealed class FakeIssuerServer : HttpMessageHandler
    {
        private readonly List<string> _paths = [];

        public string Issuer { get; set; } = TestJwtIssuer.Issuer;

        public string? Document { get; set; }

        public string Jwks { get; set; } = "{}";

        public bool DiscoveryDown { get; set; }

        public List<string> Paths
        {
            get
            {
                lock (_paths)
                {
                    return [.. _paths];
                }
            }
        }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var path = request.RequestUri!.AbsolutePath;
            lock (_paths)
            {
                _paths.Add(path);
            }

            var response = path switch
            {
                "/.well-known/openid-configuration" when DiscoveryDown => new HttpResponseMessage(HttpStatusCode.ServiceUnavailable),
                "/.well-known/openid-configuration" => Ok(Document ?? JsonSerializer.Serialize(new { issuer = Issuer, jwks_uri = "https://issuer.example.com/keys" })),
                "/keys" => Ok(Jwks),
                _ => new HttpResponseMessage(HttpStatusCode.NotFound),
            };
            return Task.FromResult(response);
        }

        private static HttpResponseMessage Ok(string json) => new(HttpStatusCode.OK) { Content = new StringContent(json) };
    }
}
