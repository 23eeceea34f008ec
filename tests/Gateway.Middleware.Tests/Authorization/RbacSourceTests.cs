using Gateway.Middleware.Authorization;
using Microsoft.AspNetCore.Http;
using static Gateway.Middleware.Tests.Authorization.RbacTestRequests;

namespace Gateway.Middleware.Tests.Authorization;

/// <summary>Istio <c>Source</c>: requestPrincipals, ipBlocks (peer), remoteIpBlocks (X-Forwarded-For with trusted hops) and their negations.</summary>
public sealed class RbacSourceTests
{
    [Theory]
    [InlineData("https://issuer.example/alice", "alice", true)]
    [InlineData("https://issuer.example/alice", "bob", false)]
    [InlineData("https://issuer.example/*", "anyone", true)]
    [InlineData("*/alice", "alice", true)]
    [InlineData("*", "anyone", true)]
    [InlineData("*", null, false)] // "*" is any authenticated principal: no token does not match
    [InlineData("https://issuer.example/alice", null, false)]
    public void RequestPrincipals_Table(string pattern, string? subject, bool allowed)
    {
        var principal = subject is null ? null : Principal(subject: subject);
        Assert.Equal(allowed, Allows(From(new() { RequestPrincipals = [pattern] }), Request(), principal));
    }

    [Theory]
    [InlineData("*", null, true)] // notRequestPrincipals: ["*"] = requests without a valid token
    [InlineData("*", "alice", false)]
    [InlineData("https://issuer.example/alice", "alice", false)]
    [InlineData("https://issuer.example/alice", "bob", true)]
    public void NotRequestPrincipals_Table(string pattern, string? subject, bool allowed)
    {
        var principal = subject is null ? null : Principal(subject: subject);
        Assert.Equal(allowed, Allows(From(new() { NotRequestPrincipals = [pattern] }), Request(), principal));
    }

    [Theory]
    [InlineData("10.0.0.0/8", "10.1.1.1", true)]
    [InlineData("10.0.0.0/8", "192.168.0.1", false)]
    [InlineData("192.168.0.1", "192.168.0.1", true)]
    [InlineData("10.0.0.0/8", null, false)] // no peer address: no match
    public void IpBlocks_PeerAddress_Table(string block, string? peer, bool allowed)
        => Assert.Equal(allowed, Allows(From(new() { IpBlocks = [block] }), Request(peer: peer)));

    [Theory]
    [InlineData("10.0.0.0/8", "10.1.1.1", false)]
    [InlineData("10.0.0.0/8", "192.168.0.1", true)]
    public void NotIpBlocks_Table(string block, string peer, bool allowed)
        => Assert.Equal(allowed, Allows(From(new() { NotIpBlocks = [block] }), Request(peer: peer)));

    [Theory]
    // 0 trusted hops: remote.ip is the peer and the client's X-Forwarded-For is ignored.
    [InlineData(0, "1.1.1.1", "10.0.0.1", "10.0.0.0/8", true)]
    [InlineData(0, "1.1.1.1", "10.0.0.1", "1.1.1.1", false)]
    // N hops: the N-th entry from the right of X-Forwarded-For (Envoy xff_num_trusted_hops).
    [InlineData(1, "1.1.1.1", "10.0.0.1", "1.1.1.1", true)]
    [InlineData(1, "6.6.6.6, 1.1.1.1", "10.0.0.1", "6.6.6.6", false)] // a forged leftmost entry is not the client
    [InlineData(1, "6.6.6.6, 1.1.1.1", "10.0.0.1", "1.1.1.1", true)]
    [InlineData(2, "6.6.6.6, 1.1.1.1", "10.0.0.1", "6.6.6.6", true)]
    [InlineData(2, "6.6.6.6,1.1.1.1", "10.0.0.1", "6.6.6.6", true)]
    // Fewer entries than hops, or no header: the peer.
    [InlineData(2, "1.1.1.1", "10.0.0.1", "10.0.0.1", true)]
    [InlineData(1, null, "10.0.0.1", "10.0.0.1", true)]
    [InlineData(1, "not-an-ip", "10.0.0.1", "10.0.0.1", true)]
    public void RemoteIpBlocks_TrustedHops_Table(int hops, string? xff, string peer, string block, bool allowed)
        => Assert.Equal(allowed, Allows(From(new() { RemoteIpBlocks = [block] }), Request(peer: peer, xff: xff), hops: hops));

    [Fact]
    public void RemoteIpBlocks_SeveralHeaderLines_CountedAcrossLines()
    {
        var context = Request(peer: "10.0.0.1");
        context.Request.Headers.Append("X-Forwarded-For", "6.6.6.6");
        context.Request.Headers.Append("X-Forwarded-For", "1.1.1.1, 2.2.2.2");
        Assert.True(Allows(From(new() { RemoteIpBlocks = ["1.1.1.1"] }), context, hops: 2));
        Assert.True(Allows(From(new() { RemoteIpBlocks = ["6.6.6.6"] }), context, hops: 3));
    }

    [Theory]
    [InlineData("1.1.1.1", false)]
    [InlineData("2.2.2.2", true)]
    public void NotRemoteIpBlocks_Table(string client, bool allowed)
        => Assert.Equal(allowed, Allows(From(new() { NotRemoteIpBlocks = ["1.1.1.1"] }), Request(xff: client), hops: 1));

    [Theory]
    // Fields of one source AND; values of one field OR.
    [InlineData("alice", "10.0.0.1", true)]
    [InlineData("alice", "192.168.0.1", false)]
    [InlineData("bob", "10.0.0.1", true)]
    [InlineData("carol", "10.0.0.1", false)]
    public void Source_FieldsAnd_ValuesOr(string subject, string peer, bool allowed)
    {
        var source = new AuthorizationPolicySourceConfig { RequestPrincipals = ["*/alice", "*/bob"], IpBlocks = ["10.0.0.0/8"] };
        Assert.Equal(allowed, Allows(From(source), Request(peer: peer), Principal(subject: subject)));
    }

    [Theory]
    // Entries of from OR.
    [InlineData("alice", "192.168.0.1", true)]
    [InlineData("carol", "10.0.0.1", true)]
    [InlineData("carol", "192.168.0.1", false)]
    public void From_EntriesOr(string subject, string peer, bool allowed)
    {
        var rule = new AuthorizationPolicyRuleConfig
        {
            From = [new() { RequestPrincipals = ["*/alice"] }, new() { IpBlocks = ["10.0.0.0/8"] }],
        };
        Assert.Equal(allowed, Allows(rule, Request(peer: peer), Principal(subject: subject)));
    }
}
