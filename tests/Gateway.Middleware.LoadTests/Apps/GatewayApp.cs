using System.Net;
using Gateway.Middleware.Upstreams;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Gateway.Middleware.LoadTests.Apps;

/// <summary>
/// The Program.cs-built gateway: the fluent builder's equivalent of the YAML the IstioGateway host loads
/// (host + header match to one upstream), an h2c listener whose route sends HTTP/2 to the upstream's h2c port,
/// with <c>--jwks</c> an RS256 JWT rule plus an ALLOW policy requiring a request principal, and with
/// <c>--telemetry on</c> the gateway's traces and metrics collected by the OpenTelemetry SDK (every span sampled,
/// exported to a sink that drops them; metrics aggregated and read every 10 s), to measure what instrumentation costs.
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
        var telemetry = args.Get("telemetry") == "on";

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

        if (telemetry)
        {
            builder.Services.AddOpenTelemetry()
                .WithTracing(tracing => tracing.AddGatewayInstrumentation()
                    .SetSampler(new AlwaysOnSampler())
                    .AddProcessor(new BatchActivityExportProcessor(new DroppingExporter<System.Diagnostics.Activity>())))
                .WithMetrics(metrics => metrics.AddGatewayInstrumentation()
                    .AddReader(new PeriodicExportingMetricReader(new DroppingExporter<Metric>(), exportIntervalMilliseconds: 10_000)));
        }

        var app = builder.Build();
        app.UseGateway();
        await app.RunAsync().ConfigureAwait(false);
        return 0;
    }
}
