using System.Net;
using Gateway.Middleware.Upstreams;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Gateway.Middleware.LoadTests.Apps;

/// <summary>
/// The Program.cs-built gateway: the fluent builder's equivalent of the YAML the IstioGateway host loads
/// (host + header match to one upstream), an h2c listener whose route sends HTTP/2 to the upstream's h2c port,
/// and with <c>--jwks</c> an RS256 JWT rule plus an ALLOW policy requiring a request principal.
/// </summary>
internal static class GatewayApp
{
    public static async Task<int> RunAsync(AppArgs args)
    {
        var port = args.Port("port");
        var h2Port = args.OptionalPort("h2-port");
        var upstream = args.Required("upstream");
        var upstreamH2 = args.Get("upstream-h2");
        var jwksFile = args.Get("jwks");

        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = [] });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = null;
            kestrel.Listen(IPAddress.Loopback, port, listen => listen.Protocols = HttpProtocols.Http1);
            if (h2Port is { } h2)
            {
                kestrel.Listen(IPAddress.Loopback, h2, listen => listen.Protocols = HttpProtocols.Http2);
            }
        });

        var gateway = builder.Services.AddGateway()
            .AddUpstream("bench", u => u.Endpoint(upstream))
            .AddRoute("bench", r => r.Hosts(Bench.Host).MatchHeader(Bench.Header, exact: Bench.HeaderValue).RouteTo("bench"));
        if (upstreamH2 is not null)
        {
            gateway
                .AddUpstream("bench-h2", u => u.Endpoint(upstreamH2).Protocol(UpstreamProtocol.Http2))
                .AddRoute("bench-h2", r => r.Hosts(Bench.H2Host).MatchHeader(Bench.Header, exact: Bench.HeaderValue).RouteTo("bench-h2"));
        }

        if (jwksFile is not null)
        {
            var jwks = await File.ReadAllTextAsync(jwksFile).ConfigureAwait(false);
            gateway
                .AddJwtRule(Bench.Issuer, r => r.Jwks(jwks).Audiences(Bench.Audience))
                .AddAuthorizationPolicy("require-jwt", p => p.Allow().Rule(r => r.From(requestPrincipals: ["*"])));
        }

        var app = builder.Build();
        app.UseGateway();
        await app.RunAsync().ConfigureAwait(false);
        return 0;
    }
}
