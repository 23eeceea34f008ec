using Gateway.Middleware.Authorization;
using static Gateway.Middleware.Tests.Authorization.RbacTestRequests;

namespace Gateway.Middleware.Tests.Authorization;

/// <summary>Istio <c>Operation</c>: hosts, ports, methods, paths and their negations.</summary>
public sealed class RbacOperationTests
{
    [Theory]
    [InlineData("example.com", "example.com", true)]
    [InlineData("example.com", "EXAMPLE.com", true)] // case-insensitive
    [InlineData("example.com", "example.com:8443", true)] // port ignored unless the value has one
    [InlineData("example.com:8443", "example.com:8443", true)]
    [InlineData("example.com:8443", "example.com:9000", false)]
    [InlineData("example.com", "other.com", false)]
    [InlineData("*.example.com", "api.example.com", true)]
    [InlineData("*.example.com", "example.com", false)]
    [InlineData("api.*", "api.example.com", true)]
    [InlineData("*", "anything.org", true)]
    [InlineData("[::1]", "[::1]:8080", true)]
    public void Hosts_Table(string pattern, string host, bool allowed)
        => Assert.Equal(allowed, Allows(To(new() { Hosts = [pattern] }), Request(host: host)));

    [Theory]
    [InlineData("example.com", false)]
    [InlineData("other.com", true)]
    public void NotHosts_Table(string host, bool allowed)
        => Assert.Equal(allowed, Allows(To(new() { NotHosts = ["Example.COM"] }), Request(host: host)));

    [Theory]
    [InlineData(8080, true)]
    [InlineData(8443, true)]
    [InlineData(9000, false)]
    public void Ports_LocalPort_Table(int localPort, bool allowed)
        => Assert.Equal(allowed, Allows(To(new() { Ports = [8080, 8443] }), Request(localPort: localPort)));

    [Theory]
    [InlineData(8080, false)]
    [InlineData(9000, true)]
    public void NotPorts_Table(int localPort, bool allowed)
        => Assert.Equal(allowed, Allows(To(new() { NotPorts = [8080] }), Request(localPort: localPort)));

    [Theory]
    [InlineData("GET", true)]
    [InlineData("HEAD", true)]
    [InlineData("POST", false)]
    [InlineData("get", false)] // exact, as Envoy compares :method
    public void Methods_Table(string method, bool allowed)
        => Assert.Equal(allowed, Allows(To(new() { Methods = ["GET", "HEAD"] }), Request(method: method)));

    [Theory]
    [InlineData("DELETE", false)]
    [InlineData("GET", true)]
    public void NotMethods_Table(string method, bool allowed)
        => Assert.Equal(allowed, Allows(To(new() { NotMethods = ["DELETE"] }), Request(method: method)));

    [Theory]
    [InlineData("/public/a", true)]
    [InlineData("/health", true)]
    [InlineData("/healthz", false)]
    [InlineData("/v1/items/42", true)]
    [InlineData("/v1/items/42/x", false)]
    [InlineData("/admin", false)]
    public void Paths_Table(string path, bool allowed)
        => Assert.Equal(allowed, Allows(To(new() { Paths = ["/public/*", "/health", "/v1/items/{*}"] }), Request(path: path)));

    [Theory]
    [InlineData("/admin", false)]
    [InlineData("/admin/users", false)]
    [InlineData("/public", true)]
    public void NotPaths_Table(string path, bool allowed)
        => Assert.Equal(allowed, Allows(To(new() { NotPaths = ["/admin*"] }), Request(path: path)));

    [Theory]
    // methods AND paths within one operation; operations OR.
    [InlineData("GET", "/info/x", true)]
    [InlineData("POST", "/info/x", false)]
    [InlineData("POST", "/data", true)]
    [InlineData("GET", "/data", false)]
    public void To_FieldsAnd_EntriesOr(string method, string path, bool allowed)
    {
        // The example of Istio's AuthorizationPolicy reference.
        var rule = new AuthorizationPolicyRuleConfig
        {
            To = [new() { Methods = ["GET"], Paths = ["/info*"] }, new() { Methods = ["POST"], Paths = ["/data"] }],
        };
        Assert.Equal(allowed, Allows(rule, Request(method: method, path: path)));
    }
}
