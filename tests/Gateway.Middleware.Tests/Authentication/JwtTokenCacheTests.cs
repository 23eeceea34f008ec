using Gateway.Middleware.Authentication;
using static Gateway.Middleware.Tests.Authentication.JwtAuthenticatorFactory;

namespace Gateway.Middleware.Tests.Authentication;

/// <summary>Issue #5: a validated-token cache, bounded, keyed by the token, never used past <c>exp</c>.</summary>
public sealed class JwtTokenCacheTests : IDisposable
{
    private readonly TestJwtIssuer _issuer = new();
    private readonly Microsoft.Extensions.Time.Testing.FakeTimeProvider _time = Clock();

    public void Dispose() => _issuer.Dispose();

    [Fact]
    public async Task TryGetCached_RepeatedToken_SameResultWithoutRevalidation()
    {
        var auth = Inline(_issuer, _time);
        var token = _issuer.Token(Now);

        Assert.False(auth.TryGetCached(token, out _));
        var first = await auth.ValidateAsync(token);

        Assert.True(auth.TryGetCached(token.AsSpan(), out var cached));
        Assert.Same(first.Principal, cached.Principal);
    }

    [Fact]
    public async Task TryGetCached_PastExp_Miss()
    {
        var auth = Inline(_issuer, _time);
        var token = _issuer.Token(Now, claims: c => c["exp"] = Now.AddMinutes(5).ToUnixTimeSeconds());
        await auth.ValidateAsync(token);

        _time.Advance(TimeSpan.FromMinutes(5));

        Assert.False(auth.TryGetCached(token, out _));
        _time.Advance(TimeSpan.FromSeconds(61));
        Assert.Equal(JwtStatus.Expired, (await auth.ValidateAsync(token)).Status);
    }

    [Fact]
    public async Task ValidateAsync_FailedToken_NotCached()
    {
        var auth = Inline(_issuer, _time);
        var token = _issuer.Token(Now, claims: c => c["aud"] = "other");

        await auth.ValidateAsync(token);

        Assert.False(auth.TryGetCached(token, out _));
    }

    [Fact]
    public void Add_OverCapacity_StaysBounded()
    {
        var cache = new JwtTokenCache(capacity: 3);
        for (var i = 0; i < 10; i++)
        {
            cache.Add("token" + i, new JwtTokenCache.Entry(default, JwtKeySet.Empty, long.MaxValue));
            Assert.InRange(cache.Count, 1, 3);
        }
    }
}
