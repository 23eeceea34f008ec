using System.Net;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Gateway.Middleware.Authentication;
using Gateway.Middleware.Authorization;
using Microsoft.AspNetCore.Http;

namespace Gateway.Middleware.Benchmarks.Authorization;

/// <summary>
/// Evaluating authorization policies for one request: DENY then ALLOW over paths, methods, hosts and IP blocks
/// (target: no allocation), the same with a claim condition, and 100 DENY policies that do not match.
/// </summary>
[MemoryDiagnoser]
public class RbacEvaluationBenchmarks
{
    private RbacEngine _noClaims = null!;
    private RbacEngine _claims = null!;
    private RbacEngine _hundred = null!;
    private DefaultHttpContext _context = null!;
    private JwtPrincipal _principal = null!;

    [GlobalSetup]
    public void Setup()
    {
        var deny = new AuthorizationPolicyConfig
        {
            Name = "deny",
            Action = AuthorizationPolicyAction.Deny,
            Rules = [new() { To = [new() { Paths = ["/admin*", "/v1/{*}/secret/{**}"], Methods = ["DELETE"] }] }],
        };
        var allow = new AuthorizationPolicyConfig
        {
            Name = "allow",
            Rules =
            [
                new()
                {
                    From = [new() { IpBlocks = ["10.0.0.0/8"], RequestPrincipals = ["*"] }],
                    To = [new() { Hosts = ["*.example.com"], Methods = ["GET", "POST"], NotPaths = ["/internal*"] }],
                },
            ],
        };
        var claims = allow with
        {
            Rules = [allow.Rules[0] with { When = [new() { Key = "request.auth.claims[groups]", Values = ["admins"] }] }],
        };
        _noClaims = RbacCompiler.Compile([deny, allow], []);
        _claims = RbacCompiler.Compile([deny, claims], []);
        var hundred = new List<AuthorizationPolicyConfig>();
        for (var i = 0; i < 100; i++)
        {
            hundred.Add(deny with { Name = $"deny-{i}", Rules = [new() { To = [new() { Paths = [$"/blocked/{i}*"] }] }] });
        }

        hundred.Add(allow);
        _hundred = RbacCompiler.Compile(hundred, []);

        _context = new DefaultHttpContext();
        _context.Request.Method = "GET";
        _context.Request.Path = "/v1/items/42";
        _context.Request.Host = new HostString("api.example.com:8443");
        _context.Connection.RemoteIpAddress = IPAddress.Parse("10.1.2.3");
        using var payload = JsonDocument.Parse("""{"groups":["dev","admins"]}""");
        _principal = new JwtPrincipal("https://issuer", "alice", ["api"], null, payload.RootElement.Clone());
    }

    [Benchmark(Baseline = true, Description = "DENY + ALLOW, no claims")]
    public bool NoClaims() => _noClaims.IsAllowed(new RbacRequest(_context, _principal, 0), out _);

    [Benchmark(Description = "DENY + ALLOW with a list-claim condition")]
    public bool Claims() => _claims.IsAllowed(new RbacRequest(_context, _principal, 0), out _);

    [Benchmark(Description = "100 DENY policies + ALLOW")]
    public bool HundredPolicies() => _hundred.IsAllowed(new RbacRequest(_context, _principal, 0), out _);
}
