using Gateway.Middleware.Routing;

namespace Gateway.Middleware.Tests.Configuration.AppSettings;

/// <summary>
/// Issue 4: the same validation messages as YAML, with the section path in place of file and document.
/// Binding reports what <c>ConfigurationBinder</c> would silently drop (unknown keys, values of the wrong
/// type) at the key's path; the model validator's messages read <c>{section}: {field path}: why</c>.
/// </summary>
public sealed class AppSettingsErrorTests
{
    [Theory]
    [InlineData("""{ "Gateway": { "Rutes": [] } }""", "Gateway:Rutes: unknown field")]
    [InlineData("""{ "Gateway": { "Routes": [ { "Name": "r", "Match": [ { "Uri": { "Regx": "/a" } } ] } ] } }""", "Gateway:Routes:0:Match:0:Uri:Regx: unknown field")]
    [InlineData("""{ "Gateway": { "Routes": [ { "Name": "r", "Retires": { "Attempts": 3 } } ] } }""", "Gateway:Routes:0:Retires: unknown field")]
    [InlineData("""{ "Gateway": { "Routes": [ { "Name": "r", "Route": [ { "Destination": { "Host": "up", "Subst": "v1" } } ] } ] } }""", "Gateway:Routes:0:Route:0:Destination:Subst: unknown field")]
    [InlineData("""{ "Gateway": { "Upstreams": { "up": { "Endpoint": [ "http://127.0.0.1:1" ] } } } }""", "Gateway:Upstreams:up:Endpoint: unknown field")]
    [InlineData("""{ "Gateway": { "Upstreams": { "up": { "Subsets": { "v1": { "version": "v1" } } } } } }""", "Gateway:Upstreams:up:Subsets:v1:version: unknown field")]
    [InlineData("""{ "Gateway": { "Servers": { "http": { "Port": 80, "Tsl": true } } } }""", "Gateway:Servers:http:Tsl: unknown field")]
    [InlineData("""{ "Gateway": { "Routes": [ { "Name": "r", "Redirect": { "Uri": "/", "DerivePort": "FROM_REQUEST_PORT" } } ] } }""", "Gateway:Routes:0:Redirect:DerivePort: unknown field")]
    public void Load_UnknownKey_ErrorNamesItsSectionPath(string json, string error)
        => Assert.Equal([error], AppSettings.Load(json).Errors);

    [Theory]
    [InlineData("""{ "Gateway": { "Servers": { "https": { "Port": "https" } } } }""", "Gateway:Servers:https:Port: 'https' is not an integer")]
    [InlineData("""{ "Gateway": { "Servers": { "https": { "Tls": "yes" } } } }""", "Gateway:Servers:https:Tls: 'yes' is not true or false")]
    [InlineData("""{ "Gateway": { "Servers": { "https": { "Hosts": "example.com" } } } }""", "Gateway:Servers:https:Hosts: expected a list, got 'example.com'")]
    [InlineData("""{ "Gateway": { "Upstreams": { "up": { "Protocol": "Http3" } } } }""", "Gateway:Upstreams:up:Protocol: 'Http3' is not one of Http1, Http2 or Auto")]
    [InlineData("""{ "Gateway": { "Upstreams": { "up": { "ConnectTimeout": "2" } } } }""", "Gateway:Upstreams:up:ConnectTimeout: '2' is not a duration: write 00:00:05 or 5s, 100ms, 1m30s")]
    [InlineData("""{ "Gateway": { "Upstreams": "reviews" } }""", "Gateway:Upstreams: expected an object of named entries, got 'reviews'")]
    [InlineData("""{ "Gateway": { "Routes": { "jason": { "Name": "jason" } } } }""", "Gateway:Routes:jason: expected a list item (an index), got a named field")]
    [InlineData("""{ "Gateway": { "Servers": [ { "Port": 80 } ] } }""", "Gateway:Servers: expected named entries (\"name\": { ... }), got a list")]
    [InlineData("""{ "Gateway": { "Routes": [ { "Name": { "First": "a" } } ] } }""", "Gateway:Routes:0:Name: expected a value, got an object or a list")]
    [InlineData("""{ "Gateway": { "Routes": [ { "Name": "r", "Match": [ { "Headers": { "end-user": "jason" } } ] } ] } }""", "Gateway:Routes:0:Match:0:Headers:end-user: expected an object with one of Exact, Prefix or Regex, got 'jason'")]
    [InlineData("""{ "Gateway": { "Routes": [ { "Name": "r", "Match": [ { "Uri": { "Exact": "/a", "Prefix": "/b" } } ] } ] } }""", "Gateway:Routes:0:Match:0:Uri: give one of Exact, Prefix or Regex")]
    [InlineData("""{ "Gateway": { "Routes": [ { "Name": "r", "Match": [ { "IgnoreUriCase": 1 } ] } ] } }""", "Gateway:Routes:0:Match:0:IgnoreUriCase: '1' is not true or false")]
    [InlineData("""{ "Gateway": { "Routes": [ { "Name": "r", "Route": [ { "Destination": { "Subset": "v1" } } ] } ] } }""", "Gateway:Routes:0:Route:0:Destination:Host: required")]
    [InlineData("""{ "Gateway": { "Routes": [ { "Name": "r", "Route": [ { "Weight": 100 } ] } ] } }""", "Gateway:Routes:0:Route:0:Destination: required")]
    [InlineData("""{ "Gateway": { "Routes": [ { "Name": "r", "Retries": { "RetryOn": "5xx" } } ] } }""", "Gateway:Routes:0:Retries:Attempts: required")]
    [InlineData("""{ "Gateway": { "Routes": [ { "Name": "r", "DirectResponse": { "Body": "x" } } ] } }""", "Gateway:Routes:0:DirectResponse:Status: required")]
    [InlineData("""{ "Gateway": { "Routes": [ { "Name": "r", "Fault": { "Delay": { "Percentage": 10 } } } ] } }""", "Gateway:Routes:0:Fault:Delay:FixedDelay: required")]
    [InlineData("""{ "Gateway": { "Routes": [ { "Name": "r", "Fault": { "Abort": { "HttpStatus": 503, "Percentage": "half" } } } ] } }""", "Gateway:Routes:0:Fault:Abort:Percentage: 'half' is not a number")]
    [InlineData("""{ "Gateway": { "Routes": [ { "Name": "r", "Rewrite": { "UriRegexRewrite": { "Match": "^/a" } } } ] } }""", "Gateway:Routes:0:Rewrite:UriRegexRewrite:Rewrite: required")]
    [InlineData("""{ "Gateway": { "Routes": [ { "Name": "r", "CorsPolicy": { "UnmatchedPreflights": "Drop" } } ] } }""", "Gateway:Routes:0:CorsPolicy:UnmatchedPreflights: 'Drop' is not one of Forward or Ignore")]
    [InlineData("""{ "Gateway": { "Upstreams": { "up": { "Endpoints": [ { "Labels": { "version": "v1" } } ] } } } }""", "Gateway:Upstreams:up:Endpoints:0:Address: required")]
    public void Load_WrongTypeOrMissingValue_ErrorNamesItsSectionPath(string json, string error)
        => Assert.Equal([error], AppSettings.Load(json).Errors);

