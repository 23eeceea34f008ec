using System.Net;
using System.Text;
using Gateway.Middleware.Testing;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Gateway.Middleware.FunctionalTests.TestingKit;

/// <summary>The kit's FakeUpstream on its own: what it records, what it answers, and the messages its assertions fail with.</summary>
public sealed class FakeUpstreamTests
{
    [Fact]
    public async Task Request_Recorded_MethodPathQueryHeadersBodyProtocol()
    {
        await using var fake = await FakeUpstream.StartAsync("reviews");
        using var client = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, fake.Address + "/reviews/1?x=1&y=%20");
        request.Headers.Add("end-user", "jason");
        request.Content = new StringContent("{\"stars\":5}", Encoding.UTF8, "application/json");

        using var response = await client.SendAsync(request);

        var received = fake.Single();
        Assert.Equal(("POST", "/reviews/1", "?x=1&y=%20", "HTTP/1.1", "http"), (received.Method, received.Path, received.QueryString, received.Protocol, received.Scheme));
        Assert.Equal("/reviews/1?x=1&y=%20", received.PathAndQuery);
        Assert.Equal("jason", received.Header("END-USER"));
        Assert.Equal("application/json; charset=utf-8", received.Headers["content-type"]);
        Assert.Equal("{\"stars\":5}", received.BodyText);
        Assert.Null(received.ClientCertificate);
        Assert.Same(received, fake.LastRequest);
    }

    [Fact]
    public async Task DefaultAnswer_200JsonNamingUpstreamSubsetAndPath()
    {
        await using var fake = await FakeUpstream.StartAsync("reviews", "v2");
        using var client = new HttpClient();

        using var response = await client.GetAsync(fake.Address + "/reviews/7");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("{\"upstream\":\"reviews\",\"subset\":\"v2\",\"path\":\"/reviews/7\"}", await response.Content.ReadAsStringAsync());
        Assert.Equal("reviews/v2", Assert.Single(response.Headers.GetValues(FakeUpstream.ResponseHeader)));
    }

    [Fact]
    public async Task RespondWith_StatusAndBody_ThenHandlerReadingBodyAgain_ThenDefault()
    {
        await using var fake = await FakeUpstream.StartAsync("ratings");
        using var client = new HttpClient();

        fake.RespondWith(503, "overloaded");
        using (var response = await client.GetAsync(fake.Address + "/"))
        {
            Assert.Equal((HttpStatusCode.ServiceUnavailable, "overloaded"), (response.StatusCode, await response.Content.ReadAsStringAsync()));
        }

        fake.RespondWith(async context => await context.Request.Body.CopyToAsync(context.Response.Body));
        using (var response = await client.PostAsync(fake.Address + "/", new StringContent("echo me")))
        {
            Assert.Equal("echo me", await response.Content.ReadAsStringAsync());
        }

        fake.RespondWithDefault();
        using (var response = await client.GetAsync(fake.Address + "/"))
        {
            Assert.Contains("\"upstream\":\"ratings\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        Assert.Equal(3, fake.RequestCount);
    }

    [Fact]
    public async Task AssertReceived_NoMatch_MessageNamesConditionAndListsRequests()
    {
        await using var fake = await FakeUpstream.StartAsync("details");
        using var client = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, fake.Address + "/details/0");
        request.Headers.Add("end-user", "kim");
        (await client.SendAsync(request)).Dispose();

        var error = Assert.Throws<GatewayAssertionException>(() => fake.AssertReceived(r => r.HasHeader("end-user", "jason")));

        Assert.StartsWith($"FakeUpstream 'details' at {fake.Address}: no request matched r => r.HasHeader(\"end-user\", \"jason\").", error.Message, StringComparison.Ordinal);
        Assert.Contains("It received 1 request:\n  #1 GET /details/0 HTTP/1.1", error.Message, StringComparison.Ordinal);
        Assert.Contains("end-user: kim", error.Message, StringComparison.Ordinal);
        Assert.Same(fake.LastRequest, fake.AssertReceived(r => r.HasHeader("end-user", "kim")));
        Assert.Throws<GatewayAssertionException>(fake.AssertNoRequests);
        fake.Clear();
        fake.AssertNoRequests();
        Assert.Contains("It received no request.", Assert.Throws<GatewayAssertionException>(() => fake.Single()).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WaitForRequestAsync_RequestArrivesLater_ReturnsIt_NoneBeforeDeadline_Throws()
    {
        await using var fake = await FakeUpstream.StartAsync("mirror");
        using var client = new HttpClient();

        var waiting = fake.WaitForRequestAsync(r => r.Path == "/late");
        Assert.False(waiting.IsCompleted);
        (await client.GetAsync(fake.Address + "/early")).Dispose();
        (await client.GetAsync(fake.Address + "/late")).Dispose();

        Assert.Equal(2, (await waiting).Sequence);
        var error = await Assert.ThrowsAsync<GatewayAssertionException>(() => fake.WaitForRequestAsync(r => r.Path == "/never", TimeSpan.FromMilliseconds(200)));
        Assert.Contains("waited 0.2 s for a request matching r => r.Path == \"/never\", none arrived", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Http2Option_H2cPriorKnowledge_RecordedAsHttp2()
    {
        await using var fake = await FakeUpstream.StartAsync("grpc", o => o.Protocols = HttpProtocols.Http2);
        using var client = new HttpClient { DefaultRequestVersion = HttpVersion.Version20, DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact };

        (await client.GetAsync(fake.Address + "/")).Dispose();

        Assert.Equal("HTTP/2", fake.Single().Protocol);
    }

    [Fact]
    public async Task Tls_RequiredClientCertificateFromTrustedCa_Recorded_OtherCaRefused()
    {
        using var ca = TestCertificateAuthority.Create();
        using var otherCa = TestCertificateAuthority.Create("Other CA");
        using var serverCertificate = ca.IssueServerCertificate("reviews.local");
        using var gatewayIdentity = ca.IssueClientCertificate("gateway", "spiffe://cluster.local/ns/istio-system/sa/ingressgateway");
        using var stranger = otherCa.IssueClientCertificate("stranger");
        await using var fake = await FakeUpstream.StartAsync("reviews", o =>
        {
            o.ServerCertificate = serverCertificate;
            o.RequireClientCertificate = true;
            o.ClientCertificateAuthority = ca.Certificate;
        });

        using (var trusted = Client(ca, gatewayIdentity))
        {
            (await trusted.GetAsync(fake.Address + "/mtls")).Dispose();
        }

        using (var untrusted = Client(ca, stranger))
        {
            await Assert.ThrowsAsync<HttpRequestException>(() => untrusted.GetAsync(fake.Address + "/mtls"));
        }

        var received = fake.Single();
        Assert.StartsWith("https://127.0.0.1:", fake.Address, StringComparison.Ordinal);
        Assert.Equal("https", received.Scheme);
        Assert.Equal(gatewayIdentity.Thumbprint, received.ClientCertificate!.Thumbprint);
    }

    private static HttpClient Client(TestCertificateAuthority ca, System.Security.Cryptography.X509Certificates.X509Certificate2 clientCertificate)
    {
        var handler = new SocketsHttpHandler();
        handler.SslOptions.ClientCertificates = [clientCertificate];
        handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, _) =>
            certificate is not null && certificate.Issuer == ca.Certificate.Subject;
        return new HttpClient(handler);
    }
}
