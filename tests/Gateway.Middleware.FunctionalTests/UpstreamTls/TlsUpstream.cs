using System.Security.Cryptography.X509Certificates;
using Gateway.Middleware.FunctionalTests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;

namespace Gateway.Middleware.FunctionalTests.UpstreamTls;

/// <summary>
/// Real Kestrel upstreams for the TLS tests. Each answers 200 with the connection's details in headers:
/// <c>x-sni</c> (the SNI it received), <c>x-client-san</c> (the URI SAN of the client certificate, if any),
/// <c>x-protocol</c> and <c>x-scheme</c>.
/// </summary>
internal static class TlsUpstream
{
    private const string SniItem = "sni";

    /// <summary>An HTTPS upstream; with <paramref name="clientCa"/>, it requires a client certificate issued by it.</summary>
    public static Task<TestUpstream> StartAsync(
        X509Certificate2 serverCertificate,
        X509Certificate2? clientCa = null,
        HttpProtocols protocols = HttpProtocols.Http1,
        bool closeConnections = false)
        => TestUpstream.StartAsync(
            app => app.Run(context => EchoAsync(context, closeConnections)),
            protocols,
            serverCertificate,
            configureHttps: https =>
            {
                // Kestrel does not expose the SNI it received; the selector sees it and leaves it on the connection.
                https.ServerCertificateSelector = (connection, name) =>
                {
                    connection!.Items[SniItem] = name ?? "";
                    return serverCertificate;
                };
                if (clientCa is not null)
                {
                    https.ClientCertificateMode = ClientCertificateMode.RequireCertificate;
                    https.ClientCertificateValidation = (certificate, _, _) => IsIssuedBy(certificate, clientCa);
                }
            });

    /// <summary>A plain-text upstream answering the same headers.</summary>
    public static Task<TestUpstream> StartPlainAsync()
        => TestUpstream.StartAsync(context => EchoAsync(context, closeConnection: false));

    public static bool IsIssuedBy(X509Certificate2 leaf, X509Certificate2 ca)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(leaf);
    }

    private static Task EchoAsync(HttpContext context, bool closeConnection)
    {
        var headers = context.Response.Headers;
        headers["x-sni"] = context.Features.Get<IConnectionItemsFeature>()?.Items.TryGetValue(SniItem, out var sni) == true ? (string?)sni : null;
        headers["x-client-san"] = context.Connection.ClientCertificate?.GetNameInfo(X509NameType.UrlName, forIssuer: false) ?? "";
        headers["x-protocol"] = context.Request.Protocol;
        headers["x-scheme"] = context.Request.Scheme;
        if (closeConnection)
        {
            // Every request then opens a new connection (and handshake) to the upstream.
            headers.Connection = "close";
        }

        return context.Response.WriteAsync("ok");
    }
}
