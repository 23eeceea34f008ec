using System.Net;
using System.Text.Json;
using Gateway.Middleware.Authentication;
using Gateway.Middleware.Authorization;
using Microsoft.AspNetCore.Http;

namespace Gateway.Middleware.Tests.Authorization;

/// <summary>Builds requests and single-policy engines for the matcher tables.</summary>
internal static class RbacTestRequests
{
    public static DefaultHttpContext Request(
        string method = "GET",
        string path = "/",
        string host = "example.com",
        int localPort = 8080,
        string? peer = "10.0.0.1",
        string? xff = null,
        params (string Name, string Value)[] headers)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = method;
        context.Request.Path = path;
        context.Request.Host = new HostString(host);
        context.Connection.LocalPort = localPort;
        context.Connection.RemoteIpAddress = peer is null ? null : IPAddress.Parse(peer);
        if (xff is not null)
        {
            context.Request.Headers["X-Forwarded-For"] = xff;
        }

        foreach (var (name, value) in headers)
        {
            context.Request.Headers.Append(name, value);
        }

        return context;
    }

    public static JwtPrincipal Principal(string issuer = "https://issuer.example", string subject = "alice", string claimsJson = "{}", string[]? audiences = null, string? presenter = null)
    {
        using var document = JsonDocument.Parse(claimsJson);
        return new JwtPrincipal(issuer, subject, audiences ?? [], presenter, document.RootElement.Clone());
    }

    /// <summary>Whether one ALLOW policy with <paramref name="rule"/> allows the request.</summary>
    public static bool Allows(AuthorizationPolicyRuleConfig rule, HttpContext context, JwtPrincipal? principal = null, int hops = 0)
    {
        var errors = new List<string>();
        var engine = RbacCompiler.Compile([new AuthorizationPolicyConfig { Name = "p", Rules = [rule] }], errors);
        Assert.Empty(errors);
        return engine.IsAllowed(new RbacRequest(context, principal, hops), out _);
    }

    public static AuthorizationPolicyRuleConfig From(AuthorizationPolicySourceConfig source) => new() { From = [source] };

    public static AuthorizationPolicyRuleConfig To(AuthorizationPolicyOperationConfig operation) => new() { To = [operation] };

    public static AuthorizationPolicyRuleConfig When(string key, string[]? values = null, string[]? notValues = null)
        => new() { When = [new AuthorizationPolicyConditionConfig { Key = key, Values = values ?? [], NotValues = notValues ?? [] }] };
}
