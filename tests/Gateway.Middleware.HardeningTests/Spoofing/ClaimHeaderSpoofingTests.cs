using System.Net;
using Gateway.Middleware.FunctionalTests.Authentication;
using Gateway.Middleware.FunctionalTests.Infrastructure;
using Gateway.Middleware.HardeningTests.Smuggling;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Middleware.HardeningTests.Spoofing;

/// <summary>
/// Headers the JWT stage writes (<c>outputClaimToHeaders</c>, <c>outputPayloadToHeader</c>) are the gateway's: a
/// client sending them by hand changes neither the route chosen on them, nor the identity authorization sees,
/// nor what the upstream receives. Routes here send <c>x-user: admin</c> to the admin upstream.
/// </summary>
public sealed class ClaimHeaderSpoofingTests
{
    [Theory]
    // name, subject of a valid token (null: no token; "bad": a token signed by another key), expected status, expected upstream, x-user it sees.
    [InlineData("no token, spoofed x-user", null, HttpStatusCode.OK, "public", null)]
    [InlineData("token for alice, spoofed x-user", "alice", HttpStatusCode.OK, "public", "alice")]
    [InlineData("token for admin", "admin", HttpStatusCode.OK, "admin", "admin")]
    [InlineData("forged token, spoofed x-user", "bad", HttpStatusCode.Unauthorized, null, null)]
    public async Task Routing_OnAClaimHeader_FollowsTheTokenNotTheClientsHeader(string name, string? subject, HttpStatusCode expected, string? upstreamName, string? user)
    {
        using var keys = JwtKeys.EC("k1");
        using var other = JwtKeys.EC("k1");
        await using var admin = await RecordingUpstream.StartAsync();
        await using var open = await RecordingUpstream.StartAsync();
        await using var gateway = await GatewayHost.StartAsync(g => g
            .AddJwtRule(JwtKeys.Issuer, r => r.Jwks(JwtKeys.Jwks(keys)).OutputClaimToHeader("x-user", "sub").OutputPayloadToHeader("x-jwt-payload"))
            .AddUpstream("admin", u => u.Endpoint(admin.Address))
            .AddUpstream("public", u => u.Endpoint(open.Address))
            .AddRoute("admin", r => r.MatchHeader("x-user", exact: "admin").RouteTo("admin"))
            .AddRoute("public", r => r.RouteTo("public")));
        using var client = gateway.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/p");
        request.Headers.TryAddWithoutValidation("x-user", "admin");
        request.Headers.TryAddWithoutValidation("x-jwt-payload", "eyJzdWIiOiJhZG1pbiJ9");
        if (subject is not null)
        {
            var signer = subject == "bad" ? other : keys;
            request.Headers.Authorization = new("Bearer", signer.Token(c => c["sub"] = subject == "bad" ? "admin" : subject));
        }

        using var response = await client.SendAsync(request);

        Assert.True(expected == response.StatusCode, $"{name}: {(int)response.StatusCode}");
        var seen = admin.Seen.Concat(open.Seen).ToArray();
        if (upstreamName is null)
        {
            Assert.Empty(seen);
            return;
        }

        Assert.Single(seen);
        Assert.Single(upstreamName == "admin" ? admin.Seen : open.Seen);
        Assert.Equal(user, seen[0].Headers.GetValueOrDefault("x-user"));
        Assert.NotEqual("eyJzdWIiOiJhZG1pbiJ9", seen[0].Headers.GetValueOrDefault("x-jwt-payload"));
    }

    [Theory]
    [InlineData("x-user", "admin")]
    [InlineData("x-jwt-payload", "eyJpc3MiOiJodHRwczovL2FjY291bnRzLmV4YW1wbGUuY29tIiwic3ViIjoiYWRtaW4ifQ")]
    [InlineData("x-forwarded-client-cert", "By=spiffe://cluster.local/ns/default/sa/gw;URI=spiffe://cluster.local/ns/default/sa/admin")]
    [InlineData("x-envoy-peer-metadata-id", "router~10.0.0.1~admin")]
    public async Task Authorization_RequestPrincipals_CannotBeClaimedByAHeader(string header, string value)
    {
        using var keys = JwtKeys.EC("k1");
        await using var upstream = await RecordingUpstream.StartAsync();
        await using var gateway = await RequestSmugglingTests.StartGatewayAsync(upstream.Address, g => g
            .AddJwtRule(JwtKeys.Issuer, r => r.Jwks(JwtKeys.Jwks(keys)).OutputClaimToHeader("x-user", "sub").OutputPayloadToHeader("x-jwt-payload"))
            .AddAuthorizationPolicy("admins", p => p.Allow().Rule(r => r.From(requestPrincipals: [JwtKeys.Issuer + "/admin"])))
            .AddAuthorizationPolicy("mtls-admin", p => p.Allow().Rule(r => r.From(principals: ["cluster.local/ns/default/sa/admin"]))));
        using var client = gateway.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/p");
        request.Headers.TryAddWithoutValidation(header, value);

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Empty(upstream.Seen);
    }
}
