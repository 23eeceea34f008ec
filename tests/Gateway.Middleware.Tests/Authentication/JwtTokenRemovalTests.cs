using Gateway.Middleware.Authentication;
using Microsoft.AspNetCore.Http;

namespace Gateway.Middleware.Tests.Authentication;

/// <summary>DESIGN.md: the token is removed before forwarding unless forwardOriginalToken.</summary>
public sealed class JwtTokenRemovalTests
{
    [Theory]
    [InlineData("session=abc; token=eyJ.x.y; theme=dark", "session=abc; theme=dark")]
    [InlineData("token=eyJ.x.y", null)]
    [InlineData("token=eyJ.x.y;theme=dark", "theme=dark")]
    [InlineData("tokens=keep; token=eyJ.x.y", "tokens=keep")]
    public void Remove_TokenCookie_OtherCookiesKept(string cookie, string? expected)
    {
        var context = new DefaultHttpContext();
        context.Request.Headers.Cookie = cookie;

        JwtTokenExtractor.Remove(context.Request, new JwtTokenLocation(JwtTokenLocationKind.Cookie, "token", ""));

        Assert.Equal(expected, context.Request.Headers.Cookie.Count == 0 ? null : context.Request.Headers.Cookie.ToString());
    }
}
