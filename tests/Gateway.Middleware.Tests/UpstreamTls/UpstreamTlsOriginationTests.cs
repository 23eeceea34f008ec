using System.Net;
using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography;
using Gateway.Middleware.Tls;
using Gateway.Middleware.Upstreams.Tls;

namespace Gateway.Middleware.Tests.UpstreamTls;

/// <summary>The handshake options of one upstream connection: SNI, ALPN by HTTP version, TLS 1.2 floor, SAN reading.</summary>
public sealed class UpstreamTlsOriginationTests
{
    [Theory]
    [InlineData("2.0", HttpVersionPolicy.RequestVersionExact, "h2")]
    [InlineData("2.0", HttpVersionPolicy.RequestVersionOrLower, "h2,http/1.1")]
    [InlineData("1.1", HttpVersionPolicy.RequestVersionOrHigher, "h2,http/1.1")]
    [InlineData("1.1", HttpVersionPolicy.RequestVersionExact, "http/1.1")]
    [InlineData("1.1", HttpVersionPolicy.RequestVersionOrLower, "http/1.1")]
    public void CreateOptions_RequestVersion_OffersMatchingAlpn(string version, HttpVersionPolicy policy, string expected)
    {
        using var request = new HttpRequestMessage { Version = Version.Parse(version), VersionPolicy = policy };

        var options = Origination(null).CreateOptions("10.0.0.7", request, new UpstreamTlsHandshake());

        Assert.Equal(expected, string.Join(",", options.ApplicationProtocols!.ConvertAll(p => p.ToString())));
    }

    [Theory]
    [InlineData(null, "reviews.default.svc.cluster.local", "reviews.default.svc.cluster.local")]
    [InlineData("reviews.internal", "10.0.0.7", "reviews.internal")]
    public void CreateOptions_Sni_ConfiguredElseEndpointHost(string? sni, string host, string expected)
    {
        using var request = new HttpRequestMessage { Version = HttpVersion.Version11 };

        var options = Origination(sni).CreateOptions(host, request, new UpstreamTlsHandshake());

        Assert.Equal(expected, options.TargetHost);
        Assert.Equal(SslProtocols.Tls12 | SslProtocols.Tls13, options.EnabledSslProtocols);
    }

    [Fact]
    public void SubjectAltNames_DnsAndUri_ReadAndMatchedExactly()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var certificate = TlsFiles.Create(key, "reviews.internal", "spiffe://cluster.local/ns/default/sa/reviews");

        Assert.Equal([(false, "reviews.internal"), (true, "spiffe://cluster.local/ns/default/sa/reviews")], CertificateNames.SubjectAltNames(certificate));
        Assert.True(SubjectAltNames.ContainsAny(certificate, ["REVIEWS.internal"]));
        Assert.True(SubjectAltNames.ContainsAny(certificate, ["spiffe://cluster.local/ns/default/sa/reviews"]));
        Assert.False(SubjectAltNames.ContainsAny(certificate, ["spiffe://cluster.local/ns/default/sa/REVIEWS"]));
        Assert.True(SubjectAltNames.HasUriWithPrefix(certificate, "spiffe://cluster.local/"));
        Assert.False(SubjectAltNames.HasUriWithPrefix(certificate, "spiffe://other.domain/"));
    }

    private static UpstreamTlsOrigination Origination(string? sni)
        => new() { Upstream = "reviews", Sni = sni, TimeProvider = TimeProvider.System };
}
