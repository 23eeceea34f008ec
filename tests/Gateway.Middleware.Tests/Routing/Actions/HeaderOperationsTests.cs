using Gateway.Middleware.Configuration;
using Gateway.Middleware.Routing.Actions;
using Microsoft.AspNetCore.Http;

namespace Gateway.Middleware.Tests.Routing.Actions;

/// <summary>
/// Istio <c>HeaderOperations</c> on the upstream request and the client response: remove, then set
/// (overwrite), then add (one more value, Envoy's APPEND_IF_EXISTS_OR_ADD); names case-insensitive.
/// </summary>
public sealed class HeaderOperationsTests
{
    [Fact]
    public void ApplyToRequest_SetAddRemove_OverwritesAppendsAndRemoves()
    {
        using var message = new HttpRequestMessage(HttpMethod.Get, "http://upstream/");
        message.Headers.TryAddWithoutValidation("X-Set", "client");
        message.Headers.TryAddWithoutValidation("X-Add", "client");
        message.Headers.TryAddWithoutValidation("X-Remove", "client");
        var operations = new HeaderOperations(new HeaderOperationsConfig
        {
            Set = [new("x-set", "gateway")],
            Add = [new("x-add", "gateway"), new("x-new", "v")],
            Remove = ["x-REMOVE"],
        });

        operations.ApplyTo(message);

        Assert.Equal(["gateway"], message.Headers.GetValues("X-Set"));
        Assert.Equal(["client", "gateway"], message.Headers.GetValues("X-Add"));
        Assert.Equal(["v"], message.Headers.GetValues("x-new"));
        Assert.False(message.Headers.Contains("X-Remove"));
    }

    [Fact]
    public void ApplyToRequest_RemoveThenSetSameName_SetWins()
    {
        // Envoy evaluates removals before additions whatever the order they were declared in.
        using var message = new HttpRequestMessage(HttpMethod.Get, "http://upstream/");
        message.Headers.TryAddWithoutValidation("X-Both", "client");
        var operations = new HeaderOperations(new HeaderOperationsConfig { Set = [new("X-Both", "gateway")], Remove = ["X-Both"] });

        operations.ApplyTo(message);

        Assert.Equal(["gateway"], message.Headers.GetValues("X-Both"));
    }

    [Fact]
    public void ApplyToRequest_ContentHeaders_GoToTheContent()
    {
        using var message = new HttpRequestMessage(HttpMethod.Post, "http://upstream/") { Content = new ByteArrayContent([1]) };
        message.Content.Headers.TryAddWithoutValidation("Content-Type", "text/plain");
        message.Content.Headers.TryAddWithoutValidation("Content-Language", "en");
        var operations = new HeaderOperations(new HeaderOperationsConfig
        {
            Set = [new("content-type", "application/json")],
            Remove = ["content-language"],
        });

        operations.ApplyTo(message);

        Assert.Equal(["application/json"], message.Content.Headers.GetValues("Content-Type"));
        Assert.False(message.Content.Headers.Contains("Content-Language"));
    }

    [Fact]
    public void ApplyToRequest_ContentHeaderWithoutBody_IsSkipped()
    {
        using var message = new HttpRequestMessage(HttpMethod.Get, "http://upstream/");
        var operations = new HeaderOperations(new HeaderOperationsConfig { Set = [new("Content-Type", "text/plain")], Remove = ["Content-Type"] });

        operations.ApplyTo(message);

        Assert.Null(message.Content);
    }

    /// <summary>Istio: setting <c>:authority</c> or <c>Host</c> rewrites the authority; neither can be removed.</summary>
    [Theory]
    [InlineData("Host")]
    [InlineData(":authority")]
    public void ApplyToRequest_AuthorityHeader_RewritesHostAndCannotBeRemoved(string name)
    {
        using var message = new HttpRequestMessage(HttpMethod.Get, "http://upstream/");
        message.Headers.Host = "client.example.com";
        var operations = new HeaderOperations(new HeaderOperationsConfig { Set = [new(name, "internal.example.com")], Remove = [name, ":path"] });

        operations.ApplyTo(message);

        Assert.Equal("internal.example.com", message.Headers.Host);
    }

    [Fact]
    public void ApplyToRequest_InvalidNamesAndValues_AreIgnored()
    {
        using var message = new HttpRequestMessage(HttpMethod.Get, "http://upstream/");
        var operations = new HeaderOperations(new HeaderOperationsConfig
        {
            Set = [new("bad name", "v"), new("x-split", "a\r\nx-injected: b"), new(":path", "/x")],
            Add = [new("", "v")],
            Remove = ["bad name", ""],
        });

        operations.ApplyTo(message);

        Assert.Empty(message.Headers);
    }

    [Fact]
    public void ApplyToResponse_SetAddRemove_OverwritesAppendsAndRemoves()
    {
        var headers = new HeaderDictionary
        {
            ["X-Set"] = "upstream",
            ["X-Add"] = "upstream",
            ["X-Remove"] = "upstream",
            ["Set-Cookie"] = "a=1",
        };
        var operations = new HeaderOperations(new HeaderOperationsConfig
        {
            Set = [new("x-set", "gateway")],
            Add = [new("x-add", "gateway"), new("set-cookie", "b=2")],
            Remove = ["x-remove", ":status"],
        });

        operations.ApplyTo(headers);

        Assert.Equal("gateway", headers["X-Set"]);
        Assert.Equal("upstream,gateway", string.Join(',', headers["X-Add"].ToArray()));
        Assert.Equal(2, headers["X-Add"].Count);
        // One more value, never a comma-joined one: Set-Cookie values must stay apart.
        Assert.Equal(2, headers["Set-Cookie"].Count);
        Assert.Equal("a=1|b=2", string.Join('|', headers["Set-Cookie"].ToArray()));
        Assert.False(headers.ContainsKey("X-Remove"));
    }
}
