using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Gateway.Middleware.Testing;

/// <summary>A request a <see cref="FakeUpstream"/> received, copied when it arrived.</summary>
public sealed class FakeRequest
{
    internal FakeRequest(int sequence, string method, string path, string queryString, string host, string protocol, string scheme, IReadOnlyDictionary<string, string> headers, byte[] body, X509Certificate2? clientCertificate)
    {
        Sequence = sequence;
        Method = method;
        Path = path;
        QueryString = queryString;
        Host = host;
        Protocol = protocol;
        Scheme = scheme;
        Headers = headers;
        Body = body;
        ClientCertificate = clientCertificate;
    }

    /// <summary>1 for the first request the fake received, then 2, 3…</summary>
    public int Sequence { get; }

    /// <summary>The method, e.g. <c>GET</c>.</summary>
    public string Method { get; }

    /// <summary>The path as received (still escaped), e.g. <c>/reviews/1</c>.</summary>
    public string Path { get; }

    /// <summary>The query string with its <c>?</c>, or <c>""</c> when there is none.</summary>
    public string QueryString { get; }

    /// <summary><see cref="Path"/> followed by <see cref="QueryString"/>.</summary>
    public string PathAndQuery => Path + QueryString;

    /// <summary>The <c>Host</c> header (<c>:authority</c> in HTTP/2) the gateway sent.</summary>
    public string Host { get; }

    /// <summary>The protocol, e.g. <c>HTTP/1.1</c> or <c>HTTP/2</c>.</summary>
    public string Protocol { get; }

    /// <summary><c>http</c>, or <c>https</c> when the request arrived over TLS.</summary>
    public string Scheme { get; }

    /// <summary>Every request header, names case-insensitive, several values joined with <c>", "</c>.</summary>
    public IReadOnlyDictionary<string, string> Headers { get; }

    /// <summary>The whole request body; empty when there was none.</summary>
    public IReadOnlyList<byte> Body { get; }

    /// <summary>The body decoded as UTF-8.</summary>
    public string BodyText => Encoding.UTF8.GetString((byte[])Body);

    /// <summary>The certificate the client (the gateway) presented over TLS; <see langword="null"/> when none.</summary>
    public X509Certificate2? ClientCertificate { get; }

    /// <summary>The value of header <paramref name="name"/> (case-insensitive), or <see langword="null"/> when absent.</summary>
    /// <param name="name">The header name.</param>
    /// <returns>The value, several values joined with <c>", "</c>.</returns>
    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;

    /// <summary>Whether header <paramref name="name"/> is present with exactly <paramref name="value"/>.</summary>
    /// <param name="name">The header name (case-insensitive).</param>
    /// <param name="value">The expected value (case-sensitive).</param>
    /// <returns>Whether it is.</returns>
    public bool HasHeader(string name, string value) => Header(name) == value;

    /// <summary>One line: method, path and query, protocol; then the headers (long values shortened).</summary>
    /// <returns>A description for failure messages.</returns>
    public override string ToString()
    {
        var text = new StringBuilder();
        text.Append(Method).Append(' ').Append(PathAndQuery).Append(' ').Append(Protocol);
        if (Body.Count > 0)
        {
            text.Append(" (").Append(Body.Count).Append(" body bytes)");
        }

        foreach (var (name, value) in Headers)
        {
            text.Append("\n       ").Append(name).Append(": ").Append(value.Length > 80 ? value[..77] + "..." : value);
        }

        return text.ToString();
    }
}
