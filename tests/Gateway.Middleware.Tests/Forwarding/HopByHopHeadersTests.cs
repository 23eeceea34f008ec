using Gateway.Middleware.Forwarding;
using Microsoft.Extensions.Primitives;

namespace Gateway.Middleware.Tests.Forwarding;

public sealed class HopByHopHeadersTests
{
    [Theory]
    [InlineData("Connection")]
    [InlineData("keep-alive")]
    [InlineData("Proxy-Connection")]
    [InlineData("proxy-authorization")]
    [InlineData("Proxy-Authenticate")]
    [InlineData("TE")]
    [InlineData("Trailer")]
    [InlineData("Transfer-Encoding")]
    [InlineData("UPGRADE")]
    public void IsHopByHop_Rfc9110ConnectionSpecificHeaders_True(string name)
        => Assert.True(HopByHopHeaders.IsHopByHop(name));

    [Theory]
    [InlineData("Host")]
    [InlineData("Content-Length")]
    [InlineData("Authorization")]
    [InlineData("x-request-id")]
    public void IsHopByHop_EndToEndHeaders_False(string name)
        => Assert.False(HopByHopHeaders.IsHopByHop(name));

    [Theory]
    [InlineData("keep-alive, X-Secret-Hop, x-other-hop", "x-secret-hop", true)]
    [InlineData("keep-alive, X-Secret-Hop, x-other-hop", "X-Other-Hop", true)]
    [InlineData("keep-alive,X-Secret-Hop", "X-Secret-Hop", true)]
    [InlineData(" \tX-A \t", "x-a", true)]
    [InlineData("X-Ab", "X-A", false)]
    [InlineData("X-A-B", "X-A", false)]
    [InlineData("", "X-A", false)]
    public void ContainsToken_CommaSeparatedList_MatchesWholeTokensIgnoringCase(string value, string token, bool expected)
        => Assert.Equal(expected, HopByHopHeaders.ContainsToken(value, token));

    [Fact]
    public void IsNamedInConnection_SeveralHeaderLines_SearchesEveryLine()
        => Assert.True(HopByHopHeaders.IsNamedInConnection(new StringValues(["close", "X-Second"]), "x-second"));
}
