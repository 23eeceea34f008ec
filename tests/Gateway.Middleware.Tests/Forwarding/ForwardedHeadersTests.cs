using Gateway.Middleware.Forwarding;
using Microsoft.Extensions.Primitives;

namespace Gateway.Middleware.Tests.Forwarding;

public sealed class ForwardedHeadersTests
{
    [Theory]
    [InlineData("1.1.1.1", 1, "1.1.1.1")]
    [InlineData("6.6.6.6, 1.1.1.1", 1, "1.1.1.1")]
    [InlineData("6.6.6.6, 1.1.1.1, 2.2.2.2", 2, "1.1.1.1, 2.2.2.2")]
    [InlineData("1.1.1.1", 3, "1.1.1.1")]
    [InlineData(" 6.6.6.6 ,1.1.1.1 ", 1, "1.1.1.1")]
    public void TrustedTail_KeepsOnlyTheLastTrustedEntries(string header, int hops, string expected)
        => Assert.Equal(expected, ForwardedHeaders.TrustedTail(header, hops));

    [Fact]
    public void TrustedTail_SeveralHeaderLines_CountsAcrossLines()
        => Assert.Equal("3.3.3.3, 4.4.4.4", ForwardedHeaders.TrustedTail(new StringValues(["1.1.1.1, 3.3.3.3", "4.4.4.4"]), 2));
}
