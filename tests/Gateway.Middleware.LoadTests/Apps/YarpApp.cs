using System.Net;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.IdentityModel.Tokens;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Forwarder;

namespace Gateway.Middleware.LoadTests.Apps;

/// <summary>
/// The YARP baseline doing the gateway's work: a route on host + header to the same upstream (and an h2c route
/// sending HTTP/2 to the upstream's h2c port); with <c>--jwks</c>, JwtBearer validating the RS256 token against
/// the same keys and an authorization policy requiring an authenticated user on the route.
/// </summary>
internal static class YarpApp
{
    public static async Task<int> RunAsync(AppArgs args)
    {
        var port = args.Port("port");
        var h2Port = args.OptionalPort("h2-port");
        var upstream = args.Required("upstream");
        var upstreamH2 = args.Get("upstream-h2");
        var jwksFile = args.Get("jwks");
        var policy = jwksFile is null ? null : "jwt";

        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = [] });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(IPAddress.Loopback, port, listen => listen.Protocols = HttpProtocols.Http1);
            if (h2Port is { } h2)
            {
                kestrel.Listen(IPAddress.Loopback, h2, listen => listen.Protocols = HttpProtocols.Http2);
            }
        });

        var routes = new List<RouteConfig> { Route("bench", Bench.Host, policy) };
        var clusters = new List<ClusterConfig> { Cluster("bench", upstream, http2: false) };
        if (upstreamH2 is not null)
        {
            routes.Add(Route("bench-h2", Bench.H2Host, policy));
            clusters.Add(Cluster("bench-h2", upstreamH2, http2: true));
        }

        builder.Services.AddReverseProxy().LoadFromMemory(routes, clusters);
        if (jwksFile is not null)
        {
            var keys = new JsonWebKeySet(await File.ReadAllTextAsync(jwksFile).ConfigureAwait(false)).GetSigningKeys();
            builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer(options =>
            {
                options.MapInboundClaims = false;
                options.TokenValidationParameters = new TokenValidationParameters
                {
                    ValidIssuer = Bench.Issuer,
                    ValidAudience = Bench.Audience,
                    IssuerSigningKeys = keys,
                    ValidAlgorithms = [SecurityAlgorithms.RsaSha256],
                };
            });
            builder.Services.AddAuthorizationBuilder().AddPolicy("jwt", p => p.RequireAuthenticatedUser());
        }

        var app = builder.Build();
        if (jwksFile is not null)
        {
            app.UseAuthentication();
            app.UseAuthorization();
        }

        app.MapReverseProxy();
        await app.RunAsync().ConfigureAwait(false);
        return 0;
    }

    private static RouteConfig Route(string id, string host, string? policy) => new()
    {
        RouteId = id,
        ClusterId = id,
        AuthorizationPolicy = policy,
        Match = new RouteMatch
        {
            Hosts = [host],
            Path = "/{**catch-all}",
            Headers = [new RouteHeader { Name = Bench.Header, Values = [Bench.HeaderValue], Mode = HeaderMatchMode.ExactHeader }],
        },
    };

    private static ClusterConfig Cluster(string id, string address, bool http2) => new()
    {
        ClusterId = id,
        Destinations = new Dictionary<string, DestinationConfig>(StringComparer.Ordinal) { ["upstream"] = new() { Address = address } },
        HttpRequest = http2
            ? new ForwarderRequestConfig { Version = HttpVersion.Version20, VersionPolicy = HttpVersionPolicy.RequestVersionExact }
            : null,
    };
}
