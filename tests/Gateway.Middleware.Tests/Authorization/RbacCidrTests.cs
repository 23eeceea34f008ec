using System.Net;
using Gateway.Middleware.Authorization;

namespace Gateway.Middleware.Tests.Authorization;

/// <summary>Istio <c>ipBlocks</c> / <c>remoteIpBlocks</c>: single IPs and CIDR blocks, IPv4 and IPv6.</summary>
public sealed class RbacCidrTests
{
    [Theory]
    [InlineData("10.0.0.0/8", "10.1.2.3", true)]
    [InlineData("10.0.0.0/8", "11.0.0.1", false)]
    [InlineData("192.168.1.0/24", "192.168.1.255", true)]
    [InlineData("192.168.1.0/24", "192.168.2.0", false)]
    [InlineData("172.16.0.0/12", "172.31.255.255", true)]
    [InlineData("172.16.0.0/12", "172.32.0.0", false)]
    [InlineData("1.2.3.4", "1.2.3.4", true)]
    [InlineData("1.2.3.4", "1.2.3.5", false)]
    [InlineData("0.0.0.0/0", "8.8.8.8", true)]
    [InlineData("0.0.0.0/0", "::1", false)] // families never mix
    [InlineData("2001:db8::/32", "2001:db8:1::1", true)]
    [InlineData("2001:db8::/32", "2001:db9::1", false)]
    [InlineData("::1", "::1", true)]
    [InlineData("10.0.0.0/8", "::ffff:10.0.0.1", true)] // dual-stack peers are IPv4-mapped
    public void Contains_Table(string block, string address, bool expected)
    {
        Assert.True(RbacCidr.TryParse(block, out var cidr, out _));
        Assert.Equal(expected, cidr!.Contains(RbacAddress.Normalize(IPAddress.Parse(address))));
    }

    [Theory]
    [InlineData("")]
    [InlineData("10.0.0")]
    [InlineData("010.0.0.1")]
    [InlineData("10.0.0.256")]
    [InlineData("10.0.0.0/33")]
    [InlineData("10.0.0.0/-1")]
    [InlineData("10.0.0.0/x")]
    [InlineData("2001:db8::/129")]
    [InlineData("example.com")]
    public void TryParse_Invalid_Rejected(string block)
    {
        Assert.False(RbacCidr.TryParse(block, out _, out var error));
        Assert.Contains(block.Length == 0 ? "''" : block, error, StringComparison.Ordinal);
    }
}
