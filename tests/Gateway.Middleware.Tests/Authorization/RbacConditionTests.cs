using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http.Features;
using static Gateway.Middleware.Tests.Authorization.RbacTestRequests;

namespace Gateway.Middleware.Tests.Authorization;

/// <summary>Istio <c>Condition</c> keys supported at the ingress gateway, with values / notValues.</summary>
public sealed class RbacConditionTests
{
    private const string Claims = """{"iss":"https://issuer.example","sub":"alice","groups":["dev","admins"],"role":"editor","org":{"team":{"name":"core"}},"level":3,"tags":[1,"x"]}""";

    [Theory]
    [InlineData("request.auth.claims[role]", "editor", true)]
    [InlineData("request.auth.claims[role]", "edit*", true)]
    [InlineData("request.auth.claims[role]", "*tor", true)]
    [InlineData("request.auth.claims[role]", "*", true)]
    [InlineData("request.auth.claims[role]", "viewer", false)]
    [InlineData("request.auth.claims[groups]", "admins", true)] // a list claim matches if any element does
    [InlineData("request.auth.claims[groups]", "ops", false)]
    [InlineData("request.auth.claims[org][team][name]", "core", true)] // nested [a][b]
    [InlineData("request.auth.claims[org][team][name]", "edge", false)]
    [InlineData("request.auth.claims[org][team]", "*", false)] // an object is not a string
    [InlineData("request.auth.claims[missing]", "*", false)]
    [InlineData("request.auth.claims[level]", "3", false)] // only string claims match
    [InlineData("request.auth.claims[tags]", "x", true)]
    public void Claims_Table(string key, string value, bool allowed)
        => Assert.Equal(allowed, Allows(When(key, [value]), Request(), Principal(claimsJson: Claims)));

    [Fact]
    public void Claims_NoPrincipal_NoMatch()
        => Assert.False(Allows(When("request.auth.claims[role]", ["*"]), Request(), principal: null));

    [Theory]
    [InlineData("admins", false)]
    [InlineData("ops", true)]
    public void Claims_NotValues_Table(string value, bool allowed)
        => Assert.Equal(allowed, Allows(When("request.auth.claims[groups]", notValues: [value]), Request(), Principal(claimsJson: Claims)));

    [Theory]
    [InlineData(new[] { "admins" }, new[] { "dev" }, false)] // values match, but so does a notValue
    [InlineData(new[] { "admins" }, new[] { "ops" }, true)]
    public void Claims_ValuesAndNotValues_BothApply(string[] values, string[] notValues, bool allowed)
        => Assert.Equal(allowed, Allows(When("request.auth.claims[groups]", values, notValues), Request(), Principal(claimsJson: Claims)));

    [Theory]
    [InlineData("request.auth.principal", "https://issuer.example/alice", true)]
    [InlineData("request.auth.principal", "https://issuer.example/*", true)]
    [InlineData("request.auth.principal", "https://other/*", false)]
    [InlineData("request.auth.audiences", "api", true)]
    [InlineData("request.auth.audiences", "web*", true)]
    [InlineData("request.auth.audiences", "admin", false)]
    [InlineData("request.auth.presenter", "client-1", true)]
    [InlineData("request.auth.presenter", "client-2", false)]
    public void AuthAttributes_Table(string key, string value, bool allowed)
    {
        var principal = Principal(audiences: ["api", "web-app"], presenter: "client-1");
        Assert.Equal(allowed, Allows(When(key, [value]), Request(), principal));
    }

    [Theory]
    [InlineData("request.auth.principal")]
    [InlineData("request.auth.audiences")]
    [InlineData("request.auth.presenter")]
    public void AuthAttributes_NoPrincipal_NoMatch(string key)
        => Assert.False(Allows(When(key, ["*"]), Request(), principal: null));

    [Theory]
    [InlineData("x-tenant", "acme", "acme", true)]
    [InlineData("X-Tenant", "acme", "acme", true)] // header names are case-insensitive
    [InlineData("x-tenant", "acme-eu", "acme*", true)]
    [InlineData("x-tenant", "other", "acme", false)]
    [InlineData("x-tenant", "anything", "*", true)]
    [InlineData("x-other", "acme", "*", false)] // absent header
    public void Headers_Table(string sentName, string sentValue, string value, bool allowed)
        => Assert.Equal(allowed, Allows(When("request.headers[x-tenant]", [value]), Request(headers: (sentName, sentValue))));

    [Fact]
    public void Headers_SeveralValues_ComparedJoinedWithComma()
    {
        var context = Request(headers: [("x-tenant", "a"), ("x-tenant", "b")]);
        Assert.True(Allows(When("request.headers[x-tenant]", ["a,b"]), context));
        Assert.False(Allows(When("request.headers[x-tenant]", ["b"]), context));
    }

    [Theory]
    [InlineData("source.ip", "10.0.0.0/8", true)]
    [InlineData("source.ip", "1.1.1.1", false)]
    [InlineData("remote.ip", "1.1.1.1", true)]
    [InlineData("remote.ip", "10.0.0.1", false)]
    [InlineData("destination.port", "8080", true)]
    [InlineData("destination.port", "443", false)]
    public void ConnectionAttributes_Table(string key, string value, bool allowed)
        => Assert.Equal(allowed, Allows(When(key, [value]), Request(peer: "10.0.0.1", xff: "1.1.1.1", localPort: 8080), hops: 1));

    [Theory]
    [InlineData("api.example.com", "api.example.com", true)]
    [InlineData("api.example.com", "*.example.com", true)]
    [InlineData("api.example.com", "web.example.com", false)]
    [InlineData(null, "*", false)] // plain text: no SNI
    public void ConnectionSni_Table(string? sni, string value, bool allowed)
    {
        var context = Request();
        if (sni is not null)
        {
            context.Features.Set<ITlsHandshakeFeature>(new SniFeature(sni));
        }

        Assert.Equal(allowed, Allows(When("connection.sni", [value]), context));
    }

    [Fact]
    public void When_SeveralConditions_AllMustHold()
    {
        var rule = new Gateway.Middleware.Authorization.AuthorizationPolicyRuleConfig
        {
            When =
            [
                new() { Key = "request.auth.claims[groups]", Values = ["admins"] },
                new() { Key = "request.headers[x-tenant]", Values = ["acme"] },
            ],
        };
        Assert.True(Allows(rule, Request(headers: ("x-tenant", "acme")), Principal(claimsJson: Claims)));
        Assert.False(Allows(rule, Request(headers: ("x-tenant", "other")), Principal(claimsJson: Claims)));
    }

    private sealed class SniFeature(string hostName) : ITlsHandshakeFeature
    {
        public string HostName => hostName;

        public System.Security.Authentication.SslProtocols Protocol => System.Security.Authentication.SslProtocols.Tls13;

        public System.Net.Security.TlsCipherSuite? NegotiatedCipherSuite => null;

#pragma warning disable SYSLIB0058 // the interface still declares the obsolete members
        public System.Security.Authentication.CipherAlgorithmType CipherAlgorithm => default;

        public int CipherStrength => 0;

        public System.Security.Authentication.HashAlgorithmType HashAlgorithm => default;

        public int HashStrength => 0;

        public System.Security.Authentication.ExchangeAlgorithmType KeyExchangeAlgorithm => default;

        public int KeyExchangeStrength => 0;
#pragma warning restore SYSLIB0058
    }
}
