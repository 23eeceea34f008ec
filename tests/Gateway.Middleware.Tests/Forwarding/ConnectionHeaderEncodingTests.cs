using System.Text;
using Gateway.Middleware.Forwarding;

namespace Gateway.Middleware.Tests.Forwarding;

/// <summary>
/// RFC 9110 §7.6.1: every header a client names in <c>Connection</c> is hop-by-hop. Kestrel reduces a value
/// whose only option is keep-alive, close or upgrade to that token, so the request's Connection header is
/// decoded into a value Kestrel leaves whole, with the same effect on the connection.
/// </summary>
public sealed class ConnectionHeaderEncodingTests
{
    [Theory]
    // Nothing Kestrel would lose: unchanged.
    [InlineData("keep-alive", "keep-alive")]
    [InlineData("close", "close")]
    [InlineData("Upgrade", "Upgrade")]
    [InlineData("x-secret-hop", "x-secret-hop")]
    [InlineData("x-a, x-b", "x-a, x-b")]
    [InlineData("keep-alive, Upgrade", "keep-alive, Upgrade")]
    [InlineData("keep-alive, close, x-a", "keep-alive, close, x-a")]
    // keep-alive is the HTTP/1.1 default: dropped, the other names stay.
    [InlineData("keep-alive, x-secret-hop", "x-secret-hop")]
    [InlineData("x-a,Keep-Alive , x-b", "x-a, x-b")]
    // close or upgrade alone with names: keep-alive added, so Kestrel sees two options (close still wins).
    [InlineData("close, x-secret-hop", "keep-alive, close, x-secret-hop")]
    [InlineData("Upgrade, x-a", "keep-alive, Upgrade, x-a")]
    public void PreserveTokens_ConnectionValue_KestrelKeepsEveryName(string value, string expected)
        => Assert.Equal(expected, ConnectionHeaderEncoding.PreserveTokens(value));

    [Fact]
    public void GetString_AsKestrelDecodes_AppliesTheRewrite()
        => Assert.Equal("x-secret-hop", ConnectionHeaderEncoding.Instance.GetString(Encoding.ASCII.GetBytes("keep-alive, x-secret-hop")));

    [Fact]
    public void GetString_Nul_RejectedAsKestrelDoes()
        => Assert.Throws<DecoderFallbackException>(() => ConnectionHeaderEncoding.Instance.GetString("x\0y"u8.ToArray()));

    [Fact]
    public void GetString_InvalidUtf8_Rejected()
        => Assert.Throws<DecoderFallbackException>(() => ConnectionHeaderEncoding.Instance.GetString([0x78, 0xC3, 0x28]));

    [Fact]
    public void Wrap_OtherHeaders_UseThePreviousSelector()
    {
        var selector = ConnectionHeaderEncoding.Wrap(name => name == "x-latin" ? Encoding.Latin1 : null);

        Assert.Same(ConnectionHeaderEncoding.Instance, selector("Connection"));
        Assert.Same(ConnectionHeaderEncoding.Instance, selector("connection"));
        Assert.Same(Encoding.Latin1, selector("x-latin"));
        Assert.Null(selector("Host"));
    }
}
