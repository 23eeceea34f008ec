using System.Net;
using System.Net.Sockets;

namespace Bookinfo.Demo;

/// <summary>
/// Everything the demo mints and reserves at start-up: the gateway's ports, the loopback addresses of the Bookinfo
/// services, the demo CA and certificates, the token issuer and the token the tour prints. Registered as a
/// singleton, so tests read it from the app's services.
/// </summary>
public sealed class BookinfoDemo : IDisposable
{
    /// <summary>The host the gateway serves (Istio's Gateway <c>servers[].hosts</c>).</summary>
    public const string Host = "bookinfo.example.com";

    private BookinfoDemo(int httpPort, int httpsPort)
    {
        HttpPort = httpPort;
        HttpsPort = httpsPort;
        ProductPage = ReserveLoopbackPort();
        Details = ReserveLoopbackPort();
        Ratings = ReserveLoopbackPort();
        ReviewsV1 = ReserveLoopbackPort();
        ReviewsV2 = ReserveLoopbackPort();
        ReviewsV3 = ReserveLoopbackPort();
        Token = Issuer.CreateToken("jason", TimeSpan.FromHours(12));
        CaPath = Path.Combine(Path.GetTempPath(), $"bookinfo-demo-{Environment.ProcessId}-{httpPort}", "ca.pem");
    }

    /// <summary>The gateway's plain HTTP port (<c>--http-port</c>, default 8080).</summary>
    public int HttpPort { get; }

    /// <summary>The gateway's HTTPS port (<c>--https-port</c>, default 8443).</summary>
    public int HttpsPort { get; }

    /// <summary>productpage's port on 127.0.0.1 (plain HTTP).</summary>
    public int ProductPage { get; }

    /// <summary>details' port on 127.0.0.1 (plain HTTP).</summary>
    public int Details { get; }

    /// <summary>ratings' port on 127.0.0.1 (plain HTTP).</summary>
    public int Ratings { get; }

    /// <summary>reviews v1's port on 127.0.0.1 (TLS, client certificate required).</summary>
    public int ReviewsV1 { get; }

    /// <summary>reviews v2's port on 127.0.0.1 (TLS, client certificate required).</summary>
    public int ReviewsV2 { get; }

    /// <summary>reviews v3's port on 127.0.0.1 (TLS, client certificate required).</summary>
    public int ReviewsV3 { get; }

    /// <summary>The demo CA and the certificates it signed.</summary>
    public DemoPki Pki { get; } = DemoPki.Create();

    /// <summary>The demo token issuer.</summary>
    public DemoIssuer Issuer { get; } = new();

    /// <summary>A token for <c>jason</c> from the demo issuer, valid for 12 hours: the one the tour prints.</summary>
    public string Token { get; }

    /// <summary>Where the demo CA is written as PEM, for <c>curl --cacert</c>.</summary>
    public string CaPath { get; }

    /// <summary>
    /// Mints the demo material and reserves the ports: a port of 0 picks a free one (tests), any other is used as
    /// given.
    /// </summary>
    public static BookinfoDemo Create(int httpPort, int httpsPort)
    {
        var demo = new BookinfoDemo(httpPort == 0 ? ReserveLoopbackPort() : httpPort, httpsPort == 0 ? ReserveLoopbackPort() : httpsPort);
        Directory.CreateDirectory(Path.GetDirectoryName(demo.CaPath)!);
        File.WriteAllText(demo.CaPath, demo.Pki.Ca.ExportCertificatePem());
        return demo;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Pki.Dispose();
        Issuer.Dispose();
        try
        {
            Directory.Delete(Path.GetDirectoryName(CaPath)!, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a temporary file.
        }
    }

    /// <summary>A free port on 127.0.0.1 (free now; bound again a moment later by the app that needs it).</summary>
    private static int ReserveLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
