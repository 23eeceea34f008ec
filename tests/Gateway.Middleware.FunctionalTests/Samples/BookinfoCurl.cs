using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;

namespace Gateway.Middleware.FunctionalTests.Samples;

/// <summary>
/// Runs a curl command line as the Bookinfo tour prints it, with HttpClient: <c>-s</c>, <c>-i</c>,
/// <c>-H 'Name: value'</c> (a <c>Host</c> header included), <c>--resolve host:port:address</c>,
/// <c>--cacert file</c> (the only trusted root, the name checked as curl does) and the URL. Anything else fails the
/// test, so the banner cannot print an option this runner would silently skip.
/// </summary>
public sealed class BookinfoCurl : IDisposable
{
    private readonly HttpClient _client;
    private readonly Uri _url;
    private readonly List<(string Name, string Value)> _headers = [];

    public BookinfoCurl(string commandLine)
    {
        var args = Split(commandLine);
        Assert.Equal("curl", args[0]);
        var resolve = new Dictionary<string, IPAddress>(StringComparer.OrdinalIgnoreCase);
        string? caFile = null;
        Uri? url = null;
        for (var i = 1; i < args.Count; i++)
        {
            switch (args[i])
            {
                case "-s" or "-i" or "-si":
                    break;
                case "-H":
                    var header = args[++i];
                    var colon = header.IndexOf(':', StringComparison.Ordinal);
                    _headers.Add((header[..colon].Trim(), header[(colon + 1)..].Trim()));
                    break;
                case "--resolve":
                    var parts = args[++i].Split(':');
                    resolve[$"{parts[0]}:{parts[1]}"] = IPAddress.Parse(parts[2]);
                    break;
                case "--cacert":
                    caFile = args[++i];
                    break;
                case var arg when arg.StartsWith("http", StringComparison.Ordinal):
                    url = new Uri(arg);
                    break;
                default:
                    Assert.Fail($"curl option '{args[i]}' is not understood by the test runner: {commandLine}");
                    break;
            }
        }

        _url = url ?? throw new InvalidOperationException("no URL in " + commandLine);
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (context, cancellationToken) =>
            {
                var key = $"{context.DnsEndPoint.Host}:{context.DnsEndPoint.Port}";
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    if (resolve.TryGetValue(key, out var address))
                    {
                        await socket.ConnectAsync(new IPEndPoint(address, context.DnsEndPoint.Port), cancellationToken);
                    }
                    else
                    {
                        await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                    }

                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        if (caFile is not null)
        {
            var ca = X509CertificateLoader.LoadCertificateFromFile(caFile);
            handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
            {
                if (certificate is null || (errors & (SslPolicyErrors.RemoteCertificateNameMismatch | SslPolicyErrors.RemoteCertificateNotAvailable)) != 0)
                {
                    return false;
                }

                using var chain = new X509Chain();
                chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                chain.ChainPolicy.CustomTrustStore.Add(ca);
                chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                return chain.Build(new X509Certificate2(certificate));
            };
        }

        _client = new HttpClient(handler);
    }

    /// <summary>Sends the request; the status, the headers (response and content) and the body.</summary>
    public async Task<(HttpStatusCode Status, string Body, HttpResponseMessage Response)> SendAsync()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, _url);
        foreach (var (name, value) in _headers)
        {
            if (string.Equals(name, "Host", StringComparison.OrdinalIgnoreCase))
            {
                request.Headers.Host = value;
            }
            else
            {
                request.Headers.TryAddWithoutValidation(name, value);
            }
        }

        var response = await _client.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(), response);
    }

    public void Dispose() => _client.Dispose();

    /// <summary>Splits on spaces, keeping single-quoted arguments whole (the only quoting the tour uses).</summary>
    private static List<string> Split(string commandLine)
    {
        var args = new List<string>();
        var current = new System.Text.StringBuilder();
        var quoted = false;
        foreach (var c in commandLine)
        {
            if (c == '\'')
            {
                quoted = !quoted;
            }
            else if (c == ' ' && !quoted)
            {
                if (current.Length > 0)
                {
                    args.Add(current.ToString());
                    current.Clear();
                }
            }
            else
            {
                current.Append(c);
            }
        }

        Assert.False(quoted, "unbalanced quote in " + commandLine);
        if (current.Length > 0)
        {
            args.Add(current.ToString());
        }

        return args;
    }
}
