using Gateway.Middleware.Configuration;
using Gateway.Middleware.Upstreams.LoadBalancing;
using Microsoft.AspNetCore.Http;

namespace Gateway.Middleware.Tests.Upstreams;

/// <summary>Istio <c>consistentHash</c> (Envoy ring hash): same key, same endpoint, on every replica.</summary>
public sealed class RingHashLoadBalancerTests
{
    private static readonly ConsistentHashConfig ByHeader = new() { HttpHeaderName = "x-user" };

    [Fact]
    public void Pick_SameKey_SameEndpointEveryTime()
    {
        var cluster = TestClusters.Create(5, TestClusters.Hash(ByHeader));
        var key = StableHash.Of("alice");

        var first = cluster.PickEndpointIndex(key);

        for (var i = 0; i < 50; i++)
        {
            Assert.Equal(first, cluster.PickEndpointIndex(key));
        }
    }

    [Fact]
    public void Pick_ManyKeys_SpreadOverEveryEndpoint()
    {
        var cluster = TestClusters.Create(4, TestClusters.Hash(ByHeader));
        var counts = new int[4];
        for (var i = 0; i < 4_000; i++)
        {
            counts[cluster.PickEndpointIndex(StableHash.Of($"user-{i}"))]++;
        }

        // 1024 ring points: each endpoint owns roughly a quarter of the ring.
        Assert.All(counts, count => Assert.InRange(count, 600, 1_400));
    }

    [Fact]
    public void Pick_TwoReplicas_AgreeOnEveryKey()
    {
        var a = TestClusters.Create(6, TestClusters.Hash(ByHeader));
        var b = TestClusters.Create(6, TestClusters.Hash(ByHeader));

        for (var i = 0; i < 500; i++)
        {
            var key = StableHash.Of($"session-{i}");
            Assert.Equal(a.PickEndpointIndex(key), b.PickEndpointIndex(key));
        }
    }

    [Fact]
    public void StableHash_IsFixedAcrossProcesses()
    {
        // Pinned values: string.GetHashCode would differ per process and break replica agreement.
        Assert.Equal(9582926351279798418UL, StableHash.Of("alice"));
    }

    [Fact]
    public void Pick_EjectedEndpoint_OnlyItsKeysMove()
    {
        var cluster = TestClusters.Create(4, TestClusters.Hash(ByHeader));
        var before = new int[2_000];
        for (var i = 0; i < before.Length; i++)
        {
            before[i] = cluster.PickEndpointIndex(StableHash.Of($"k{i}"));
        }

        LoadBalancerTests.Eject(cluster, 2);

        for (var i = 0; i < before.Length; i++)
        {
            var after = cluster.PickEndpointIndex(StableHash.Of($"k{i}"));
            if (before[i] == 2)
            {
                Assert.NotEqual(2, after);
            }
            else
            {
                Assert.Equal(before[i], after);
            }
        }
    }

    [Fact]
    public void Pick_MissingKey_RandomEndpoint()
    {
        var cluster = TestClusters.Create(3, TestClusters.Hash(ByHeader));

        var counts = TestClusters.Counts(cluster, 3_000, hash: null);

        Assert.All(counts, count => Assert.InRange(count, 700, 1_300));
    }

    [Fact]
    public void Ring_MinimumRingSize_PointsSplitOverEndpoints()
    {
        var cluster = TestClusters.Create(3, TestClusters.Hash(ByHeader with { MinimumRingSize = 64 }));

        Assert.Equal(66, Assert.IsType<RingHashLoadBalancer>(cluster.LoadBalancer).RingSize);
    }

    [Fact]
    public void Hash_Header_KeyIsTheHeaderValue_MissingHeaderNoKey()
    {
        var cluster = TestClusters.Create(3, TestClusters.Hash(ByHeader));
        var context = new DefaultHttpContext();

        Assert.Null(cluster.HashRequest(context, out _));
        context.Request.Headers["x-user"] = "alice";
        Assert.Equal(StableHash.Of("alice"), cluster.HashRequest(context, out var setCookie));
        Assert.Null(setCookie);
    }

    [Fact]
    public void Hash_QueryParameter_KeyIsTheValue()
    {
        var cluster = TestClusters.Create(3, TestClusters.Hash(new ConsistentHashConfig { HttpQueryParameterName = "user" }));
        var context = new DefaultHttpContext();
        context.Request.QueryString = new QueryString("?a=1&user=bob");

        Assert.Equal(StableHash.Of("bob"), cluster.HashRequest(context, out _));
    }

