using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography.X509Certificates;
using Gateway.Middleware.FunctionalTests.Authentication;
using Gateway.Middleware.FunctionalTests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Gateway.Middleware.HardeningTests.Soak;

/// <summary>
/// Issue #10's soak: mixed traffic for <c>GATEWAY_SOAK_MINUTES</c> through one gateway on real sockets — plain
/// routes with and without bodies, JWT (valid tokens 200, forged ones 401), an mTLS upstream (client certificate
/// from files, new connections), the test's own fault injection (503 FI) and unknown hosts (404) — checking every
/// answer, and sampling RSS, managed heap, open descriptors and handles. No unexpected answer is allowed; RSS,
/// descriptors and handles must end where they were once warm.
/// </summary>
[Collection(SerialTests.Name)]
public sealed class SoakTests(ITestOutputHelper output) : IDisposable
{
    private const int Workers = 8;
    private const long MaxRssGrowth = 128L * 1024 * 1024;
    private const int MaxFdGrowth = 64;
    private readonly string _directory = Directory.CreateTempSubdirectory("gw-soak-").FullName;
    private readonly ConcurrentQueue<string> _failures = new();
    private long _requests;
    private long _failed;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [SoakFact]
    public async Task MixedTraffic_ForTheConfiguredMinutes_NoUnexpectedAnswerAndFlatResources()
    {
        var duration = TimeSpan.FromMinutes(SoakFactAttribute.Minutes);
        using var ca = TestCertificates.CreateCa("soak-ca");
        using var serverCert = TestCertificates.CreateLeaf(ca, "mtls-upstream", ["localhost"]);
        using var clientCert = TestCertificates.CreateLeaf(ca, "gateway", ["gateway.internal"], "spiffe://cluster.local/ns/istio-system/sa/gateway");
        var (certPath, keyPath) = TestCertificates.WritePem(clientCert, _directory, "client");
        var caPath = TestCertificates.WriteBundle(_directory, "ca", ca);
        using var keys = JwtKeys.Rsa("soak-1");
        using var forger = JwtKeys.Rsa("soak-1");

        await using var plain = await TestUpstream.StartAsync(async context =>
        {
            var body = await new StreamReader(context.Request.Body).ReadToEndAsync();
            await context.Response.WriteAsync($"plain {context.Request.Path} {body.Length}");
        });
        await using var mtls = await TestUpstream.StartAsync(
            app => app.Run(context =>
            {
                // New connection every request: every request is a handshake presenting the client certificate.
                context.Response.Headers.Connection = "close";
                return context.Response.WriteAsync("mtls " + context.Connection.ClientCertificate?.GetNameInfo(X509NameType.UrlName, forIssuer: false));
            }),
            HttpProtocols.Http1,
            serverCert,
            configureHttps: https =>
            {
                https.ClientCertificateMode = ClientCertificateMode.RequireCertificate;
                https.ClientCertificateValidation = (certificate, _, _) => certificate.Issuer == ca.Subject;
            });
        await using var gateway = await GatewayHost.StartAsync(g => g
            .AddUpstream("plain", u => u.Endpoint(plain.Address))
            .AddUpstream("mtls", u => u.Endpoint($"https://localhost:{mtls.Port}").MutualTls(certPath, keyPath, caPath))
            .AddRoute("mtls", r => r.Hosts("app.example.com").MatchPathPrefix("/mtls").RouteTo("mtls"))
            .AddRoute("fault", r => r.Hosts("app.example.com").MatchPathPrefix("/fault").Fault(f => f.Abort(503)).RouteTo("plain"))
            .AddRoute("plain", r => r.Hosts("app.example.com").RouteTo("plain"))
            .AddJwtRule(JwtKeys.Issuer, r => r.Jwks(JwtKeys.Jwks(keys)).Audiences("bookstore")));

        var token = keys.Token();
        var forged = forger.Token();
        var clock = Stopwatch.StartNew();
        var samples = new List<ResourceSample> { ResourceSample.Take(clock.Elapsed, 0, 0) };
        output.WriteLine(samples[0].ToString());
        using var stop = new CancellationTokenSource();
        var workers = new Task[Workers];
        for (var w = 0; w < Workers; w++)
        {
            var worker = w;
            workers[w] = Task.Run(() => WorkAsync(gateway, worker, token, forged, stop.Token));
        }

        var interval = TimeSpan.FromSeconds(Math.Min(30, Math.Max(5, duration.TotalSeconds / 10)));
        while (clock.Elapsed < duration)
        {
            await Task.Delay(interval);
            var sample = ResourceSample.Take(clock.Elapsed, Interlocked.Read(ref _requests), Interlocked.Read(ref _failed));
            samples.Add(sample);
            output.WriteLine(sample.ToString());
            Console.WriteLine("soak: " + sample);
        }

        await stop.CancelAsync();
        await Task.WhenAll(workers);
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var end = ResourceSample.Take(clock.Elapsed, Interlocked.Read(ref _requests), Interlocked.Read(ref _failed));
        output.WriteLine("end (after a full GC): " + end);

        // Warm: the first checkpoint (pools, JIT, certificate caches filled); the end must be back near it.
        var warm = samples[1];
        output.WriteLine($"RSS {(end.RssBytes - warm.RssBytes) / 1048576.0:+0.0;-0.0} MB, fds {end.OpenFds - warm.OpenFds:+0;-0}, handles {end.HandleCount - warm.HandleCount:+0;-0} since warm");
        Assert.True(_failures.IsEmpty, $"{_failed} unexpected answers, e.g. {string.Join(" | ", _failures.Take(10))}");
        Assert.True(end.Requests > 0);
        Assert.True(end.RssBytes - warm.RssBytes < MaxRssGrowth, $"RSS grew {end.RssBytes - warm.RssBytes} bytes");
        Assert.True(end.OpenFds - warm.OpenFds < MaxFdGrowth, $"open descriptors grew from {warm.OpenFds} to {end.OpenFds}");
        Assert.True(end.HandleCount - warm.HandleCount < MaxFdGrowth, $"handles grew from {warm.HandleCount} to {end.HandleCount}");
    }

