using Gateway.Middleware.Authorization;
using static Gateway.Middleware.Tests.Authorization.RbacTestRequests;

namespace Gateway.Middleware.Tests.Authorization;

/// <summary>
/// Istio's evaluation order (AuthorizationPolicy reference, "Authorization Policy"): DENY first; no ALLOW
/// policy → allow; any ALLOW match → allow; else deny. AUDIT never decides. <c>spec: {}</c> denies all,
/// <c>rules: [{}]</c> allows all.
/// </summary>
public sealed class RbacEngineTests
{
    private static readonly AuthorizationPolicyRuleConfig AdminPaths = new() { To = [new() { Paths = ["/admin*"] }] };
    private static readonly AuthorizationPolicyRuleConfig PublicPaths = new() { To = [new() { Paths = ["/public*", "/admin/health"] }] };
    private static readonly AuthorizationPolicyRuleConfig Everything = new();

    [Theory]
    // name of case, policies as "action:rule" (rule: admin | public | all | none), path, allowed, deciding policy
    [InlineData("no policy", "", "/admin", true, null)]
    [InlineData("deny only", "DENY:admin", "/admin", false, "p0")]
    [InlineData("deny only, no match", "DENY:admin", "/x", true, null)]
    [InlineData("allow only, match", "ALLOW:public", "/public/a", true, "p0")]
    [InlineData("allow only, no match", "ALLOW:public", "/x", false, null)]
    [InlineData("deny wins over allow", "ALLOW:public,DENY:admin", "/admin/health", false, "p1")]
    [InlineData("deny then allow", "ALLOW:public,DENY:admin", "/public/a", true, "p0")]
    [InlineData("deny, allow, neither", "ALLOW:public,DENY:admin", "/other", false, null)]
    [InlineData("spec {} denies all", "ALLOW:none", "/public/a", false, null)]
    [InlineData("rules [{}] allows all", "ALLOW:all", "/anything", true, "p0")]
    [InlineData("spec {} beside rules [{}]", "ALLOW:none,ALLOW:all", "/anything", true, "p1")]
    [InlineData("deny with no rules matches nothing", "DENY:none", "/admin", true, null)]
    [InlineData("deny rules [{}] denies all", "DENY:all", "/public", false, "p0")]
    [InlineData("audit never denies", "AUDIT:all", "/admin", true, null)]
    [InlineData("audit is not an allow policy", "AUDIT:public,DENY:admin", "/x", true, null)]
    public void IsAllowed_EvaluationOrder_Table(string name, string policies, string path, bool allowed, string? deciding)
    {
        _ = name;
        var configs = new List<AuthorizationPolicyConfig>();
        foreach (var (spec, i) in policies.Split(',', StringSplitOptions.RemoveEmptyEntries).Select((s, i) => (s, i)))
        {
            var parts = spec.Split(':');
            configs.Add(new AuthorizationPolicyConfig
            {
                Name = $"p{i}",
                Action = Enum.Parse<AuthorizationPolicyAction>(parts[0], ignoreCase: true),
                Rules = parts[1] switch
                {
                    "admin" => [AdminPaths],
                    "public" => [PublicPaths],
                    "all" => [Everything],
                    _ => [],
                },
            });
        }

        var errors = new List<string>();
        var engine = RbacCompiler.Compile(configs, errors);
        Assert.Empty(errors);

        Assert.Equal(allowed, engine.IsAllowed(new RbacRequest(Request(path: path), null, 0), out var policy));
        Assert.Equal(deciding, policy?.Name);
    }

    [Fact]
    public void MatchAudit_MatchingAuditPolicy_Returned()
    {
        var engine = RbacCompiler.Compile([new AuthorizationPolicyConfig { Name = "audit-admin", Action = AuthorizationPolicyAction.Audit, Rules = [AdminPaths] }], []);
        Assert.Equal("audit-admin", engine.MatchAudit(new RbacRequest(Request(path: "/admin"), null, 0))?.Name);
        Assert.Null(engine.MatchAudit(new RbacRequest(Request(path: "/x"), null, 0)));
    }

    [Fact]
    public void Rule_FromToWhen_AllMustMatch()
    {
        var rule = new AuthorizationPolicyRuleConfig
        {
            From = [new() { RequestPrincipals = ["*"] }],
            To = [new() { Methods = ["POST"] }],
            When = [new() { Key = "request.auth.claims[groups]", Values = ["admins"] }],
        };
        var admin = Principal(claimsJson: """{"groups":["admins"]}""");
        var dev = Principal(claimsJson: """{"groups":["dev"]}""");

        Assert.True(Allows(rule, Request(method: "POST"), admin));
        Assert.False(Allows(rule, Request(method: "GET"), admin));
        Assert.False(Allows(rule, Request(method: "POST"), dev));
        Assert.False(Allows(rule, Request(method: "POST"), null));
    }

    [Fact]
    public void IsAllowed_WithoutClaims_AllocatesNothing()
    {
        var engine = RbacCompiler.Compile(
        [
            new AuthorizationPolicyConfig
            {
                Name = "deny",
                Action = AuthorizationPolicyAction.Deny,
                Rules = [new() { To = [new() { Paths = ["/admin*", "/v1/{*}/secret/{**}"], Methods = ["DELETE"] }] }],
            },
            new AuthorizationPolicyConfig
            {
                Name = "allow",
                Rules =
                [
                    new()
                    {
                        From = [new() { IpBlocks = ["10.0.0.0/8"], NotRemoteIpBlocks = ["6.6.6.6"], RequestPrincipals = ["*"] }],
                        To = [new() { Hosts = ["*.example.com"], Ports = [8080], NotPaths = ["/internal*"] }],
                        When = [new() { Key = "request.headers[x-tenant]", Values = ["acme*"] }],
                    },
                ],
            },
        ], []);
        var request = new RbacRequest(Request(path: "/v1/items", host: "api.example.com:8080", headers: ("x-tenant", "acme")), Principal(), 0);
        Assert.True(engine.IsAllowed(request, out _));

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++)
        {
            _ = engine.IsAllowed(request, out _);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
