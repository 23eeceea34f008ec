using Gateway.Middleware.Upstreams;

namespace Gateway.Middleware.Tests.Upstreams;

/// <summary>
/// The upstream request URI: endpoint prefix, escaped path and raw query, sent as is; repeated targets reuse the
/// parsed <see cref="Uri"/> (a per-endpoint cache), which must never hand out another request's URI.
/// </summary>
public sealed class UpstreamEndpointTargetTests
{
    private readonly UpstreamEndpoint _endpoint = new(new Uri("http://10.0.0.7:9080"));

    [Theory]
    [InlineData("/", null, "http://10.0.0.7:9080/")]
    [InlineData("/reviews/1", "", "http://10.0.0.7:9080/reviews/1")]
    [InlineData("/a%2Fb/..%2Fc", "?x=%2e&y", "http://10.0.0.7:9080/a%2Fb/..%2Fc?x=%2e&y")]
    [InlineData("/a//b/./c", "?q=1", "http://10.0.0.7:9080/a//b/./c?q=1")]
    public void TargetUri_IsPrefixPathAndQueryUnchanged(string path, string? query, string expected)
    {
        var uri = _endpoint.TargetUri(path, query);

        Assert.Equal(expected, uri.OriginalString);
        Assert.Equal(path + query, uri.PathAndQuery);
    }

    [Fact]
    public void TargetUri_RepeatedTarget_ReusesTheParsedUri()
    {
        var first = _endpoint.TargetUri("/productpage", "?u=normal");

        Assert.Same(first, _endpoint.TargetUri("/productpage", "?u=normal"));
    }

    [Fact]
    public void TargetUri_ManyDistinctTargets_EachGetsItsOwnUri()
    {
        // More targets than cache slots, with paths that differ only in their query or by a prefix of one another:
        // whichever slot they share, a lookup never returns a URI for another target.
        for (var round = 0; round < 3; round++)
        {
            for (var i = 0; i < 100; i++)
            {
                var path = "/items/" + i;
                Assert.Equal("http://10.0.0.7:9080" + path, _endpoint.TargetUri(path, null).OriginalString);
                Assert.Equal("http://10.0.0.7:9080" + path + "?v=" + i, _endpoint.TargetUri(path, "?v=" + i).OriginalString);
                Assert.Equal("http://10.0.0.7:9080" + path + "/", _endpoint.TargetUri(path + "/", null).OriginalString);
            }
        }
    }

    [Fact]
    public void TargetUri_LongTarget_IsNotCached()
    {
        var path = "/" + new string('a', 300);

        var first = _endpoint.TargetUri(path, null);
        var second = _endpoint.TargetUri(path, null);

        Assert.Equal(first.OriginalString, second.OriginalString);
        Assert.NotSame(first, second);
    }

    [Fact]
    public void TargetUri_EndpointsDoNotShareTargets()
    {
        var other = new UpstreamEndpoint(new Uri("http://10.0.0.8:9080"));

        Assert.Equal("http://10.0.0.7:9080/x", _endpoint.TargetUri("/x", null).OriginalString);
        Assert.Equal("http://10.0.0.8:9080/x", other.TargetUri("/x", null).OriginalString);
    }
}