    [Fact]
    public void Start_InvalidRegex_ValidatorMessageStartsWithTheRouteSectionPath()
    {
        var errors = AppSettings.Errors(AppSettings.WithRoutes("""
            { "Name": "bad", "Match": [ { "Uri": { "Regex": "([a-z" } } ], "Route": [ { "Destination": { "Host": "up" } } ] }
            """));

        Assert.Equal([$"Gateway:Routes:0: match[0].uri.regex: invalid pattern '([a-z': {StringMatcher.ValidateRegex("([a-z")}"], errors);
    }

    [Fact]
    public void Start_SeveralMistakes_EveryErrorListedOnce()
    {
        var errors = AppSettings.Errors("""
            { "Gateway": {
              "Servers": { "http": { "Port": 0 } },
              "Upstreams": {
                "reviews": { "Endpoints": [ "127.0.0.1:9080" ], "Subsets": { "v1": { "Labels": { "version": "v1" } } }, "ConnectTimeout": "soon" }
              },
              "Routes": [
                { "Name": "a", "Servers": [ "htp" ], "Match": [ { "Headers": { "x-id": { "Regex": "(" } } } ], "Route": [ { "Destination": { "Host": "reviews", "Subset": "v9" } } ] },
                { "Route": [ { "Destination": { "Host": "reviews" }, "Weight": 60 }, { "Destination": { "Host": "ratings" }, "Weight": 30 } ] },
                { "Name": "a", "DirectResponse": { "Status": 200 }, "Headers": { "Request": { "Set": { "x bad": "1" } } } },
                { "Name": "c", "Redirect": { "Uri": "/", "RedirectCode": 200 }, "Route": [ { "Destination": { "Host": "reviews" } } ], "Timeout": "1d" }
              ]
            } }
            """);

        Assert.Equal(
            [
                // Binding first, in the order the keys are read.
                "Gateway:Routes:3:Timeout: '1d' is not a duration: write 00:00:05 or 5s, 100ms, 1m30s",
                "Gateway:Upstreams:reviews:ConnectTimeout: 'soon' is not a duration: write 00:00:05 or 5s, 100ms, 1m30s",

                // Then the model validator: upstreams, servers, routes.
                "Gateway:Upstreams:reviews: endpoints[0]: '127.0.0.1:9080' is not a valid address: expected http://host:port or https://host:port",
                "Gateway:Servers:http: port must be between 1 and 65535, got 0",
                "Gateway:Routes:0: servers[0]: unknown server 'htp'",
                $"Gateway:Routes:0: match[0].headers.x-id.regex: invalid pattern '(': {StringMatcher.ValidateRegex("(")}",
                "Gateway:Routes:0: route[0].destination.subset: upstream 'reviews' has no subset 'v9'",
                "Gateway:Routes:1: name must not be empty",
                "Gateway:Routes:1: route[1].destination.host: unknown upstream 'ratings'",
                "Gateway:Routes:1: total destination weight 90 != 100",
                "Gateway:Routes:2: duplicate route name 'a'",
                "Gateway:Routes:2: headers.request.set: 'x bad' is not a valid header name",
                "Gateway:Routes:3: destinations, redirect and directResponse are mutually exclusive",
                "Gateway:Routes:3: redirect.redirectCode: must be 301, 302, 303, 307 or 308, got 200",
            ],
            errors);
    }

    [Fact]
    public void Start_SectionMissing_StartsWithAWarningAndNothingLoaded()
    {
        var source = new Gateway.Middleware.Configuration.AppSettings.AppSettingsConfigSource(AppSettings.Json("""{ "Gatway": {} }""").GetSection("Gateway"));

        var result = source.Load();

        Assert.Empty(result.Errors);
        Assert.Equal(["Gateway: the section is missing or empty; nothing was loaded from it"], result.Warnings);
        Assert.Empty(result.Config.Routes);
    }
}