    private async Task WorkAsync(GatewayHost gateway, int worker, string token, string forged, CancellationToken stop)
    {
        using var client = gateway.CreateClient();
        var body = new string('p', 4096 * (worker + 1));
        for (var i = worker; !stop.IsCancellationRequested; i++)
        {
            var (request, expected, expectedBody) = (i % 7) switch
            {
                0 => (Get("/books/1"), HttpStatusCode.OK, "plain /books/1 0"),
                1 => (Post("/orders", body), HttpStatusCode.OK, $"plain /orders {body.Length}"),
                2 => (Get("/jwt", token), HttpStatusCode.OK, "plain /jwt 0"),
                3 => (Get("/jwt", forged), HttpStatusCode.Unauthorized, "Jwt verification fails"),
                4 => (Get("/mtls/x"), HttpStatusCode.OK, "mtls spiffe://cluster.local/ns/istio-system/sa/gateway"),
                5 => (Get("/fault"), HttpStatusCode.ServiceUnavailable, "fault filter abort"),
                _ => (Get("/", host: "nowhere.example.com"), HttpStatusCode.NotFound, ""),
            };
            try
            {
                using (request)
                using (var response = await client.SendAsync(request, stop))
                {
                    var text = await response.Content.ReadAsStringAsync(stop);
                    Interlocked.Increment(ref _requests);
                    if (response.StatusCode != expected || text != expectedBody)
                    {
                        Fail($"{request.RequestUri}: {(int)response.StatusCode} '{Truncate(text)}', expected {(int)expected} '{expectedBody}'");
                    }
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                Fail($"{request.RequestUri}: {ex.GetType().Name}: {ex.Message}");
            }
        }
    }

    private void Fail(string what)
    {
        Interlocked.Increment(ref _failed);
        if (_failures.Count < 50)
        {
            _failures.Enqueue(what);
        }
    }

    private static string Truncate(string text) => text.Length > 120 ? text[..120] + "..." : text;

    private static HttpRequestMessage Get(string path, string? token = null, string host = "app.example.com")
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Host = host;
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return request;
    }

    private static HttpRequestMessage Post(string path, string body)
    {
        var request = Get(path);
        request.Method = HttpMethod.Post;
        request.Content = new StringContent(body);
        return request;
    }
}
