// QuickStart: a gateway on http://localhost:8080 in front of two upstream apps started in this process.
// Needs no network: every app listens on loopback.

var greeter = await UpstreamApps.StartAsync("greeter");
var echo = await UpstreamApps.StartAsync("echo");

var builder = WebApplication.CreateBuilder(args);
builder.WebHost.UseUrls(builder.Configuration["urls"] ?? "http://localhost:8080");

builder.Services.AddGateway()
    .AddUpstream("greeter", u => u.Endpoint(greeter.Address))
    .AddUpstream("echo", u => u.Endpoint(echo.Address))
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
          greeter   {greeter.Address}   (routes: /hello)
          echo      {echo.Address}   (routes: /echo, 5 s timeout)

        Try:
          curl -i {gateway}/hello/world
          curl -i -X POST --data 'ping' {gateway}/echo/anything?x=1
          curl -i {gateway}/nothing-here        # no route: 404 with an empty body, as Istio answers

        Ctrl+C stops everything.
        """);
});

app.Lifetime.ApplicationStopping.Register(() =>
{
    greeter.App.StopAsync().GetAwaiter().GetResult();
    echo.App.StopAsync().GetAwaiter().GetResult();
});

await app.RunAsync();

/// <summary>Lets tests start the sample with WebApplicationFactory&lt;Program&gt;.</summary>
public partial class Program;
