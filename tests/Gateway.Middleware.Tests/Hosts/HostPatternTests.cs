using Gateway.Middleware.Hosts;

namespace Gateway.Middleware.Tests.Hosts;

/// <summary>Istio host rules: <c>*.suffix</c> matches one or more labels but never the apex.</summary>
public sealed class HostPatternTests
{
    [Theory]
    [InlineData("*.example.com", "a.example.com", true)]
    [InlineData("*.example.com", "a.b.example.com", true)]
    [InlineData("*.example.com", "example.com", false)]
    [InlineData("*.example.com", "aexample.com", false)]
    [InlineData("*.EXAMPLE.com", "A.example.COM", true)]
    [InlineData("example.com", "EXAMPLE.COM", true)]
    [InlineData("*", "anything.at.all", true)]
    public void Matches_IstioHostRules(string pattern, string host, bool expected)
    {
        Assert.True(HostPattern.TryParse(pattern, out var parsed, out _));
        Assert.Equal(expected, parsed.Matches(host));
    }

    /// <summary>A route's hosts are narrowed to what its server serves (Istio binds VirtualService hosts to Gateway hosts).</summary>
    [Theory]
    [InlineData("*", "*.example.com", "*.example.com")]
    [InlineData("*.example.com", "*", "*.example.com")]
    [InlineData("shop.example.com", "*.example.com", "shop.example.com")]
    [InlineData("*.example.com", "shop.example.com", "shop.example.com")]
    [InlineData("*.a.example.com", "*.example.com", "*.a.example.com")]
    [InlineData("*.example.com", "*.a.example.com", "*.a.example.com")]
    [InlineData("shop.example.com", "SHOP.example.com", "shop.example.com")]
    [InlineData("shop.example.com", "cart.example.com", null)]
    [InlineData("*.example.com", "*.example.org", null)]
    [InlineData("example.com", "*.example.com", null)]
    public void TryIntersect_RouteHostAndServerHost_MoreSpecificOrNone(string route, string server, string? expected)
    {
        Assert.True(HostPattern.TryParse(route, out var a, out _));
        Assert.True(HostPattern.TryParse(server, out var b, out _));

        var found = HostPattern.TryIntersect(a, b, out var intersection);

        Assert.Equal(expected is not null, found);
        if (expected is not null)
        {
            Assert.Equal(expected, intersection.ToString());
        }
    }

    [Theory]
    [InlineData("", "host must not be empty")]
    [InlineData("*.*.example.com", "only a leading '*.' is allowed")]
    [InlineData("a.*.com", "not a valid host name")]
    [InlineData("shop.example.com:443", "a host has no port")]
    [InlineData("bad host", "not a valid host name")]
    public void TryParse_InvalidHost_SaysWhy(string text, string reason)
    {
        Assert.False(HostPattern.TryParse(text, out _, out var error));
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }
}
