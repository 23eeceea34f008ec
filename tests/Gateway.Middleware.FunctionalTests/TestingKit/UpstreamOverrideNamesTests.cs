using Gateway.Middleware.Configuration;

namespace Gateway.Middleware.FunctionalTests.TestingKit;

/// <summary>Which upstreams a GatewayUpstreamOverrideOptions redirect names (docs/testing.md, "Naming upstreams").</summary>
public sealed class UpstreamOverrideNamesTests
{
    [Theory]
    [InlineData("reviews", "reviews", true)] // an AddUpstream name
    [InlineData("Reviews", "reviews", true)] // case-insensitive, as host names
    [InlineData("reviews", "reviews.default.svc.cluster.local", true)] // Kubernetes short name, any namespace
    [InlineData("reviews", "reviews.bookinfo.svc.cluster.local", true)]
    [InlineData("reviews.default", "reviews.default.svc.cluster.local", true)]
    [InlineData("reviews.bookinfo", "reviews.default.svc.cluster.local", false)]
    [InlineData("reviews.default.svc.cluster.local", "reviews.default.svc.cluster.local", true)]
    [InlineData("reviews", "reviews.example.com", false)] // only cluster-local hosts have short names
    [InlineData("review", "reviews.default.svc.cluster.local", false)]
    [InlineData("store", "unresolved:Service shop/store", true)] // a Gateway API backend no ServiceEntry declares
    [InlineData("store.shop.svc.cluster.local", "unresolved:Service shop/store", true)]
    [InlineData("store", "unresolved:Service shop/other", false)]
    public void Names_ShortAndFullNames(string name, string upstream, bool expected)
        => Assert.Equal(expected, UpstreamOverrides.Names(name, upstream));
}
