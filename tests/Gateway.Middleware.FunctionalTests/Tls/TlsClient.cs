using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Gateway.Middleware.FunctionalTests.Tls;

/// <summary>A raw TLS client: chooses the SNI, the client certificate and the protocols, and reports what the server presented.</summary>
public static class TlsClient
{
    /// <summary>Connects and completes the handshake; throws when the server refuses it.</summary>
    public static async Task<SslStream> ConnectAsync(
        int port,
        string sni,
        X509Certificate2? clientCertificate = null,
        SslProtocols protocols = SslProtocols.None,
        X509Certificate2Collection? clientChain = null)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(IPAddress.Loopback, port);
        var tls = new SslStream(new NetworkStream(socket, ownsSocket: true));
        try
        {
            var options = new SslClientAuthenticationOptions
            {
                TargetHost = sni,
                EnabledSslProtocols = protocols,
                ApplicationProtocols = [SslApplicationProtocol.Http11],

                // The tests assert on the presented certificate themselves (its name may not match on purpose).
                RemoteCertificateValidationCallback = (_, certificate, _, _) => certificate is not null,
            };
            if (clientCertificate is not null)
            {
                options.ClientCertificateContext = SslStreamCertificateContext.Create(clientCertificate, clientChain ?? [], offline: true);
            }

            await tls.AuthenticateAsClientAsync(options);

            // With TLS 1.3 the server checks the client certificate after the client's handshake completes:
            // a refusal shows on the first read, so one exchange proves the connection was accepted.
            return tls;
        }
        catch
        {
            await tls.DisposeAsync();
            throw;
        }
    }

    /// <summary>The certificate the server presented for <paramref name="sni"/>.</summary>
    public static async Task<X509Certificate2> PresentedCertificateAsync(int port, string sni)
    {
        await using var tls = await ConnectAsync(port, sni);
        return new X509Certificate2(tls.RemoteCertificate!);
    }

    /// <summary>Sends one HTTP/1.1 GET and returns the whole response text.</summary>
    public static async Task<string> GetAsync(SslStream tls, string host, string path = "/", string extraHeaders = "")
    {
        await tls.WriteAsync(Encoding.ASCII.GetBytes($"GET {path} HTTP/1.1\r\nHost: {host}\r\n{extraHeaders}Connection: close\r\n\r\n"));
        using var reader = new StreamReader(tls, Encoding.ASCII, leaveOpen: true);
        return await reader.ReadToEndAsync();
    }

    /// <summary>Connects, sends one request and returns the response; the exception when the handshake or the exchange fails.</summary>
    public static async Task<(string? Response, Exception? Error)> TryGetAsync(int port, string sni, X509Certificate2? clientCertificate = null, SslProtocols protocols = SslProtocols.None, string? host = null)
    {
        try
        {
            await using var tls = await ConnectAsync(port, sni, clientCertificate, protocols);
            var response = await GetAsync(tls, host ?? sni);
            return response.Length == 0 ? (null, new IOException("the connection closed without a response")) : (response, null);
        }
        catch (Exception ex) when (ex is AuthenticationException or IOException or SocketException)
        {
            return (null, ex);
        }
    }
}
