using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Bookinfo.Demo;
using Gateway.Middleware.FunctionalTests.Infrastructure;

namespace Gateway.Middleware.FunctionalTests.Samples;

/// <summary>
/// The hop to reviews is mutual TLS: the reviews pods of <c>samples/Bookinfo</c> answer only over TLS and only to a
/// client certificate from the demo CA, and the gateway (Program.cs and YAML alike) reaches them with its own.
/// </summary>
[Collection(BookinfoSamples.Name)]
public sealed class BookinfoMutualTlsTests(BookinfoFixture fixture)
{
    [Fact]
    public async Task ReviewsPod_GatewayClientCertificate_Answers()
    {
        using var client = Client(fixture.Demo.Pki.GatewayClient);

        using var response = await client.GetAsync($"https://127.0.0.1:{fixture.Demo.ReviewsV2}/reviews/0");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("reviews-v2", json.RootElement.GetProperty("podname").GetString());
    }

    [Fact]
    public async Task ReviewsPod_NoClientCertificate_Refused()
    {
        using var client = Client(clientCertificate: null);

        await Assert.ThrowsAnyAsync<HttpRequestException>(() => client.GetAsync($"https://127.0.0.1:{fixture.Demo.ReviewsV1}/reviews/0"));
    }

    [Fact]
    public async Task ReviewsPod_ClientCertificateFromAnotherCa_Refused()
    {
        using var otherCa = TestCertificates.CreateCa("not the demo CA");
        using var stranger = TestCertificates.CreateLeaf(otherCa, "istio-ingressgateway", [], DemoPki.GatewayIdentity);
        using var client = Client(stranger);

        await Assert.ThrowsAnyAsync<HttpRequestException>(() => client.GetAsync($"https://127.0.0.1:{fixture.Demo.ReviewsV1}/reviews/0"));
    }

    [Fact]
    public async Task ReviewsPod_PlainHttp_Refused()
    {
        using var client = new HttpClient();

        await Assert.ThrowsAnyAsync<HttpRequestException>(() => client.GetAsync($"http://127.0.0.1:{fixture.Demo.ReviewsV3}/reviews/0"));
    }

    /// <summary>Through either gateway the same pods answer: the gateway's hop to them is mTLS.</summary>
    [Theory]
    [InlineData("program")]
    [InlineData("yaml")]
    public async Task Gateway_ReviewsOverMutualTls_Answers(string gateway)
    {
        var port = gateway == "program" ? fixture.Demo.HttpPort : fixture.YamlHttpPort;
        using var client = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{port}/reviews/0");
        request.Headers.Host = BookinfoDemo.Host;
        request.Headers.Add("end-user", "jason");

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("reviews-v2", json.RootElement.GetProperty("podname").GetString());
    }

    private HttpClient Client(X509Certificate2? clientCertificate)
    {
        var handler = new SocketsHttpHandler();
        handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, _) =>
            certificate is not null && fixture.Demo.Pki.IsIssuedByCa(new X509Certificate2(certificate));
        if (clientCertificate is not null)
        {
            handler.SslOptions.ClientCertificates = [clientCertificate];
        }

        return new HttpClient(handler);
    }
}
