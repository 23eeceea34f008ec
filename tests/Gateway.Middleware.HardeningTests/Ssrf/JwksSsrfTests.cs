using System.Net;
using System.Net.Http.Headers;
using Gateway.Middleware.Authentication;
using Gateway.Middleware.FunctionalTests.Authentication;
using Gateway.Middleware.FunctionalTests.Infrastructure;
using Gateway.Middleware.HardeningTests.Smuggling;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Middleware.HardeningTests.Ssrf;

/// <summary>
/// JWKS fetches cannot be steered to cloud metadata or link-local addresses: not through spellings of the address
/// the URI parser normalizes (decimal, hex, octal, IPv4-mapped IPv6), and not through an HTTP redirect (never
/// followed). Extends the unit tests of <c>JwksFetcher.IsForbidden</c> and the 169.254.169.254 functional test.
/// </summary>
public sealed class JwksSsrfTests
{
    [Theory]
    [InlineData("http://2852039166/latest/meta-data/")] // 169.254.169.254 as one decimal number
    [InlineData("http://0xA9FEA9FE/latest/meta-data/")]
    [InlineData("http://0251.0376.0251.0376/latest/meta-data/")] // octal
    [InlineData("http://169.254.43518/latest/meta-data/")] // a.b.c with c = 169*256+254
    [InlineData("http://[::ffff:169.254.169.254]/latest/meta-data/")]
    [InlineData("http://[::ffff:a9fe:a9fe]/latest/meta-data/")]
    [InlineData("http://[fe80::1]/jwks")]
    [InlineData("http://[fd00:ec2::254]/latest/meta-data/")]
    [InlineData("http://100.100.100.200/latest/meta-data/")]
    public async Task JwksClient_MetadataAddressInAnySpelling_RefusedBeforeConnecting(string uri)
    {
        using var client = JwksFetcher.CreateClient(TimeSpan.FromSeconds(3));

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => client.GetStringAsync(uri));

        Assert.Contains("link-local or metadata", error.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(301)]
    [InlineData(302)]
    [InlineData(307)]
    [InlineData(308)]
    public async Task Gateway_JwksUriRedirecting_IsNotFollowedAndTokensAre401(int status)
    {
        using var keys = JwtKeys.EC("k1");
        // The redirect target serves the right keys: following the redirect would make the token valid.
        await using var target = await JwksEndpoint.StartAsync(JwtKeys.Jwks(keys));
        await using var redirecting = await TestUpstream.StartAsync(context =>
        {
            context.Response.StatusCode = status;
            context.Response.Headers.Location = target.Uri;
            return Task.CompletedTask;
        });
        await using var upstream = await RecordingUpstream.StartAsync();
        await using var gateway = await RequestSmugglingTests.StartGatewayAsync(upstream.Address, g => g
            .AddJwtRule(JwtKeys.Issuer, r => r.JwksUri(redirecting.Address + "/jwks.json").Timeout(TimeSpan.FromSeconds(3))));
        using var client = gateway.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/x");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", keys.Token());

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(0, target.Requests);
        Assert.Empty(upstream.Seen);
    }
}
