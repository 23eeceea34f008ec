using System.Collections.Frozen;
using Gateway.Middleware.Routing;

namespace Gateway.Middleware.Tests.Routing;

/// <summary>
/// Virtual host selection (DESIGN.md "Host matching"): exact beats wildcard, the longer wildcard beats the
/// shorter, <c>*</c> last; <c>*.suffix</c> needs at least one label (never the apex); case and port ignored.
/// The suffix lookup is compared with the plain definition (longest suffix the host ends with).
/// </summary>
public sealed class RouteTableTests
{
    private static readonly string[] Suffixes = [".example.com", ".api.example.com", ".com", ".b.c.example.com"];

    [Theory]
    [InlineData("shop.example.com", "shop.example.com")]
    [InlineData("SHOP.Example.com:8443", "shop.example.com")]
    [InlineData("a.example.com", "*.example.com")]
    [InlineData("a.b.example.com", "*.example.com")]
    [InlineData("x.api.example.com", "*.api.example.com")]
    [InlineData("api.example.com", "*.example.com")] // the apex of *.api.example.com is not covered
    [InlineData("x.b.c.example.com", "*.b.c.example.com")]
    [InlineData("example.com", "*.com")]
    [InlineData(".example.com", "*.com")] // a leading dot is no label
    [InlineData("com", "*")]
    [InlineData("localhost", "*")]
    [InlineData("", "*")]
    [InlineData("[::1]:8080", "*")]
    public void MatchHost_ExactThenLongestWildcardThenAny(string host, string expected)
        => Assert.Equal(expected, Table().MatchHost(host)!.Name);

    [Fact]
    public void MatchHost_RandomHosts_SameAsLongestEndsWith()
    {
        var table = Table();
        var labels = new[] { "a", "b", "c", "api", "example", "com", "COM", "" };
        var random = new Random(7);
        for (var i = 0; i < 5000; i++)
        {
            var host = string.Join('.', Enumerable.Range(0, random.Next(1, 6)).Select(_ => labels[random.Next(labels.Length)]));

            Assert.Equal(Reference(host), table.MatchHost(host)!.Name);
        }
    }

    private static string Reference(string host)
    {
        if (string.Equals(host, "shop.example.com", StringComparison.OrdinalIgnoreCase))
        {
            return "shop.example.com";
        }

        string? best = null;
        foreach (var suffix in Suffixes)
        {
            if (host.Length > suffix.Length && host.EndsWith(suffix, StringComparison.OrdinalIgnoreCase) && (best is null || suffix.Length > best.Length))
            {
                best = suffix;
            }
        }

        return best is null ? "*" : "*" + best;
    }

    private static RouteTable Table()
    {
        var exact = new Dictionary<string, VirtualHost>(StringComparer.OrdinalIgnoreCase) { ["shop.example.com"] = new("shop.example.com", "s", []) };
        var suffixes = new (string, VirtualHost)[Suffixes.Length];
        for (var i = 0; i < Suffixes.Length; i++)
        {
            suffixes[i] = (Suffixes[i], new VirtualHost("*" + Suffixes[i], "s", []));
        }

        return new RouteTable(exact.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase), suffixes, new VirtualHost("*", "s", []));
    }
}
