using System.Net;
using Gateway.Middleware.Diagnostics;
using Gateway.Middleware.Forwarding;

namespace Gateway.Middleware.Tests.Diagnostics;

/// <summary>Span attribute values as the OpenTelemetry HTTP semantic conventions spell them.</summary>
public sealed class GatewayTracingTagsTests
{
    [Theory]
    [InlineData("HTTP/1.0", "1.0")]
    [InlineData("HTTP/1.1", "1.1")]
    [InlineData("HTTP/2", "2")]
    [InlineData("HTTP/3", "3")]
    [InlineData("", null)]
    public void ProtocolVersion_ServerProtocol_NetworkProtocolVersion(string protocol, string? expected)
        => Assert.Equal(expected, GatewayTracingTags.ProtocolVersion(protocol));

    [Fact]
    public void ProtocolVersion_UpstreamResponseVersion_NetworkProtocolVersion()
    {
        Assert.Equal("1.1", GatewayTracingTags.ProtocolVersion(HttpVersion.Version11));
        Assert.Equal("2", GatewayTracingTags.ProtocolVersion(HttpVersion.Version20));
        Assert.Equal("3", GatewayTracingTags.ProtocolVersion(HttpVersion.Version30));
        Assert.Equal("1.0", GatewayTracingTags.ProtocolVersion(HttpVersion.Version10));
    }

    /// <summary>Semantic conventions <c>http.request.method</c>: the known methods in upper case, anything else <c>_OTHER</c>.</summary>
    [Theory]
    [InlineData("GET", "GET")]
    [InlineData("get", "GET")]
    [InlineData("POST", "POST")]
    [InlineData("PUT", "PUT")]
    [InlineData("DELETE", "DELETE")]
    [InlineData("HEAD", "HEAD")]
    [InlineData("OPTIONS", "OPTIONS")]
    [InlineData("PATCH", "PATCH")]
    [InlineData("CONNECT", "CONNECT")]
    [InlineData("TRACE", "TRACE")]
    [InlineData("PURGE", null)]
    public void KnownMethod_SemanticConventionsList(string method, string? expected)
        => Assert.Equal(expected, GatewayTracingTags.KnownMethod(method));

    [Fact]
    public void BoxedAndStatusCodeText_CachedBelow600()
    {
        Assert.Same(GatewayTracingTags.Boxed(503), GatewayTracingTags.Boxed(503));
        Assert.Equal(8080, GatewayTracingTags.Boxed(8080));
        Assert.Same(GatewayTracingTags.StatusCodeText(504), GatewayTracingTags.StatusCodeText(504));
        Assert.Equal("504", GatewayTracingTags.StatusCodeText(504));
    }

    [Theory]
    [InlineData(GatewayForwarderError.None, null)]
    [InlineData(GatewayForwarderError.ConnectionFailure, "ConnectionFailure")]
    [InlineData(GatewayForwarderError.RouteTimeout, "RouteTimeout")]
    [InlineData(GatewayForwarderError.Overflow, "Overflow")]
    public void ErrorType_ForwarderErrorName(GatewayForwarderError error, string? expected)
        => Assert.Equal(expected, GatewayTracing.ErrorType(error));

    [Fact]
    public void ErrorType_EveryForwarderErrorHasItsName()
    {
        foreach (var error in Enum.GetValues<GatewayForwarderError>())
        {
            Assert.Equal(error == GatewayForwarderError.None ? null : error.ToString(), GatewayTracing.ErrorType(error));
        }
    }
}
