using Gateway.Middleware.Configuration;
using Gateway.Middleware.Upstreams;

namespace Gateway.Middleware.Tests.UpstreamTls;

/// <summary>
/// The TLS mode decides the scheme an endpoint is dialled with (Istio: a DestinationRule's tls.mode, not the
/// address, decides; ServiceEntry endpoints have no scheme); without TLS settings the address's scheme does.
/// </summary>
public sealed class UpstreamEndpointTlsTests
{
    [Theory]
    [InlineData("http://127.0.0.1:9080", null, "http://127.0.0.1:9080")]
    [InlineData("https://127.0.0.1:9443", null, "https://127.0.0.1:9443")]
    [InlineData("https://127.0.0.1:9443", "Disable", "http://127.0.0.1:9443")]
    [InlineData("https://reviews.internal", "Disable", "http://reviews.internal:443")]
    [InlineData("http://127.0.0.1:9080", "Simple", "https://127.0.0.1:9080")]
    [InlineData("http://reviews.internal", "Mutual", "https://reviews.internal:80")]
    [InlineData("http://[::1]:9080", "IstioMutual", "https://[::1]:9080")]
    public void Create_TlsMode_DecidesSchemeKeepsPort(string address, string? mode, string prefix)
    {
        var tls = mode is null ? null : new UpstreamTlsConfig { Mode = Enum.Parse<UpstreamTlsMode>(mode) };

        var endpoint = UpstreamEndpoint.Create(new Uri(address), tls);

        Assert.Equal(prefix, endpoint.Prefix);
        Assert.Equal(prefix.StartsWith("https", StringComparison.Ordinal), endpoint.IsTls);
    }
}