    [Fact]
    public void Hash_SourceIp_SameAddressSameKeyWhateverThePort()
    {
        var cluster = TestClusters.Create(3, TestClusters.Hash(new ConsistentHashConfig { UseSourceIp = true }));
        var a = new DefaultHttpContext();
        a.Connection.RemoteIpAddress = System.Net.IPAddress.Parse("192.0.2.7");
        a.Connection.RemotePort = 5000;
        var b = new DefaultHttpContext();
        b.Connection.RemoteIpAddress = System.Net.IPAddress.Parse("::ffff:192.0.2.7");
        b.Connection.RemotePort = 6000;
        var c = new DefaultHttpContext();
        c.Connection.RemoteIpAddress = System.Net.IPAddress.Parse("192.0.2.8");

        Assert.NotNull(cluster.HashRequest(a, out _));
        Assert.Equal(cluster.HashRequest(a, out _), cluster.HashRequest(b, out _));
        Assert.NotEqual(cluster.HashRequest(a, out _), cluster.HashRequest(c, out _));
    }

    [Fact]
    public void Hash_CookiePresent_KeyIsItsUnquotedValue()
    {
        var cluster = TestClusters.Create(3, TestClusters.Hash(new ConsistentHashConfig { HttpCookie = new HashCookieConfig("session") { Ttl = TimeSpan.FromHours(1) } }));
        var context = new DefaultHttpContext();
        context.Request.Headers.Cookie = "theme=dark; session=\"abc123\"; lang=en";

        Assert.Equal(StableHash.Of("abc123"), cluster.HashRequest(context, out var setCookie));
        Assert.Null(setCookie);
    }

    [Fact]
    public void Hash_CookieAbsentWithTtl_GeneratedWithSetCookie()
    {
        var cluster = TestClusters.Create(3, TestClusters.Hash(new ConsistentHashConfig { HttpCookie = new HashCookieConfig("session") { Ttl = TimeSpan.FromSeconds(90), Path = "/app" } }));
        var context = new DefaultHttpContext();
        context.Connection.RemoteIpAddress = System.Net.IPAddress.Loopback;
        context.Connection.RemotePort = 50123;

        var key = cluster.HashRequest(context, out var setCookie);

        Assert.NotNull(setCookie);
        var match = System.Text.RegularExpressions.Regex.Match(setCookie, "^session=\"([0-9a-f]{16})\"; Max-Age=90; Path=/app; HttpOnly$");
        Assert.True(match.Success, setCookie);
        Assert.Equal(StableHash.Of(match.Groups[1].Value), key);
    }

    [Fact]
    public void Hash_CookieAbsentZeroTtl_SessionCookie()
    {
        var cluster = TestClusters.Create(3, TestClusters.Hash(new ConsistentHashConfig { HttpCookie = new HashCookieConfig("s") { Ttl = TimeSpan.Zero } }));

        _ = cluster.HashRequest(new DefaultHttpContext(), out var setCookie);

        Assert.Matches("^s=\"[0-9a-f]{16}\"; HttpOnly$", setCookie);
    }

    [Fact]
    public void Hash_CookieAbsentWithoutTtl_NoKeyNoCookie()
    {
        var cluster = TestClusters.Create(3, TestClusters.Hash(new ConsistentHashConfig { HttpCookie = new HashCookieConfig("s") }));

        Assert.Null(cluster.HashRequest(new DefaultHttpContext(), out var setCookie));
        Assert.Null(setCookie);
    }

    [Theory]
    [InlineData("session=abc", "abc")]
    [InlineData("a=1;session=abc;b=2", "abc")]
    [InlineData("a=1; session = \"abc\" ", "abc")]
    [InlineData("xsession=abc; session=def", "def")]
    public void FindCookie_Rfc6265Pairs(string header, string expected)
    {
        Assert.True(RequestHashKey.FindCookie(header, "session", out var value));
        Assert.Equal(expected, value.ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("sessionx=abc")]
    [InlineData("Session=abc")]
    public void FindCookie_Absent(string header)
    {
        Assert.False(RequestHashKey.FindCookie(header, "session", out _));
    }
}
