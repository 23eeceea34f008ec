using Bookinfo.Demo;
using Bookinfo.Services;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration.Memory;

namespace Bookinfo;

/// <summary>
/// <c>dotnet run --project samples/Bookinfo [-- --http-port 8080 --https-port 8443]</c>: Istio's Bookinfo behind
/// Gateway.Middleware, in one process and without network. The gateway below is the fluent-builder twin of the
/// YAML in <c>samples/IstioGateway/config/bookinfo/</c>.
/// </summary>
public static class Program
{
    private static readonly Dictionary<string, string?> LoggingDefaults = new()
    {
        ["Logging:LogLevel:Default"] = "Warning",
        ["Logging:LogLevel:Microsoft.Hosting.Lifetime"] = "Information",
    };

    /// <summary>Runs the demo until Ctrl+C, after printing the tour.</summary>
    public static async Task Main(string[] args)
    {
        await using var app = Build(args);
        var demo = app.Services.GetRequiredService<BookinfoDemo>();
        app.Lifetime.ApplicationStarted.Register(() => Console.WriteLine(Tour.Banner(demo)));
        await app.RunAsync();
    }

    /// <summary>
    /// Builds the gateway and its Bookinfo services without starting them. <c>--http-port</c> /
    /// <c>--https-port</c> (or <c>Bookinfo:HttpPort</c> / <c>Bookinfo:HttpsPort</c> in any configuration source)
    /// choose the gateway's ports, default 8080 and 8443; 0 picks free ones. <paramref name="configure"/> adjusts
    /// the builder before the gateway is added (tests: logging).
    /// </summary>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        // Below every other source, so appsettings.json or Logging__LogLevel__* variables still override it: the
        // tour stays readable (no per-request framework logs).
        builder.Configuration.Sources.Insert(0, new MemoryConfigurationSource { InitialData = LoggingDefaults });
        builder.Configuration.AddCommandLine(args, new Dictionary<string, string>
        {
            ["--http-port"] = "Bookinfo:HttpPort",
            ["--https-port"] = "Bookinfo:HttpsPort",
        });

        // The demo CA, certificates and token issuer are minted now; the services get loopback ports.
        var demo = BookinfoDemo.Create(builder.Configuration.GetValue("Bookinfo:HttpPort", 8080), builder.Configuration.GetValue("Bookinfo:HttpsPort", 8443));
        builder.Services.AddSingleton(_ => demo);
        builder.Services.AddHostedService<BookinfoServices>();

        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            // A gateway passes the upstream's Server header on rather than adding Kestrel's.
            kestrel.AddServerHeader = false;
            kestrel.ListenLocalhost(demo.HttpPort, listen => listen.Protocols = HttpProtocols.Http1);
            // The certificate is chosen per connection (SNI) from the gateway's servers below.
            kestrel.ListenLocalhost(demo.HttpsPort, listen => listen.UseGatewayTls());
        });
        configure?.Invoke(builder);

        builder.Services.AddGateway()
            // Istio Gateway "bookinfo-gateway": plain HTTP and HTTPS (tls.mode SIMPLE) for bookinfo.example.com.
            .AddServer("http", s => s.Port(demo.HttpPort).Hosts(BookinfoDemo.Host))
            .AddServer("https", s => s.Port(demo.HttpsPort).Hosts(BookinfoDemo.Host).Tls(t => t.Certificate(demo.Pki.GatewayServer)))

            // ServiceEntries (the pods' addresses) and DestinationRules (subsets by version label; reviews over mTLS).
            .AddUpstream("productpage", u => u
                .Endpoint($"http://127.0.0.1:{demo.ProductPage}", ("version", "v1"))
                .Subset("v1", ("version", "v1")))
            .AddUpstream("reviews", u => u
                .Endpoint($"http://127.0.0.1:{demo.ReviewsV1}", ("version", "v1"))
                .Endpoint($"http://127.0.0.1:{demo.ReviewsV2}", ("version", "v2"))
                .Endpoint($"http://127.0.0.1:{demo.ReviewsV3}", ("version", "v3"))
                .Subset("v1", ("version", "v1"))
                .Subset("v2", ("version", "v2"))
                .Subset("v3", ("version", "v3"))
                // DestinationRule trafficPolicy.tls: mode MUTUAL, the gateway's client certificate, the demo CA,
                // and the reviews pods' SPIFFE identity.
                .Tls(t => t
                    .ClientCertificate(demo.Pki.GatewayClient)
                    .TrustedRoots(demo.Pki.Ca)
                    .SubjectAltNames(DemoPki.ReviewsIdentity)))

            // VirtualService "bookinfo": the product page and its API, callable from the store's web front end.
            .AddRoute("bookinfo", r => r
                .Hosts(BookinfoDemo.Host)
                .Match(m => m.PathExact("/productpage"))
                .Match(m => m.PathPrefix("/static"))
                .Match(m => m.PathExact("/login"))
                .Match(m => m.PathExact("/logout"))
                .Match(m => m.PathPrefix("/api/v1/products"))
                .Cors(c => c
                    .AllowOrigin(exact: "https://store.example.com")
                    .AllowMethods("GET")
                    .AllowHeaders("authorization", "content-type")
                    .MaxAge(TimeSpan.FromHours(1)))
                .Timeout(TimeSpan.FromSeconds(15))
                .RouteTo("productpage", subset: "v1"))

            // VirtualService "reviews" (Istio's reviews-test-v2 and a 80/20 traffic shift): jason gets v2,
            // everyone else v1 (80 %) or v3 (20 %).
            .AddRoute("reviews-jason", r => r
                .Hosts(BookinfoDemo.Host)
                .MatchPathPrefix("/reviews/").MatchHeader("end-user", exact: "jason")
                .Timeout(TimeSpan.FromSeconds(10))
                .Retries(2, perTryTimeout: TimeSpan.FromSeconds(3), retryOn: "gateway-error,connect-failure,refused-stream")
                .RouteTo("reviews", subset: "v2"))
            .AddRoute("reviews", r => r
                .Hosts(BookinfoDemo.Host)
                .MatchPathPrefix("/reviews/")
                .Timeout(TimeSpan.FromSeconds(10))
                .Retries(2, perTryTimeout: TimeSpan.FromSeconds(3), retryOn: "gateway-error,connect-failure,refused-stream")
                .RouteTo("reviews", weight: 80, subset: "v1")
                .RouteTo("reviews", weight: 20, subset: "v3"))

            // RequestAuthentication: tokens from the demo issuer (JWKS inline), for the audience "bookinfo".
            .AddJwtRule(DemoIssuer.Issuer, j => j.Jwks(demo.Issuer.Jwks).Audiences(DemoIssuer.Audience))
            // AuthorizationPolicy: the API needs a valid token (no token: 403; a bad one is 401 already).
            .AddAuthorizationPolicy("require-jwt-for-api", p => p.Deny().Rule(r => r
                .From(notRequestPrincipals: ["*"])
                .To(paths: ["/api/v1/products*"])));

        var app = builder.Build();
        app.UseGateway();
        return app;
    }
}
