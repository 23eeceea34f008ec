// QuickStart: a gateway on http://localhost:8080 in front of two upstream apps started in this process.
// Needs no network: every app listens on loopback.
var greeter = UpstreamApps.ReserveLoopbackAddress();
var echo = UpstreamApps.ReserveLoopbackAddress();

var builder = WebApplication.CreateBuilder(args);
builder.WebHost.UseUrls(builder.Configuration["urls"] ?? "http://localhost:8080");

// The two upstreams start and stop with the gateway.
builder.Services.AddHostedService(_ => new UpstreamApps(("greeter", greeter), ("echo", echo)));

builder.Services.AddGateway()
    .AddUpstream("greeter", u => u.Endpoint(greeter))
    .AddUpstream("echo", u => u.Endpoint(echo))
    .AddRoute("greeter", r => r.Hosts("*").MatchPathPrefix("/hello").RouteTo("greeter"))
    .AddRoute("echo", r => r.Hosts("*").MatchPathPrefix("/echo").RouteTo("echo").Timeout(TimeSpan.FromSeconds(5)));

var app = builder.Build();
app.UseGateway();

app.Lifetime.ApplicationStarted.Register(() =>
{
    var gateway = app.Urls.FirstOrDefault() ?? "http://localhost:8080";
    Console.WriteLine($"""

        Gateway.Middleware QuickStart
          gateway   {gateway}
          greeter   {greeter}   (routes: /hello)
          echo      {echo}   (routes: /echo, 5 s timeout)

        Try:
          curl -i {gateway}/hello/world
          curl -i -X POST --data 'ping' {gateway}/echo/anything?x=1
          curl -i {gateway}/nothing-here        # no route: 404 with an empty body, as Istio answers

        Ctrl+C stops everything.
        """);
});

await app.RunAsync();

/// <summary>Lets tests start the sample with WebApplicationFactory&lt;Program&gt;.</summary>
public partial class Program;
